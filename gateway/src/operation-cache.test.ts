import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { startGateway, RunningGateway } from './index';
import { operationCacheStats } from './operation-cache';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-operation-cache-'));
let gateway: RunningGateway;
let subgraph: http.Server;

beforeAll(async () => {
  // A subgraph that answers every field it is asked for, whatever the directives: the gateway shapes the response.
  subgraph = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const query = String(JSON.parse(raw).query);
      const data: Record<string, unknown> = { [/\bt:\s*temperature/.test(query) ? 't' : 'temperature']: 31 };
      if (query.includes('humidity')) data.humidity = 80;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(subgraph.address() as { port: number }).port}/graphql`;
  const composed = composeServices([{ name: 'weather', url, typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { temperature: Int humidity: Int }') }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('; '));
  fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composed.supergraphSdl);
  gateway = await startGateway({ supergraphPath: path.join(dir, 'supergraph.graphql'), port: 0, subscriptions: false, log: () => {} });
});

afterAll(async () => {
  await gateway.stop();
  subgraph.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ask(variables: Record<string, unknown>) {
  const query = 'query Weather($humid: Boolean!) { t: temperature ...Wet }\nfragment Wet on Query { humidity @include(if: $humid) }';
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

test('one operation model per query text, each response shaped by its own variables', async () => {
  const before = operationCacheStats();
  assert.deepEqual(await ask({ humid: true }), { data: { t: 31, humidity: 80 } });
  assert.deepEqual(await ask({ humid: false }), { data: { t: 31 } });
  assert.deepEqual(await ask({ humid: true }), { data: { t: 31, humidity: 80 } });
  const after = operationCacheStats();
  assert.equal(after.misses - before.misses, 1, 'built once');
  assert.equal(after.hits - before.hits, 2, 'then reused');
  // a bad variable is still the caller's error, not a cached one
  const bad = await ask({ humid: 'yes' });
  assert.equal((bad.errors?.[0] as { extensions?: { code?: string } })?.extensions?.code, 'BAD_USER_INPUT');
});
