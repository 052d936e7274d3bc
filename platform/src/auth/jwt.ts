import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, importSPKI, jwtVerify, JWTPayload, JWTVerifyGetKey, errors as joseErrors } from 'jose';
import type { KeyObject } from 'node:crypto';
import { validatePersonalNumber } from '../identifiers';
import type { LRUCache } from 'lru-cache';
import { lruCache } from '../lru';
import { Identity, isRole } from './identity';

export interface JwtVerifierOptions {
  issuer: string | string[];
  audience: string | string[];
  /** Public keys trusted to sign tokens (PEM SPKI or KeyObject, optionally with its key id); or a JWKS URL below. */
  publicKeys?: (string | KeyObject | { key: string | KeyObject; kid?: string })[];
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
/** A trusted key: a public key (with the algorithm it signs with, and its key id if known), or a JWKS. */
type TrustedKey = { key: KeyObject; algorithm: string | undefined; kid?: string } | { jwks: JWTVerifyGetKey };

/** The one algorithm of ALGORITHMS a public key signs with: RSA → RS256, Ed25519 → EdDSA, P-256 → ES256. */
function algorithmOf(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

/**
 * Verifies callers' bearer tokens (RS256, EdDSA or ES256; expiry, issuer and audience checked) and reads the identity
 * from the claims: `sub`, `role`, and for officers and agency systems `agency` and `sector` (`unit` optional).
 * Every trusted key that fits the token's `alg` (and its `kid`, when both have one) is tried, PEM keys and the JWKS
 * alike, so keys of several algorithms may be trusted at once (a rotation from RS256 to EdDSA).
 * A verified token is remembered until it expires (`exp`), so a portal's repeated requests cost one lookup; at most
 * `cacheEntries` of them, the least recently used forgotten first.
 */
export class JwtVerifier {
  private readonly now: () => number;
  private readonly cache: LRUCache<string, { identity: Identity; expiresAt: number }>;
  private readonly keys: Promise<TrustedKey[]>;

  constructor(private readonly options: JwtVerifierOptions) {
    if (!options.jwksUrl && !options.publicKeys?.length) throw new Error('JWT verification needs AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
    this.now = options.now ?? Date.now;
    this.cache = lruCache(options.cacheEntries ?? 50_000, this.now);
    this.keys = (async () => {
      const keys: TrustedKey[] = [];
      for (const entry of options.publicKeys ?? []) {
        const { key, kid } = typeof entry === 'object' && 'key' in entry ? entry : { key: entry, kid: undefined };
        const object = typeof key === 'string' ? await importAnySpki(key) : key;
        keys.push({ key: object, algorithm: algorithmOf(object), kid });
      }
      if (options.jwksUrl) keys.push({ jwks: createRemoteJWKSet(new URL(options.jwksUrl)) });
      return keys;
    })();
  }

  /** `nowMs`: the time the token is checked at (tests); a remembered token is served until it expires on the clock. */
  async verify(token: string, nowMs = this.now()): Promise<TokenCheck> {
    const cached = this.cache.get(token);
    if (cached) return { ok: true, ...cached };
    let header: { alg?: string; kid?: string };
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: 'malformed token' };
    }
    if (!header.alg || !ALGORITHMS.includes(header.alg)) return { ok: false, reason: 'token algorithm not accepted' };
    const verifyWith = (key: Parameters<typeof jwtVerify>[1]) => jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
      issuer: this.options.issuer,
      audience: this.options.audience,
      algorithms: [header.alg!],
      clockTolerance: this.options.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(nowMs),
    });
    // Keys that may have signed it: same algorithm, and same key id where both name one.
    const candidates: Parameters<typeof jwtVerify>[1][] = [];
    for (const trusted of await this.keys) {
      if ('jwks' in trusted) candidates.push(trusted.jwks);
      else if (trusted.algorithm === header.alg && (!header.kid || !trusted.kid || trusted.kid === header.kid)) candidates.push(trusted.key);
    }
    let payload: JWTPayload | undefined;
    let lastReason = 'no trusted key matches the token';
    const attempt = async (key: Parameters<typeof jwtVerify>[1]): Promise<'verified' | 'next' | 'refused'> => {
      try {
        ({ payload } = await verifyWith(key));
        return 'verified';
      } catch (error) {
        if (error instanceof joseErrors.JWKSMultipleMatchingKeys) {
          // a JWKS with several keys that fit (no kid in the token): each of them in turn
          for await (const each of error as unknown as AsyncIterable<Parameters<typeof jwtVerify>[1]>) {
            const outcome = await attempt(each);
            if (outcome !== 'next') return outcome;
          }
          return 'next';
        }
        if (error instanceof joseErrors.JWKSNoMatchingKey) return 'next';
        lastReason = describeJoseError(error);
        // a bad signature, or a key that cannot verify this token: the next key may; anything else is the token's fault
        return error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof TypeError || error instanceof joseErrors.JWKSTimeout
          || error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC' ? 'next' : 'refused';
      }
    };
    for (const key of candidates) {
      const outcome = await attempt(key);
      if (outcome !== 'next') break;
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
