import http from 'node:http';
import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER, IdentitySigner, RouteHandler, sendJson } from '@onestop/platform/gateway';
import type { Authenticate } from './authentication';

/** Subgraphs that keep documents, and the HTTP routes they serve them on (beside GraphQL). */
export const DOCUMENT_SUBGRAPHS = ['single-window'] as const;
const ROUTES = [
  { method: 'PUT', name: 'upload', path: '/documents/upload' },
  { method: 'GET', name: 'content', path: '/documents/content' },
] as const;

/** Form encodings a cross-site HTML form can send without a CORS preflight: never a document upload here. */
const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded|text\/plain)\b/i;
const PASSED_BACK = ['content-type', 'content-length', 'content-disposition', 'x-content-type-options', 'cache-control', 'x-onestop-issuer', 'x-onestop-signature'];

export interface DocumentProxyOptions {
  /** The subgraph's GraphQL URL (the supergraph's, or an override); undefined while no supergraph names it. */
  subgraphUrl: (name: string) => string | undefined;
  /** Null when security is off (benchmark baseline). */
  authenticate: Authenticate | null;
  signer?: IdentitySigner;
  log: (entry: Record<string, unknown>) => void;
}

function refuse(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/**
 * `PUT /documents/<subgraph>/upload?token=…` and `GET /documents/<subgraph>/content?…` on the gateway: the caller's
 * token is verified as for GraphQL, and the request streams to the owning subgraph with the signed identity (bytes are
 * passed on as they arrive, never collected here); the answer streams back the same way.
 */
export function documentProxyRoutes(options: DocumentProxyOptions): Record<string, RouteHandler> {
  const routes: Record<string, RouteHandler> = {};
  for (const subgraph of DOCUMENT_SUBGRAPHS) {
    for (const route of ROUTES) {
      routes[`${route.method} /documents/${subgraph}/${route.name}`] = async (req, res) => {
        const refuseUnread = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
          if (route.method === 'PUT') { res.setHeader('connection', 'close'); req.resume(); }
          refuse(res, status, code, message, headers);
        };
        let identity;
        if (options.authenticate) {
          try {
            identity = (await options.authenticate(req)).identity;
          } catch (error) {
            const extensions = (error as GraphQLError).extensions ?? {};
            const http = extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
            return refuseUnread(http?.status ?? 401, String(extensions.code ?? 'UNAUTHENTICATED'), (error as Error).message, Object.fromEntries(http?.headers ?? []));
          }
          if (!identity) return refuseUnread(401, 'UNAUTHENTICATED', 'Sign in: documents need a bearer token', { 'www-authenticate': 'Bearer' });
        }
        if (route.method === 'PUT' && FORM_TYPES.test(req.headers['content-type'] ?? '')) {
          return refuseUnread(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file itself as the body (e.g. Content-Type: application/pdf), not a form');
        }
        const base = options.subgraphUrl(subgraph);
        if (!base) return refuseUnread(503, 'SUBGRAPH_UNAVAILABLE', `${subgraph} is not in the supergraph`);
        const target = new URL(route.path + new URL(req.url ?? '/', 'http://localhost').search, base);
        const headers: Record<string, string> = { 'x-request-id': String(res.getHeader('x-request-id') ?? '') };
        for (const name of ['content-type', 'content-length', 'transfer-encoding']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        if (options.signer) headers[IDENTITY_HEADER] = options.signer.tokenFor(identity, subgraph);
        await new Promise<void>((resolve) => {
          const upstream = http.request(target, { method: route.method, headers }, (answer) => {
            const back: Record<string, string> = {};
            for (const name of PASSED_BACK) if (typeof answer.headers[name] === 'string') back[name] = answer.headers[name] as string;
            if (answer.headers.connection === 'close') back.connection = 'close';
            res.writeHead(answer.statusCode ?? 502, back);
            answer.pipe(res);
            answer.on('end', resolve);
            answer.on('error', () => { res.destroy(); resolve(); });
          });
          upstream.on('error', (error) => {
            options.log({ level: 'warn', msg: 'document proxy failed', subgraph, error: String(error), requestId: headers['x-request-id'] });
            if (!res.headersSent) refuseUnread(502, 'SUBGRAPH_UNAVAILABLE', `${subgraph} did not answer`);
            else res.destroy();
            resolve();
          });
          if (route.method === 'PUT') req.pipe(upstream);
          else upstream.end();
        });
      };
    }
  }
  return routes;
}
