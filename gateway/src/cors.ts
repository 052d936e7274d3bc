import type http from 'node:http';
import { isProduction, sendJson } from '@onestop/platform/gateway';

/** Request headers a portal may send: its token, the body type, a request id, and Apollo's persisted-query/CSRF ones. */
export const CORS_ALLOWED_HEADERS = [
  'authorization', 'content-type', 'x-request-id',
  'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'apollographql-client-version',
];
export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'OPTIONS'];
/** Response headers a portal's script may read. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after'];
/** How long a browser may keep a preflight's answer (seconds). */
export const CORS_MAX_AGE = 600;

export interface CorsOptions {
  /**
   * Exact origins (`scheme://host[:port]`) whose pages may call the graph; the gateway's own origin (the explorer) always
   * may. Default GATEWAY_CORS_ORIGINS; when unset, none in production and loopback pages (http://localhost:*,
   * http://127.0.0.1:*) elsewhere.
   */
  origins?: string[];
  /** The GraphQL path (default /graphql): the only path answered for other origins. */
  path?: string;
}

export interface CorsPolicy {
  /** Whether a request with this Origin header may be served (no Origin: not a browser's cross-origin call). */
  allows(origin: string | undefined, host: string | undefined): boolean;
  /** For createHttpServer's `intercept`: answers preflights and refused origins, adds the CORS headers otherwise. */
  intercept(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** For a WebSocket upgrade (ws's verifyClient): the same origin rule. */
  allowsUpgrade(req: http.IncomingMessage): boolean;
}

const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** `https://Portal.example.vn/` → `https://portal.example.vn`; throws on anything but an exact http(s) origin. */
export function normaliseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`GATEWAY_CORS_ORIGINS: "${value}" is not an origin (scheme://host[:port])`);
  }
  if (value.includes('*') || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(`GATEWAY_CORS_ORIGINS: "${value}" is not an exact origin (scheme://host[:port], no path, no wildcard)`);
  }
  return url.origin;
}

/** GATEWAY_CORS_ORIGINS: comma-separated exact origins, or `none`; undefined when unset (the default applies). */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = env.GATEWAY_CORS_ORIGINS?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'none') return [];
  return raw.split(',').map((origin) => origin.trim()).filter(Boolean).map(normaliseOrigin);
}

function refuse(res: http.ServerResponse, origin: string): void {
  sendJson(res, 403, { errors: [{ message: `Origin ${origin} may not call this graph`, extensions: { code: 'FORBIDDEN_ORIGIN' } }] }, { vary: 'Origin' });
}

/**
 * Cross-origin calls to the graph: a page from an allowed origin gets `Access-Control-Allow-Origin` (its own origin,
 * never `*`) with `Vary: Origin`, and its preflight a 204 listing the methods and headers above; any other origin is
 * refused with 403 FORBIDDEN_ORIGIN, over HTTP and at the WebSocket upgrade alike. Tokens travel in the Authorization
 * header, never in cookies, so no credentials mode is offered.
 */
export function corsPolicy(options: CorsOptions = {}, env: NodeJS.ProcessEnv = process.env): CorsPolicy {
  const configured = options.origins ?? corsOriginsFromEnv(env);
  const exact = new Set((configured ?? []).map(normaliseOrigin));
  const loopback = configured === undefined && !isProduction(env);
  const path = options.path ?? '/graphql';

  const allows = (origin: string | undefined, host: string | undefined): boolean => {
    if (origin === undefined) return true;
    if (exact.has(origin) || (loopback && LOOPBACK.test(origin))) return true;
    // the gateway's own pages (the explorer): same host and port, whatever scheme a proxy in front speaks
    try {
      return host !== undefined && new URL(origin).host === host.toLowerCase();
    } catch {
      return false;
    }
  };

  return {
    allows,
    intercept(req, res) {
      const pathname = (req.url ?? '/').split(/[?#]/, 1)[0];
      if (pathname !== path) return false;
      const origin = req.headers.origin;
      if (req.method === 'OPTIONS') {
        if (origin !== undefined && !allows(origin, req.headers.host)) {
          refuse(res, origin);
          return true;
        }
        res.writeHead(204, {
          allow: CORS_ALLOWED_METHODS.join(', '),
          vary: 'Origin',
          ...(origin === undefined ? {} : {
            'access-control-allow-origin': origin,
            'access-control-allow-methods': CORS_ALLOWED_METHODS.join(', '),
            'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
            'access-control-max-age': String(CORS_MAX_AGE),
          }),
        });
        res.end();
        return true;
      }
      res.setHeader('vary', 'Origin');
      if (origin === undefined) return false;
      if (!allows(origin, req.headers.host)) {
        req.resume();
        refuse(res, origin);
        return true;
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
      return false;
    },
    allowsUpgrade: (req) => allows(req.headers.origin, req.headers.host),
  };
}
