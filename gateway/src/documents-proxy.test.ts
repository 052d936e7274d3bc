import { afterAll, beforeAll, expect, test } from '@jest/globals';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { documentProxyRoutes, DocumentProxyOptions } from './documents-proxy';

/** The gateway's document routes on their own: refusals before anything is forwarded, and a subgraph that is not there. */
let server: http.Server;
let base = '';
let options: DocumentProxyOptions;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  options = {
    subgraphUrl: () => 'http://127.0.0.1:1/graphql', // nothing listens on port 1
    authenticate: async () => ({ clientId: 'citizen:001', identity: { role: 'citizen', subject: '001090000001' } }),
    log: (entry) => logs.push(entry),
  };
  server = http.createServer((req, res) => {
    const routes = documentProxyRoutes({ ...options });
    const route = routes[`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`];
    if (route) void route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const code = async (answer: Response) => ((await answer.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code;

test('a subgraph that does not answer is SUBGRAPH_UNAVAILABLE (502), logged; one not in the supergraph is 503', async () => {
  const down = await fetch(`${base}/documents/single-window/content?dossier=x&hash=y`);
  expect([down.status, await code(down)]).toEqual([502, 'SUBGRAPH_UNAVAILABLE']);
  expect(logs.some((entry) => entry.msg === 'document proxy failed' && entry.subgraph === 'single-window')).toBe(true);
  const subgraphUrl = options.subgraphUrl;
  options.subgraphUrl = () => undefined;
  const missing = await fetch(`${base}/documents/single-window/upload?token=t`, { method: 'PUT', body: '%PDF-1.4', headers: { 'content-type': 'application/pdf' } });
  expect([missing.status, await code(missing)]).toEqual([503, 'SUBGRAPH_UNAVAILABLE']);
  options.subgraphUrl = subgraphUrl;
});

test('the caller is refused as GraphQL would refuse it: no identity, a refused token, a rate limit', async () => {
  const authenticate = options.authenticate;
  options.authenticate = async () => ({ clientId: 'ip:127.0.0.1' });
  const anonymous = await fetch(`${base}/documents/single-window/content?dossier=x&hash=y`);
  expect([anonymous.status, await code(anonymous), anonymous.headers.get('www-authenticate')]).toEqual([401, 'UNAUTHENTICATED', 'Bearer']);
  options.authenticate = async () => {
    throw new GraphQLError('Too many requests', { extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map([['retry-after', '2']]) } } });
  };
  const limited = await fetch(`${base}/documents/single-window/upload?token=t`, { method: 'PUT', body: '%PDF-1.4' });
  expect([limited.status, await code(limited), limited.headers.get('retry-after')]).toEqual([429, 'RATE_LIMITED', '2']);
  options.authenticate = authenticate;
  const form = await fetch(`${base}/documents/single-window/upload?token=t`, { method: 'PUT', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect([form.status, await code(form)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
});
