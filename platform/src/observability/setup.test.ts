import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { close, createHttpServer, listen, sendJson } from '../http';
import { serviceObservability } from './setup';

async function serve(env: NodeJS.ProcessEnv) {
  const observability = serviceObservability('land', { env });
  const apollo = new ApolloServer({ typeDefs: 'type Query { ok: Int }', resolvers: { Query: { ok: () => 1 } } });
  await apollo.start();
  const server: http.Server = createHttpServer({
    apollo, context: async () => ({}), observe: observability.observe,
    routes: { ...observability.routes, 'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }) },
  });
  const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  const metricsPort = await observability.listen();
  return {
    observability, base, metricsPort,
    async stop() {
      await observability.close();
      await close(server);
      await apollo.stop();
    },
  };
}

test('by default /metrics is served next to /graphql, without a token, with this service\'s series', async () => {
  const running = await serve({});
  try {
    await fetch(`${running.base}/graphql?query=%7Bok%7D`, { headers: { 'apollo-require-preflight': 'true' } });
    const response = await fetch(`${running.base}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    assert.match(body, /^onestop_http_requests_total\{method="GET",route="\/graphql",status="200",service="land"\} 1$/m);
    assert.match(body, /^process_resident_memory_bytes /m);
    assert.equal(running.metricsPort, undefined);
  } finally {
    await running.stop();
  }
});

test('METRICS=off: no route, no series; METRICS_PORT: on a listener of its own, not next to /graphql', async () => {
  const off = await serve({ METRICS: 'off' });
  try {
    assert.equal(off.observability.metrics, undefined);
    assert.equal((await fetch(`${off.base}/metrics`)).status, 404);
  } finally {
    await off.stop();
  }
  const apart = await serve({ METRICS_PORT: '0' });
  try {
    assert.equal((await fetch(`${apart.base}/metrics`)).status, 404, 'not on the API port');
    assert.ok(apart.metricsPort && apart.metricsPort > 0);
    await fetch(`${apart.base}/health`);
    const response = await fetch(`http://127.0.0.1:${apart.metricsPort}/metrics`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^onestop_http_requests_total\{method="GET",route="\/health",status="200",service="land"\} 1$/m);
    assert.equal((await fetch(`http://127.0.0.1:${apart.metricsPort}/graphql`)).status, 404);
  } finally {
    await apart.stop();
  }
});
