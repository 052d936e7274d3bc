import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { describeIdentity, Identity, JwtVerifier } from '@onestop/platform/gateway';

export interface AuthenticationOptions {
  verifier: JwtVerifier;
  /** Whether a request without a token may read public data (the procedure catalogue); default true. */
  allowAnonymous?: boolean;
  /** Where refused tokens go on record. */
  log?: (entry: Record<string, unknown>) => void;
}

export type Authenticate = (req: http.IncomingMessage) => Promise<{ identity?: Identity; clientId: string }>;

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
  return async (req) => {
    const header = req.headers.authorization;
    if (!header) {
      if (!allowAnonymous) throw refuse(req, 'send Authorization: Bearer <token>');
      return { clientId: `ip:${req.socket.remoteAddress ?? 'unknown'}` };
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw refuse(req, 'the Authorization header must be "Bearer <token>"');
    const check = await options.verifier.verify(match[1]);
    if (!check.ok) throw refuse(req, check.reason);
    return { identity: check.identity, clientId: describeIdentity(check.identity) };
  };
}
