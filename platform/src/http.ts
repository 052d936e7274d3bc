import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, BaseContext, HeaderMap } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestObserver } from './observability/http-observer';
import { attachRequestScope, RequestScope } from './observability/request-scope';
import { isProduction } from './errors';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface HttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  graphqlPath?: string;
  /** Builds the per-request context; gets the request id echoed back in `x-request-id`. */
  context: (req: http.IncomingMessage, requestId: string) => Promise<TContext>;
  /** Extra routes keyed by "METHOD /path", e.g. "GET /health". */
  routes?: Record<string, RouteHandler>;
  maxBodyBytes?: number;
  /** Refuses a GraphQL request before its body is read (e.g. a subgraph without the gateway's identity). */
  guard?: (req: http.IncomingMessage) => { status: number; code: string; message: string } | null;
  /** Told of each request as it arrives (access log line, HTTP metrics: see observability/). */
  observe?: RequestObserver;
  /**
   * Runs first on every request (after the request id): may set response headers, and returns true when it has answered
   * the request itself (e.g. a CORS preflight, or a refused origin).
   */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Rewrites the errors of every GraphQL answer for the request (e.g. their messages in the caller's language). */
  localizeErrors?: (errors: readonly GraphQLFormattedError[], req: http.IncomingMessage) => GraphQLFormattedError[];
}

/**
 * A subgraph's `GET /ready`: 200 when `probe` (its database) answers, else 503. Outside production the answer adds
 * `details()` (database, bus, pid); in production it says ready or not and nothing else.
 */
export function readyRoute(subgraph: string, probe: () => Promise<unknown>, details: () => Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): RouteHandler {
  return async (_req, res) => {
    try {
      await probe();
      sendJson(res, 200, isProduction(env) ? { status: 'ready', subgraph } : { status: 'ready', subgraph, ...details() });
    } catch {
      sendJson(res, 503, { status: 'unavailable', subgraph, reason: 'database unreachable' });
    }
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Drain the rest rather than reset the connection, so the client still reads the 413.
        reject(new BodyTooLarge());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A small node:http integration for Apollo Server 5 (which ships none): GraphQL at one path,
 * plain routes for health, readiness and the like, a body size limit, and a request id on every response.
 */
export function createHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): http.Server {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const routes = options.routes ?? {};
  const knownPaths = new Set([graphqlPath, ...Object.keys(routes).map((key) => key.slice(key.indexOf(' ') + 1))]);

  const localize = options.localizeErrors;
  const graphqlError = (req: http.IncomingMessage, res: http.ServerResponse, status: number, code: string, message: string) => {
    const errors = [{ message, extensions: { code } }];
    sendJson(res, status, { errors: localize ? localize(errors, req) : errors });
  };
  /** An answer's text with its errors localized; as it was when it has none (or is not JSON). */
  const localized = (req: http.IncomingMessage, text: string): string => {
    if (!localize || !text.includes('"errors"')) return text;
    try {
      const body = JSON.parse(text) as { errors?: GraphQLFormattedError[] };
      if (!Array.isArray(body.errors)) return text;
      return JSON.stringify({ ...body, errors: localize(body.errors, req) });
    } catch {
      return text;
    }
  };

  const server = http.createServer(async (req, res) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128) || randomUUID();
    res.setHeader('x-request-id', requestId);
    // what the log line of this request tells (GraphQL plugins find it from the context value)
    const scope: RequestScope = { requestId };
    if (options.observe) {
      const path = (req.url ?? '/').split(/[?#]/, 1)[0];
      options.observe(req, res, scope, knownPaths.has(path) ? path : 'other');
    }
    try {
      if (options.intercept?.(req, res)) return;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = routes[`${req.method} ${url.pathname}`];
      if (route) return await route(req, res);
      if (url.pathname !== graphqlPath) return sendJson(res, 404, { error: 'not found' });
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        return graphqlError(req, res, 405, 'BAD_REQUEST', 'Only GET and POST are supported');
      }
      const refusal = options.guard?.(req);
      if (refusal) {
        req.resume();
        return graphqlError(req, res, refusal.status, refusal.code, refusal.message);
      }

      let body: unknown = undefined;
      if (req.method === 'POST') {
        let text: string;
        try {
          text = await readBody(req, maxBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLarge) {
            res.setHeader('connection', 'close');
            return graphqlError(req, res, 413, 'BAD_REQUEST', `Request body larger than ${maxBodyBytes} bytes`);
          }
          throw error;
        }
        const type = req.headers['content-type'] ?? '';
        if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
          try {
            body = text.length ? JSON.parse(text) : undefined;
          } catch {
            return graphqlError(req, res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
          }
        } else {
          body = text;
        }
      }

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const response = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
        context: async () => attachRequestScope(await options.context(req, requestId), scope),
      });
      for (const [key, value] of response.headers) {
        // an intercept's Vary (Origin) stays beside Apollo Server's own (Accept)
        const vary = key === 'vary' ? res.getHeader('vary') : undefined;
        res.setHeader(key, vary ? `${vary}, ${value}` : value);
      }
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        const text = localized(req, response.body.string);
        if (text !== response.body.string && res.hasHeader('content-length')) res.setHeader('content-length', Buffer.byteLength(text));
        res.end(text);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (!res.headersSent) graphqlError(req, res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.end();
      if (process.env.NODE_ENV !== 'test') console.error(`[${requestId}]`, error);
    }
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections?.();
  });
}

/**
 * With EXIT_WITH_PARENT=1 (set by the test and start scripts), a service stops when the process that launched it is
 * gone, so a killed test run never leaves servers holding its ports.
 */
export function exitWithParent(env: NodeJS.ProcessEnv = process.env): void {
  if (env.EXIT_WITH_PARENT !== '1') return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      console.error(JSON.stringify({ level: 'warn', msg: 'parent process gone; exiting' }));
      process.exit(1);
    }
  }, 1000).unref();
}
