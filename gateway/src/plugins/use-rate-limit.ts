import type { ApolloServerPlugin } from '@apollo/server';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { intFromEnv, isProduction } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import { refusal, refuseBeforeParsing } from './refusal';

/** Anonymous clients on the gateway's own host; GATEWAY_RATE_LIMIT_EXEMPT=loopback exempts them. */
export const LOOPBACK_CLIENTS = ['ip:127.0.0.1', 'ip:::1', 'ip:::ffff:127.0.0.1'];

export const DEFAULT_KEY_PREFIX = 'onestop:rate-limit';

export interface RateLimitOptions {
  /** Requests per second a client may make over time. Default 50. */
  rate?: number;
  /** Requests a client may make at once (in one window, see rateLimitWindow). Default 100. */
  burst?: number;
  /** Client ids (context.clientId) never limited, e.g. LOOPBACK_CLIENTS. Default none. */
  exempt?: string[];
  /**
   * Redis (REDIS_URL): the counts are kept there, so the limit holds across every gateway process using it (the
   * workers of GATEWAY_WORKERS, replicas). Default none: each process counts on its own.
   */
  redisUrl?: string;
  /** Prefix of the keys in Redis (GATEWAY_RATE_LIMIT_KEY_PREFIX); default `onestop:rate-limit`. */
  keyPrefix?: string;
  /** How long a Redis call may take before this process's own counts decide instead; default 500 ms. */
  redisTimeoutMs?: number;
  /** Where Redis outages and recoveries are reported (the gateway's log). */
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * `rate` and `burst` as rate-limiter-flexible's fixed window: `burst` requests per window of burst/rate seconds,
 * rounded up to whole seconds (Redis keeps expiries in seconds, and a window under a second would never expire
 * there). The long-run rate is then `rate` when burst/rate is whole (the defaults: 100 per 2 s), a little less otherwise.
 */
export function rateLimitWindow(rate = 50, burst = 100): { points: number; seconds: number } {
  if (!(rate > 0) || !(burst >= 1)) throw new Error(`rate limit needs rate > 0 and burst >= 1, got ${rate} and ${burst}`);
  const points = Math.floor(burst);
  // (the small tolerance keeps 3 / 0.3 = 10.000000000000002 at 10 s)
  return { points, seconds: Math.max(1, Math.ceil(points / rate - 1e-9)) };
}

/** Counts a client's requests; shared through Redis, or in this process. */
export interface ClientLimiter {
  readonly store: 'redis' | 'memory';
  /** Counts a request: 0 when the client may make it, else the seconds (at least 1) until it may again. */
  take(clientId: string): Promise<number>;
  /** Counts nothing: 0 while the client has requests left in its window, else the seconds until it has again. */
  waitFor(clientId: string): Promise<number>;
  /** Resolves true once Redis answers (at once without Redis); false if it did not within `timeoutMs` (the fallback warning is logged). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A Redis URL without its credentials, for the log. */
function describeRedis(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/**
 * What stands in for Redis when it does not answer (the library's insurance limiter): the same window, counted in this
 * process. Its answers are remembered so the caller can tell when Redis decides again.
 */
class ProcessFallback extends RateLimiterMemory {
  readonly answered = new WeakSet<object>();

  constructor(options: { points: number; duration: number; keyPrefix: string }, private readonly onUse: () => void) {
    super(options);
  }

  consume(key: string | number, points?: number, options?: { [key: string]: any }): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(key, points, options).then(
      (res) => (this.answered.add(res), res),
      (rej) => {
        if (rej instanceof RateLimiterRes) this.answered.add(rej);
        throw rej;
      },
    );
  }
}

/**
 * rate-limiter-flexible's fixed window per client (see rateLimitWindow): RateLimiterRedis with `redisUrl`,
 * RateLimiterMemory otherwise. Should Redis not answer (down, unreachable, slower than `redisTimeoutMs`), each process
 * limits its clients by its own counts (so with N processes a client may get up to N times its limit) until Redis
 * answers again: one warning when that starts, one line when it ends. Requests are never let through unlimited, nor
 * refused, because of Redis.
 */
export function createClientLimiter(options: RateLimitOptions = {}): ClientLimiter {
  const { points, seconds } = rateLimitWindow(options.rate, options.burst);
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const log = options.log ?? (() => undefined);
  const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

  if (!options.redisUrl) {
    const memory = new RateLimiterMemory({ points, duration: seconds, keyPrefix });
    return {
      store: 'memory',
      take: (clientId) => memory.consume(clientId).then(() => 0, (res: RateLimiterRes) => retryAfter(res)),
      waitFor: async (clientId) => {
        const res = await memory.get(clientId);
        return res && res.consumedPoints >= points ? retryAfter(res) : 0;
      },
      ready: async () => true,
      close: async () => undefined,
    };
  }

  const where = describeRedis(options.redisUrl);
  const client = new Redis(options.redisUrl, {
    // fail at once rather than queue while (re)connecting: the fallback answers meanwhile
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: options.redisTimeoutMs ?? 500,
    // how long close() lets a connection linger (ioredis waits this long even for one already gone: default 2 s)
    disconnectTimeout: 200,
  });
  let lastError: string | undefined;
  client.on('error', (error: Error) => void (lastError = error.message)); // it reconnects by itself
  let degraded = false;
  const degrade = () => {
    if (degraded) return;
    degraded = true;
    log({ level: 'warn', msg: 'Redis does not answer: rate limits are counted per process until it does', redis: where, error: lastError ?? null });
  };
  const fallback = new ProcessFallback({ points, duration: seconds, keyPrefix }, degrade);
  const shared = new RateLimiterRedis({
    storeClient: client,
    points,
    duration: seconds,
    keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: fallback,
    // a client over its limit is refused by this process until its window ends, without asking Redis each time
    inMemoryBlockOnConsumed: points,
  });
  const answered = (res: RateLimiterRes) => {
    if (degraded && !fallback.answered.has(res)) {
      degraded = false;
      log({ level: 'info', msg: 'Redis answers again: rate limits are shared again', redis: where });
    }
  };
  return {
    store: 'redis',
    take: (clientId) =>
      shared.consume(clientId).then(
        (res) => (answered(res), 0),
        (rej: unknown) => {
          if (!(rej instanceof RateLimiterRes)) throw rej; // not expected: the fallback answers for Redis's errors
          answered(rej);
          return retryAfter(rej);
        },
      ),
    waitFor: async (clientId) => {
      // Redis, else this process's own counts (as take does)
      const res = await shared.get(clientId).catch(() => fallback.get(clientId));
      return res && res.consumedPoints >= points ? retryAfter(res) : 0;
    },
    ready: (timeoutMs) =>
      new Promise((resolve) => {
        if (client.status === 'ready') return resolve(true);
        const done = (ok: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          if (!ok) degrade();
          resolve(ok);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.once('ready', onReady);
      }),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * A limit per client (context.clientId), rate-limiter-flexible's fixed window: `burst` requests per window of
 * burst/rate seconds (rateLimitWindow). Each GraphQL operation counts (each of a batch too). Over the limit, the
 * request is refused before parsing with RATE_LIMITED, HTTP 429 and Retry-After (seconds until the window ends). With
 * `redisUrl` the counts are shared by every gateway process (createClientLimiter says what happens when Redis is down);
 * the gateway waits up to 2 s for Redis when it starts. Counts go when their window ends.
 */
export function useRateLimit(options: RateLimitOptions & { limiter?: ClientLimiter } = {}): ApolloServerPlugin<GatewayContext> {
  const exempt = new Set(options.exempt ?? []);
  // (a limiter given here, shared with the authenticator's address limit, is closed with the server too)
  const limiter = options.limiter ?? createClientLimiter(options);
  return {
    async serverWillStart() {
      await limiter.ready(2000);
      return {
        async serverWillStop() {
          await limiter.close();
        },
      };
    },
    async requestDidStart(requestContext) {
      const { clientId } = requestContext.contextValue;
      if (exempt.has(clientId)) return;
      const retryAfter = await limiter.take(clientId);
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
 * end-to-end suites push thousands of requests a second as a handful of callers (see README). REDIS_URL and
 * GATEWAY_RATE_LIMIT_KEY_PREFIX apply to it.
 */
export function defaultRateLimit(env: NodeJS.ProcessEnv = process.env): RateLimitOptions | false {
  return isProduction(env) ? sharing(env) : false;
}

/** REDIS_URL and GATEWAY_RATE_LIMIT_KEY_PREFIX, when set. */
function sharing(env: NodeJS.ProcessEnv): Pick<RateLimitOptions, 'redisUrl' | 'keyPrefix'> {
  return {
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.GATEWAY_RATE_LIMIT_KEY_PREFIX ? { keyPrefix: env.GATEWAY_RATE_LIMIT_KEY_PREFIX } : {}),
  };
}

/**
 * GATEWAY_RATE_LIMIT (requests/s per client, or off), GATEWAY_RATE_BURST (default twice the rate),
 * GATEWAY_RATE_LIMIT_EXEMPT (client ids, or loopback), and with them REDIS_URL and GATEWAY_RATE_LIMIT_KEY_PREFIX;
 * undefined when none of the first three is set (the default applies).
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
  return { rate, burst: burst ?? (rate !== undefined ? Math.max(1, Math.ceil(rate * 2)) : undefined), exempt, ...sharing(env) };
}
