import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse } from 'graphql';
import { startGateway } from '../index';
import { knownOperationNames, operationNamesOf } from './use-metrics';
import { startTestSubgraph, TEST_SDL, testRoot } from './testing';

/** The real gateway in front of one subgraph at `url` (TEST_SDL composed as the `registry` subgraph). */
async function gatewayFor(url: string, options: { subgraphTimeoutMs?: number } = {}) {
  const composed = composeServices([{
    name: 'registry', url,
    typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n${TEST_SDL}`),
  }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('; '));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-gateway-metrics-'));
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  fs.writeFileSync(supergraphPath, composed.supergraphSdl);
  const gateway = await startGateway({ supergraphPath, port: 0, watch: false, log: () => {}, ...options });
  const base = gateway.url.replace(/\/graphql$/, '');
  return {
    gateway,
    post: async (query: string, operationName?: string) =>
      (await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, operationName }) })).json() as Promise<{ data?: any; errors?: any[] }>,
    scrape: async () => {
      const response = await fetch(`${base}/metrics`);
      assert.equal(response.status, 200);
      return response.text();
    },
    async stop() {
      await gateway.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('per operation and per subgraph fetch: counts, latency, errors by code, on /metrics without a token', async () => {
  const root = testRoot();
  const failing = { ...root, citizen: () => { throw new GraphQLError('no such citizen', { extensions: { code: 'NOT_FOUND' } }); } };
  const subgraph = await startTestSubgraph(failing as unknown as ReturnType<typeof testRoot>);
  const running = await gatewayFor(subgraph.url);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await running.post('query DossierByCode { dossier(code: "x") { code } }')).errors, undefined);
    const missing = await running.post('query CitizenByNumber { citizen(personalNumber: "001085012345") { fullName } }');
    assert.equal(missing.errors?.[0].extensions.code, 'NOT_FOUND');
    await running.post('{ dossier(code: "x") { status } }');
    const body = await running.scrape();
    assert.match(body, /^onestop_graphql_requests_total\{operation="DossierByCode",service="gateway"\} 3$/m);
    assert.match(body, /^onestop_graphql_requests_total\{operation="anonymous",service="gateway"\} 1$/m);
    assert.match(body, /^onestop_graphql_errors_total\{operation="CitizenByNumber",code="NOT_FOUND",service="gateway"\} 1$/m);
    assert.match(body, /^onestop_subgraph_fetch_duration_seconds_count\{service="gateway",subgraph="registry"\} 5$/m);
    assert.match(body, /^onestop_subgraph_fetch_errors_total\{subgraph="registry",code="NOT_FOUND",service="gateway"\} 1$/m);
    assert.match(body, /^onestop_http_requests_total\{method="POST",route="\/graphql",status="200",service="gateway"\} 5$/m);
    const sum = Number(/^onestop_subgraph_fetch_duration_seconds_sum\{service="gateway",subgraph="registry"\} (\S+)$/m.exec(body)?.[1]);
    assert.ok(sum > 0 && sum < 5, `fetch time ${sum} s`);
  } finally {
    await running.stop();
    await subgraph.close();
  }
});

test('a subgraph that is down or does not answer in time is counted under its code', async () => {
  const hanging = http.createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const slow = await gatewayFor(`http://127.0.0.1:${(hanging.address() as { port: number }).port}/graphql`, { subgraphTimeoutMs: 200 });
  const down = await gatewayFor('http://127.0.0.1:9/graphql');
  try {
    assert.equal((await slow.post('{ dossier(code: "x") { code } }')).errors?.[0].extensions.code, 'SUBGRAPH_TIMEOUT');
    assert.match(await slow.scrape(), /^onestop_subgraph_fetch_errors_total\{subgraph="registry",code="SUBGRAPH_TIMEOUT",service="gateway"\} 1$/m);
    assert.equal((await down.post('{ dossier(code: "x") { code } }')).errors?.[0].extensions.code, 'SUBGRAPH_UNAVAILABLE');
    const body = await down.scrape();
    assert.match(body, /^onestop_subgraph_fetch_errors_total\{subgraph="registry",code="SUBGRAPH_UNAVAILABLE",service="gateway"\} 1$/m);
    assert.match(body, /^onestop_graphql_errors_total\{operation="anonymous",code="SUBGRAPH_UNAVAILABLE",service="gateway"\} 1$/m);
  } finally {
    await slow.stop();
    await down.stop();
    hanging.closeAllConnections();
    hanging.close();
  }
});

test('names always labelled: the saved reports\', and the portal manifest\'s in allowlist mode', () => {
  assert.deepEqual(operationNamesOf(['query A { x } mutation B { y }', 'fragment F on T { x }', 'not graphql', '{ anonymous }']), ['A', 'B']);
  const saved = knownOperationNames();
  assert.ok(saved.includes('ProcedureCatalogue'), saved.join(', '));
  const manifest = path.resolve(__dirname, '../../operations/portal.manifest.json');
  const withPortal = knownOperationNames({ mode: 'allowlist', manifest });
  assert.ok(withPortal.includes('CitizenOverview'));
  assert.ok(withPortal.length > saved.length);
  assert.deepEqual(knownOperationNames({ mode: 'off', manifest }), saved, 'the manifest counts only when it is enforced');
});
