import { createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import type { LRUCache } from 'lru-cache';
import { lruCache } from '../lru';
import { Identity, identityKey } from './identity';

/**
 * The gateway's word on who is calling, passed to subgraphs in `x-onestop-identity`: a short-lived token signed with
 * the gateway's Ed25519 key. Subgraphs refuse GraphQL requests without a valid one, so nothing reaches a subgraph's
 * data around the gateway. Format: `v1.<base64url(JSON {id, aud, exp})>.<base64url(signature over "v1.<payload>")>`;
 * `id` is null for an anonymous caller (public data only); `aud` names the one subgraph the token is for, so a token
 * seen by one subgraph is refused by the others.
 */
export const IDENTITY_HEADER = 'x-onestop-identity';

interface TokenPayload {
  id: Identity | null;
  /** The subgraph (or, for the benchmarks' other gateways only, subgraphs) the token is for. */
  aud: string | string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** How many tokens the signer and the verifier remember (the least recently used forgotten first), and their clock. */
export interface TokenCacheOptions {
  /** Default 10 000. */
  cacheEntries?: number;
  /** Ms since the epoch; for tests. */
  now?: () => number;
}

export class IdentitySigner {
  private readonly now: () => number;
  /** Audience and caller (identityKey) → the token its requests carry, until its half-lifetime. */
  private readonly cache: LRUCache<string, string>;

  constructor(private readonly privateKey: KeyObject, private readonly ttlSeconds = 60, options: TokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.cache = lruCache(options.cacheEntries ?? 10_000, this.now);
  }

  static fromPem(pem: string | Buffer, ttlSeconds?: number, options?: TokenCacheOptions): IdentitySigner {
    return new IdentitySigner(createPrivateKey(pem), ttlSeconds, options);
  }

  /**
   * One signature per caller and subgraph per half-lifetime: the token is reused by that caller's requests to that
   * subgraph until then. `audience`: the subgraph's name (a list only for the benchmarks, whose other gateways forward
   * one header to every subgraph). `nowMs`: the time the token is made at (tests); a remembered one is served until
   * its half-lifetime on the clock.
   */
  tokenFor(identity: Identity | null | undefined, audience: string | readonly string[], nowMs = this.now()): string {
    const key = `${typeof audience === 'string' ? audience : audience.join(',')}\n${identityKey(identity)}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const payload: TokenPayload = { id: identity ?? null, aud: typeof audience === 'string' ? audience : [...audience], exp: Math.floor(nowMs / 1000) + this.ttlSeconds };
    const body = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const token = `${body}.${sign(null, Buffer.from(body), this.privateKey).toString('base64url')}`;
    const ttl = nowMs + (this.ttlSeconds * 1000) / 2 - this.now();
    if (ttl > 0) this.cache.set(key, token, { ttl }); // (a ttl of 0 would be none)
    return token;
  }
}

export type IdentityCheck = { ok: true; identity: Identity | null } | { ok: false; reason: string };

export class IdentityVerifier {
  private readonly now: () => number;
  /** Token → its payload, once its signature verified, until it expires. */
  private readonly cache: LRUCache<string, TokenPayload>;

  constructor(private readonly publicKey: KeyObject, options: TokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.cache = lruCache(options.cacheEntries ?? 10_000, this.now);
  }

  static fromPem(pem: string | Buffer, options?: TokenCacheOptions): IdentityVerifier {
    return new IdentityVerifier(createPublicKey(pem), options);
  }

  /** `audience`: this subgraph's name; a token for another subgraph is refused. */
  verify(token: string | undefined | null, audience: string, nowMs = this.now()): IdentityCheck {
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
      const ttl = payload.exp * 1000 - this.now();
      if (ttl > 0) this.cache.set(token, payload, { ttl }); // (expired, or no number: not remembered)
    }
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= nowMs) return { ok: false, reason: 'gateway identity expired' };
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
    if (!audiences.includes(audience)) return { ok: false, reason: `gateway identity is not for the ${audience} subgraph` };
    return { ok: true, identity: payload.id ?? null };
  }
}
