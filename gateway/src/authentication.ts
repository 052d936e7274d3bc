import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { describeIdentity, Identity, JwtVerifier } from '@onestop/platform/gateway';
import type { ClientLimiter } from './plugins/use-rate-limit';

export interface AuthenticationOptions {
  verifier: JwtVerifier;
  /** Whether a request without a token may read public data (the procedure catalogue); default true. */
  allowAnonymous?: boolean;
  /** Where refused tokens go on record. */
  log?: (entry: Record<string, unknown>) => void;
  /**
   * The rate limit's counts, by client address before authentication: each refused token counts against its address
   * (`ip:<address>`, as anonymous requests do), and an address out of requests is refused with 429 before its token is
   * looked at. Addresses in `exempt` are not counted.
   */
  addressLimit?: { limiter: Pick<ClientLimiter, 'take' | 'waitFor'>; exempt?: string[] };
}

/** `expiresAt`: when the caller's token expires (ms since the epoch); undefined for an anonymous caller. */
export type Authenticate = (req: http.IncomingMessage) => Promise<{ identity?: Identity; clientId: string; expiresAt?: number }>;

function rateLimited(retryAfter: number): GraphQLError {
  return new GraphQLError(`Too many requests: try again in ${retryAfter} s`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
  });
}

function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`Not signed in: ${reason}`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });
}

/**
 * Reads `Authorization: Bearer <JWT>` when the request's context is built: a bad token is refused with 401 before
 * anything is parsed; no token means an anonymous caller, who reaches public data only (or is refused when anonymous
 * access is off). Verified tokens are cached by the verifier until they expire.
 */
export function createAuthenticator(options: AuthenticationOptions): Authenticate {
  const allowAnonymous = options.allowAnonymous ?? true;
  const log = options.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const refuse = (req: http.IncomingMessage, reason: string) => {
    log({ level: 'warn', msg: 'access denied', service: 'gateway', requestId: req.headers['x-request-id'] ?? null, client: req.socket.remoteAddress ?? null, reason });
    return unauthenticated(reason);
  };
  const exempt = new Set(options.addressLimit?.exempt ?? []);
  const limiter = options.addressLimit?.limiter;
  return async (req) => {
    const address = `ip:${req.socket.remoteAddress ?? 'unknown'}`;
    const header = req.headers.authorization;
    if (!header) {
      if (!allowAnonymous) throw refuse(req, 'send Authorization: Bearer <token>');
      return { clientId: address };
    }
    const counted = limiter && !exempt.has(address) ? limiter : undefined;
    if (counted) {
      const retryAfter = await counted.waitFor(address);
      if (retryAfter) throw rateLimited(retryAfter);
    }
    const refuseCounted = async (reason: string) => {
      if (counted) await counted.take(address);
      return refuse(req, reason);
    };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw await refuseCounted('the Authorization header must be "Bearer <token>"');
    const check = await options.verifier.verify(match[1]);
    if (!check.ok) throw await refuseCounted(check.reason);
    return { identity: check.identity, clientId: describeIdentity(check.identity), expiresAt: check.expiresAt };
  };
}
