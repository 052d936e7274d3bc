import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { close, createHttpServer, listen, readyRoute } from './http';
import { formatError } from './errors';

let apollo: ApolloServer;
let server: http.Server;
let url = '';

beforeAll(async () => {
  apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'xin chào' } }, formatError });
  await apollo.start();
  server = createHttpServer({ apollo, maxBodyBytes: 1000, context: async () => ({}) });
  url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/graphql`;
});

afterAll(async () => {
  await close(server);
  await apollo.stop();
});

const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

test('a body over maxBodyBytes gets 413 and a GraphQL-shaped JSON error with a code, before it is parsed', async () => {
  for (const size of [1001 - '{"query":"{ hello } #"}'.length, 5 * 1024 * 1024]) {
    const response = await post(JSON.stringify({ query: `{ hello } #${'x'.repeat(size)}` }));
    assert.equal(response.status, 413, `${size} bytes`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), { errors: [{ message: 'Request body larger than 1000 bytes', extensions: { code: 'BAD_REQUEST' } }] });
  }
});

test('a body of exactly maxBodyBytes is served', async () => {
  const body = JSON.stringify({ query: `{ hello } #${'x'.repeat(1000 - '{"query":"{ hello } #"}'.length)}` });
  assert.equal(Buffer.byteLength(body), 1000);
  const response = await post(body);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { data: { hello: 'xin chào' } });
});

test('a chunked body (no content-length) that grows past maxBodyBytes still gets its 413, not a reset connection', async () => {
  const chunks = (async function* () {
    for (let i = 0; i < 20; i++) yield new TextEncoder().encode(`${i === 0 ? '{"query":"{ hello } #' : ''}${'x'.repeat(4096)}`);
    yield new TextEncoder().encode('"}');
  })();
  const response = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: ReadableStream.from(chunks), duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  assert.equal(response.status, 413);
  const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
  assert.equal(body.errors[0].extensions.code, 'BAD_REQUEST');
});

test('a subgraph\'s GET /ready in production says ready or not, without addresses or process ids', async () => {
  const details = () => ({ database: 'mysql://onestop@10.0.0.7:3306/onestop_land', bus: 'kafka 10.0.0.9:9092', pid: 4242 });
  const serve = async (probe: () => Promise<unknown>, env: NodeJS.ProcessEnv) => {
    const apolloReady = new ApolloServer({ typeDefs: 'type Query { hello: String }' });
    await apolloReady.start();
    const ready = createHttpServer({ apollo: apolloReady, context: async () => ({}), routes: { 'GET /ready': readyRoute('land', probe, details, env) } });
    const port = await listen(ready, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/ready`);
      return { status: response.status, text: await response.text() };
    } finally {
      await close(ready);
      await apolloReady.stop();
    }
  };
  const up = await serve(async () => 1, { NODE_ENV: 'production' });
  assert.equal(up.status, 200);
  assert.deepEqual(JSON.parse(up.text), { status: 'ready', subgraph: 'land' });
  const down = await serve(async () => { throw new Error('connect ECONNREFUSED 10.0.0.7:3306'); }, { NODE_ENV: 'production' });
  assert.equal(down.status, 503);
  assert.deepEqual(JSON.parse(down.text), { status: 'unavailable', subgraph: 'land', reason: 'database unreachable' });
  for (const text of [up.text, down.text]) assert.equal(/10\.0\.0\.|mysql:|kafka|pid|4242/.test(text), false, `leaked: ${text}`);
  // elsewhere the details help whoever runs it
  const dev = await serve(async () => 1, { NODE_ENV: 'development' });
  assert.equal(JSON.parse(dev.text).pid, 4242);
});
