import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { readSecret } from '../config';
import { isProduction } from '../errors';
import { authKeysDir, DEV_ISSUER_KEY } from './setup';

/**
 * Analysts' keyed pseudonyms: HMAC-SHA256 of an identifier with a per-deployment secret (ANALYTICS_PSEUDONYM_KEY, the
 * same in every subgraph), as 16 letters (64 bits). One person has one pseudonym in every subgraph, so analysts can
 * follow them across agencies, but without the key nothing leads back to the identifier: no digit of it is kept.
 * A personal number's pseudonym keeps its sex (M/F, from the century-and-sex digit), a statistic analysts use.
 */
export const PSEUDONYM_PREFIX = '*';
const ALPHABET = 'abcdefghjkmnpqrs'; // 16 letters: 4 bits each, no digits

let configured: Buffer | null = null;

/**
 * The key from ANALYTICS_PSEUDONYM_KEY or the file ANALYTICS_PSEUDONYM_KEY_FILE (at least 32 characters). Outside production, without it, a dev key derived
 * from the development issuer key in AUTH_KEYS_DIR (so every local process agrees); production refuses to start.
 */
export function pseudonymKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const given = env.ANALYTICS_PSEUDONYM_KEY || readSecret(env.ANALYTICS_PSEUDONYM_KEY_FILE, 'ANALYTICS_PSEUDONYM_KEY_FILE');
  if (given) {
    if (given.length < 32) throw new Error('ANALYTICS_PSEUDONYM_KEY must be at least 32 characters');
    return Buffer.from(given, 'utf8');
  }
  if (isProduction(env)) throw new Error('ANALYTICS_PSEUDONYM_KEY is required in production');
  const devIssuer = fs.readFileSync(path.join(authKeysDir(env), `${DEV_ISSUER_KEY}.key.pem`));
  return createHash('sha256').update('onestop analytics pseudonym\0').update(devIssuer).digest();
}

/** Sets the key this process pseudonymises with (subgraph start-up); without it the env's key is read on first use. */
export function configurePseudonymKey(key: Buffer | string): void {
  configured = Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf8');
}

function currentKey(): Buffer {
  return (configured ??= pseudonymKeyFromEnv());
}

/** "*F-kqbmhdtpsacrnjge" for a personal number, "*-…" for any other identifier. */
export function pseudonym(value: string, key: Buffer = currentKey()): string {
  const digest = createHmac('sha256', key).update(value).digest();
  let letters = '';
  for (let i = 0; i < 8; i++) letters += ALPHABET[digest[i] >> 4] + ALPHABET[digest[i] & 15];
  const sex = /^\d{12}$/.test(value) ? (Number(value[3]) % 2 === 0 ? 'M' : 'F') : '';
  return `${PSEUDONYM_PREFIX}${sex}-${letters}`;
}

/** The sex a personal number's pseudonym keeps, or null. */
export function pseudonymSex(value: string): 'MALE' | 'FEMALE' | null {
  if (!value.startsWith(PSEUDONYM_PREFIX)) return null;
  return value[1] === 'M' ? 'MALE' : value[1] === 'F' ? 'FEMALE' : null;
}
