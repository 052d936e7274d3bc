import { createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { Identity, identityKey } from './identity';

/**
 * The gateway's word on who is calling, passed to subgraphs in `x-onestop-identity`: a short-lived token signed with
 * the gateway's Ed25519 key. Subgraphs refuse GraphQL requests without a valid one, so nothing reaches a subgraph's
 * data around the gateway. Format: `v1.<base64url(JSON {id, exp})>.<base64url(signature over "v1.<payload>")>`;
 * `id` is null for an anonymous caller (public data only).
 */
export const IDENTITY_HEADER = 'x-onestop-identity';

interface TokenPayload {
  id: Identity | null;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export class IdentitySigner {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  constructor(private readonly privateKey: KeyObject, private readonly ttlSeconds = 60) {}

  static fromPem(pem: string | Buffer, ttlSeconds?: number): IdentitySigner {
    return new IdentitySigner(createPrivateKey(pem), ttlSeconds);
  }

  /** One signature per caller per half-lifetime: the token is reused by that caller's requests until then. */
  tokenFor(identity: Identity | null | undefined, nowMs = Date.now()): string {
    const key = identityKey(identity);
    const cached = this.cache.get(key);
    if (cached && cached.renewAt > nowMs) return cached.token;
    const payload: TokenPayload = { id: identity ?? null, exp: Math.floor(nowMs / 1000) + this.ttlSeconds };
    const body = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const token = `${body}.${sign(null, Buffer.from(body), this.privateKey).toString('base64url')}`;
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(key, { token, renewAt: nowMs + (this.ttlSeconds * 1000) / 2 });
    return token;
  }
}

export type IdentityCheck = { ok: true; identity: Identity | null } | { ok: false; reason: string };

export class IdentityVerifier {
  private readonly cache = new Map<string, TokenPayload>();

  constructor(private readonly publicKey: KeyObject) {}

  static fromPem(pem: string | Buffer): IdentityVerifier {
    return new IdentityVerifier(createPublicKey(pem));
  }

  verify(token: string | undefined | null, nowMs = Date.now()): IdentityCheck {
    if (!token) return { ok: false, reason: `no ${IDENTITY_HEADER} header: requests must come through the gateway` };
    let payload = this.cache.get(token);
    if (!payload) {
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== 'v1') return { ok: false, reason: 'malformed gateway identity' };
      const body = `${parts[0]}.${parts[1]}`;
      let valid = false;
      try {
        valid = verify(null, Buffer.from(body), this.publicKey, Buffer.from(parts[2], 'base64url'));
      } catch {
        valid = false;
      }
      if (!valid) return { ok: false, reason: 'gateway identity signature does not verify' };
      try {
        payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenPayload;
      } catch {
        return { ok: false, reason: 'malformed gateway identity' };
      }
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(token, payload);
    }
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= nowMs) return { ok: false, reason: 'gateway identity expired' };
    return { ok: true, identity: payload.id ?? null };
  }
}
