import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestGateway } from './plugins/testing';

/** A subgraph address that answers every request with 500 and a body full of internals. */
async function brokenSubgraph(status: number) {
  const server = http.createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end('SQLITE_CORRUPT at /srv/onestop/data/registry.sqlite'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/graphql`, port, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

test.each([500, 401])('a subgraph\'s refusal (%i) reaches the caller as SUBGRAPH_ERROR naming the subgraph, never its address, status or answer', async (status) => {
  const broken = await brokenSubgraph(status);
  const logged: Record<string, unknown>[] = [];
  const gateway = await startTestGateway({ subgraphUrls: { registry: broken.url }, log: (entry) => void logged.push(entry) });
  try {
    const answer = await gateway.post({ query: '{ dossier(code: "x") { code } }' }, { 'x-request-id': 'disclosure-1', 'accept-language': 'en' });
    const text = JSON.stringify(answer.body);
    assert.deepEqual(answer.body.errors?.map((e) => e.extensions?.code), ['SUBGRAPH_ERROR'], text);
    assert.equal(answer.body.errors![0].message, 'The registry subgraph could not answer this request');
    // in Vietnamese by default, the code unchanged
    const vietnamese = await gateway.post({ query: '{ dossier(code: "x") { code } }' });
    assert.deepEqual(vietnamese.body.errors?.map((e) => [e.message, e.extensions?.code]), [['Hệ thống registry không xử lý được yêu cầu này', 'SUBGRAPH_ERROR']]);
    for (const secret of [String(broken.port), '127.0.0.1', String(status), 'SQLITE', '/srv/']) assert.equal(text.includes(secret), false, `${secret} leaked: ${text}`);
    // the detail is on record, with the request id
    const entry = logged.find((e) => e.msg === 'subgraph refused the request');
    assert.equal(entry?.requestId, 'disclosure-1');
    assert.deepEqual(entry?.response, { url: broken.url, status, body: 'SQLITE_CORRUPT at /srv/onestop/data/registry.sqlite' });
  } finally {
    await gateway.stop();
    await broken.close();
  }
});

test('GET /ready in production says ready or not, and which subgraph is down, without addresses or process ids', async () => {
  const gateway = await startTestGateway();
  const before = process.env.NODE_ENV;
  try {
    const ready = new URL('/ready', gateway.url);
    const development = await (await fetch(ready)).json() as Record<string, unknown>;
    assert.equal(development.pid, process.pid, 'outside production the detail stays');
    process.env.NODE_ENV = 'production';
    const response = await fetch(ready);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ready' });
  } finally {
    process.env.NODE_ENV = before;
    await gateway.stop();
  }
});

test('a GraphQL answer sent with an HTTP error keeps its own errors and codes, without the subgraph\'s address or status', async () => {
  const server = http.createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' })
    .end(JSON.stringify({ errors: [{ message: 'Sign in to read Dossier.code', extensions: { code: 'UNAUTHENTICATED' } }] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const gateway = await startTestGateway({ subgraphUrls: { registry: `http://127.0.0.1:${port}/graphql` } });
  try {
    const answer = await gateway.post({ query: '{ dossier(code: "x") { code } }' }, { 'accept-language': 'en' });
    assert.deepEqual(answer.body.errors?.map((e) => [e.message, e.extensions?.code]), [['Sign in to read Dossier.code', 'UNAUTHENTICATED']]);
    const text = JSON.stringify(answer.body);
    for (const secret of [String(port), '127.0.0.1', '401']) assert.equal(text.includes(secret), false, `${secret} leaked: ${text}`);
  } finally {
    await gateway.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
