import { createLocalJWKSet, createRemoteJWKSet, importSPKI, jwtVerify, JWTPayload, errors as joseErrors } from 'jose';
import type { KeyObject } from 'node:crypto';
import { validatePersonalNumber } from '../identifiers';
import type { LRUCache } from 'lru-cache';
import { lruCache } from '../lru';
import { Identity, isRole } from './identity';

export interface JwtVerifierOptions {
  issuer: string | string[];
  audience: string | string[];
  /** Public keys trusted to sign tokens (PEM SPKI or KeyObject); or a JWKS URL below. */
  publicKeys?: (string | KeyObject)[];
  jwksUrl?: string;
  /** Seconds of clock skew allowed on exp/nbf. */
  clockToleranceSeconds?: number;
  /** Verified tokens remembered, the least recently used forgotten first; default 50 000. */
  cacheEntries?: number;
  /** The clock, ms since the epoch; for tests. */
  now?: () => number;
}

export type TokenCheck = { ok: true; identity: Identity; expiresAt: number } | { ok: false; reason: string };

const ALGORITHMS = ['RS256', 'EdDSA', 'ES256'];

/**
 * Verifies callers' bearer tokens (RS256, EdDSA or ES256; expiry, issuer and audience checked) and reads the identity
 * from the claims: `sub`, `role`, and for officers and agency systems `agency` and `sector` (`unit` optional).
 * A verified token is remembered until it expires (`exp`), so a portal's repeated requests cost one lookup; at most
 * `cacheEntries` of them, the least recently used forgotten first.
 */
export class JwtVerifier {
  private readonly now: () => number;
  private readonly cache: LRUCache<string, { identity: Identity; expiresAt: number }>;
  private readonly keys: Promise<Parameters<typeof jwtVerify>[1][]>;

  constructor(private readonly options: JwtVerifierOptions) {
    if (!options.jwksUrl && !options.publicKeys?.length) throw new Error('JWT verification needs AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
    this.now = options.now ?? Date.now;
    this.cache = lruCache(options.cacheEntries ?? 50_000, this.now);
    this.keys = (async () => {
      const keys: Parameters<typeof jwtVerify>[1][] = [];
      if (options.jwksUrl) keys.push(createRemoteJWKSet(new URL(options.jwksUrl)));
      for (const key of options.publicKeys ?? []) {
        keys.push(typeof key === 'string' ? await importAnySpki(key) : key);
      }
      return keys;
    })();
  }

  /** `nowMs`: the time the token is checked at (tests); a remembered token is served until it expires on the clock. */
  async verify(token: string, nowMs = this.now()): Promise<TokenCheck> {
    const cached = this.cache.get(token);
    if (cached) return { ok: true, ...cached };
    let payload: JWTPayload | undefined;
    let lastReason = 'token signature does not verify';
    for (const key of await this.keys) {
      try {
        ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
          issuer: this.options.issuer,
          audience: this.options.audience,
          algorithms: ALGORITHMS,
          clockTolerance: this.options.clockToleranceSeconds ?? 30,
          requiredClaims: ['exp', 'sub'],
          currentDate: new Date(nowMs),
        }));
        break;
      } catch (error) {
        lastReason = describeJoseError(error);
        if (!(error instanceof joseErrors.JWSSignatureVerificationFailed) && !(error instanceof joseErrors.JWKSNoMatchingKey)) break;
      }
    }
    if (!payload) return { ok: false, reason: lastReason };
    const identity = identityFromClaims(payload);
    if (!identity.ok) return identity;
    const expiresAt = (payload.exp as number) * 1000;
    // (one accepted within the clock tolerance after its expiry is not remembered: lru-cache takes a ttl of 0 for none)
    const ttl = expiresAt - this.now();
    if (ttl > 0) this.cache.set(token, { identity: identity.identity, expiresAt }, { ttl });
    return { ok: true, identity: identity.identity, expiresAt };
  }
}

async function importAnySpki(pem: string): Promise<KeyObject> {
  const { createPublicKey } = await import('node:crypto');
  return createPublicKey(pem);
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not accepted: ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm not accepted';
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid) return 'malformed token';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no trusted key matches the token';
  return 'token not accepted';
}

export function identityFromClaims(claims: JWTPayload & Record<string, unknown>): { ok: true; identity: Identity } | { ok: false; reason: string } {
  const role = claims.role;
  if (!isRole(role)) return { ok: false, reason: 'token has no valid role claim' };
  const subject = String(claims.sub ?? '');
  const str = (name: string) => (typeof claims[name] === 'string' && claims[name] ? (claims[name] as string) : undefined);
  const identity: Identity = { role, subject, agency: str('agency'), sector: str('sector'), unit: str('unit'), name: str('name') };
  if (role === 'citizen' && !validatePersonalNumber(subject).ok) return { ok: false, reason: 'a citizen token\'s subject must be a personal number' };
  if ((role === 'officer' || role === 'agency-system') && (!identity.agency || !identity.sector)) {
    return { ok: false, reason: `a ${role} token needs agency and sector claims` };
  }
  return { ok: true, identity };
}

export { createLocalJWKSet, importSPKI };
