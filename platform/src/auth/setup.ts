import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { isProduction } from '../errors';
import { ensureDevKeys } from '../handoffs/keys';
import { IdentitySigner, IdentityVerifier } from './gateway-token';
import type { Identity } from './identity';
import { JwtVerifier } from './jwt';

/** Key names in AUTH_KEYS_DIR: the gateway's identity-signing pair and the development token issuer's pair. */
export const GATEWAY_IDENTITY_KEY = 'gateway-identity';
export const DEV_ISSUER_KEY = 'dev-issuer';
export const DEV_ISSUER = 'onestop-dev';
export const DEFAULT_AUDIENCE = 'onestop-graph';

/** Outside production a dev key set (gateway identity, dev token issuer) is generated here on first run. */
export function authKeysDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = path.resolve(env.AUTH_KEYS_DIR || path.join(env.DATA_DIR || '.data', 'auth'));
  if (!isProduction(env)) ensureDevKeys(dir, [GATEWAY_IDENTITY_KEY, DEV_ISSUER_KEY]);
  return dir;
}

function readKey(file: string, variable: string): string {
  if (!fs.existsSync(file)) throw new Error(`${variable}: ${file} does not exist`);
  return fs.readFileSync(file, 'utf8');
}

/** Gateway: GATEWAY_IDENTITY_KEY (private PEM file), else the dev key. */
export function identitySignerFromEnv(env: NodeJS.ProcessEnv = process.env): IdentitySigner {
  const file = env.GATEWAY_IDENTITY_KEY || path.join(authKeysDir(env), `${GATEWAY_IDENTITY_KEY}.key.pem`);
  return IdentitySigner.fromPem(readKey(file, 'GATEWAY_IDENTITY_KEY'));
}

/** Subgraphs: GATEWAY_IDENTITY_PUBLIC_KEY (public PEM file), else the dev key. */
export function identityVerifierFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityVerifier {
  const file = env.GATEWAY_IDENTITY_PUBLIC_KEY || path.join(authKeysDir(env), `${GATEWAY_IDENTITY_KEY}.pub.pem`);
  return IdentityVerifier.fromPem(readKey(file, 'GATEWAY_IDENTITY_PUBLIC_KEY'));
}

/**
 * Gateway: callers' tokens are trusted from AUTH_JWKS_URL and/or AUTH_PUBLIC_KEYS (comma-separated PEM files), with
 * AUTH_ISSUER and AUTH_AUDIENCE. Outside production the development issuer (`npm run token`) is trusted as well.
 */
export function jwtVerifierFromEnv(env: NodeJS.ProcessEnv = process.env): JwtVerifier {
  const files = (env.AUTH_PUBLIC_KEYS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const publicKeys = files.map((file) => readKey(file, 'AUTH_PUBLIC_KEYS'));
  const issuers = (env.AUTH_ISSUER ?? '').split(',').map((i) => i.trim()).filter(Boolean);
  if (!isProduction(env)) {
    publicKeys.push(readKey(path.join(authKeysDir(env), `${DEV_ISSUER_KEY}.pub.pem`), 'dev issuer key'));
    issuers.push(DEV_ISSUER);
  } else if (!issuers.length) {
    throw new Error('AUTH_ISSUER is required in production');
  }
  return new JwtVerifier({
    issuer: issuers,
    audience: (env.AUTH_AUDIENCE || DEFAULT_AUDIENCE).split(',').map((a) => a.trim()),
    publicKeys,
    jwksUrl: env.AUTH_JWKS_URL || undefined,
  });
}

/** A development token for `identity`, signed by the dev issuer (trusted only outside production). */
export async function mintDevToken(
  identity: Identity,
  options: { ttlSeconds?: number; env?: NodeJS.ProcessEnv; issuedAt?: number; issuer?: string; audience?: string; privateKeyPem?: string } = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const pem = options.privateKeyPem ?? readKey(path.join(authKeysDir(env), `${DEV_ISSUER_KEY}.key.pem`), 'dev issuer key');
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, string> = { role: identity.role };
  for (const name of ['agency', 'sector', 'unit', 'name'] as const) if (identity[name]) claims[name] = identity[name] as string;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(identity.subject)
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 8 * 3600))
    .sign(createPrivateKey(pem));
}

/**
 * INSECURE_NO_SECURITY=1 turns authentication, authorization, the access log and the gateway's operation policy off,
 * only to measure what they cost (`npm run bench -- --security-ratio`). Refused in production.
 */
export function securityDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.INSECURE_NO_SECURITY !== '1') return false;
  if (isProduction(env)) throw new Error('INSECURE_NO_SECURITY=1 is refused in production');
  console.error(JSON.stringify({ level: 'warn', msg: 'INSECURE_NO_SECURITY=1: authentication, authorization and the personal data access log are OFF (benchmark baseline only)' }));
  return true;
}
