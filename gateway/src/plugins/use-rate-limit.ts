import type { ApolloServerPlugin } from '@apollo/server';
import { intFromEnv, isProduction } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import { refusal, refuseBeforeParsing } from './refusal';

/** Anonymous clients on the gateway's own host; GATEWAY_RATE_LIMIT_EXEMPT=loopback exempts them. */
export const LOOPBACK_CLIENTS = ['ip:127.0.0.1', 'ip:::1', 'ip:::ffff:127.0.0.1'];

export interface RateLimitOptions {
  /** Requests per second a client may make over time. Default 50. */
  rate?: number;
  /** Requests a client may make at once after being idle. Default 100. */
  burst?: number;
  /** Client ids (context.clientId) never limited, e.g. LOOPBACK_CLIENTS. Default none. */
  exempt?: string[];
  /** Buckets kept at most (see TokenBuckets). Default 100 000. */
  maxClients?: number;
  /** Milliseconds, monotonic; for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by client id. A bucket idle long enough to be full again is the same as no bucket, so a sweep drops
 * those (at most every max(burst/rate, 10) s, on a request: no timer); when `maxClients` are still tracked after a
 * sweep, the oldest bucket goes (that client starts again from a full bucket).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillMs: number;
  private readonly sweepEveryMs: number;
  private lastSweep: number;

  constructor(private readonly rate: number, private readonly burst: number, private readonly maxClients: number, private readonly now: () => number) {
    if (!(rate > 0) || !(burst >= 1)) throw new Error(`rate limit needs rate > 0 and burst >= 1, got ${rate} and ${burst}`);
    this.refillMs = (burst / rate) * 1000;
    this.sweepEveryMs = Math.max(this.refillMs, 10_000);
    this.lastSweep = now();
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [clientId, bucket] of this.buckets) if (t - bucket.at >= this.refillMs) this.buckets.delete(clientId);
  }

  /** Takes a token: 0 when there was one, else the seconds until there is. */
  take(clientId: string): number {
    const t = this.now();
    if (t - this.lastSweep >= this.sweepEveryMs) this.sweep(t);
    let bucket = this.buckets.get(clientId);
    if (!bucket) {
      if (this.buckets.size >= this.maxClients) {
        this.sweep(t);
        if (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
      }
      bucket = { tokens: this.burst, at: t };
      this.buckets.set(clientId, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((t - bucket.at) * this.rate) / 1000);
      bucket.at = t;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }
}

/**
 * A token bucket per client (context.clientId): `burst` requests at once, `rate` per second over time. Each GraphQL
 * operation takes a token (each of a batch too). Without one, the request is refused before parsing with
 * RATE_LIMITED, HTTP 429 and Retry-After (seconds until a token is back). Memory is bounded: see TokenBuckets.
 */
export function useRateLimit(options: RateLimitOptions = {}): ApolloServerPlugin<GatewayContext> {
  const exempt = new Set(options.exempt ?? []);
  const buckets = new TokenBuckets(options.rate ?? 50, options.burst ?? 100, options.maxClients ?? 100_000, options.now ?? (() => performance.now()));
  return {
    async requestDidStart(requestContext) {
      const { clientId } = requestContext.contextValue;
      if (exempt.has(clientId)) return;
      const retryAfter = buckets.take(clientId);
      if (!retryAfter) return;
      return refuseBeforeParsing(
        requestContext,
        refusal('RATE_LIMITED', `Too many requests: try again in ${retryAfter} s`, 429, { retryAfterSeconds: retryAfter }, { 'retry-after': String(retryAfter) }),
      );
    },
  };
}

/**
 * The default when nothing is configured: on (50/s, burst 100) in production, off elsewhere, where the bench and the
 * end-to-end suites push thousands of requests a second as a handful of callers (see README).
 */
export function defaultRateLimit(env: NodeJS.ProcessEnv = process.env): RateLimitOptions | false {
  return isProduction(env) ? {} : false;
}

/**
 * GATEWAY_RATE_LIMIT (requests/s per client, or off), GATEWAY_RATE_BURST (default twice the rate),
 * GATEWAY_RATE_LIMIT_EXEMPT (client ids, or loopback); undefined when none is set (the default applies).
 */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions | false | undefined {
  const raw = env.GATEWAY_RATE_LIMIT;
  if (raw === 'off' || raw === '0') return false;
  if (!raw && !env.GATEWAY_RATE_BURST && !env.GATEWAY_RATE_LIMIT_EXEMPT) return undefined;
  const rate = raw ? Number(raw) : undefined;
  if (rate !== undefined && !(rate > 0)) throw new Error(`GATEWAY_RATE_LIMIT must be a positive number or off, got "${raw}"`);
  const burst = env.GATEWAY_RATE_BURST ? intFromEnv('GATEWAY_RATE_BURST', 0, env) : undefined;
  const exemptRaw = env.GATEWAY_RATE_LIMIT_EXEMPT;
  const exempt = !exemptRaw ? undefined : exemptRaw.split(',').map((id) => id.trim()).flatMap((id) => (id === 'loopback' ? LOOPBACK_CLIENTS : id ? [id] : []));
  return { rate, burst: burst ?? (rate !== undefined ? Math.max(1, Math.ceil(rate * 2)) : undefined), exempt };
}
