import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { startGateway, RunningGateway } from './index';

/** A tiny subgraph that is not ours: the gateway must serve any valid supergraph. */
function fakeSubgraph(respond: (body: any) => unknown | 'hang'): Promise<{ url: string; server: http.Server }> {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const answer = respond(JSON.parse(raw || '{}'));
        if (answer === 'hang') return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}/graphql`, server });
    });
  });
}

function supergraph(sdl: string, url: string): string {
  const result = composeServices([{ name: 'weather', url, typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n${sdl}`) }]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.supergraphSdl;
}

async function ask(url: string, query: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: any; errors?: any[] };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-gateway-'));
const file = path.join(dir, 'supergraph.graphql');
let gateway: RunningGateway;
let subgraph: { url: string; server: http.Server };
let slow: { url: string; server: http.Server };
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  subgraph = await fakeSubgraph((body) => ({ data: { temperature: 31, ...(String(body.query).includes('humidity') ? { humidity: 80 } : {}) } }));
  slow = await fakeSubgraph(() => 'hang');
  fs.writeFileSync(file, supergraph('type Query { temperature: Int }', subgraph.url));
  gateway = await startGateway({ supergraphPath: file, port: 0, subgraphTimeoutMs: 300, subscriptions: false, log: (entry) => logs.push(entry) });
});

afterAll(async () => {
  await gateway.stop();
  subgraph.server.close();
  slow.server.closeAllConnections();
  slow.server.close();
});

test('serves a supergraph that is not ours, from a file', async () => {
  assert.deepEqual((await ask(gateway.url, '{ temperature }')).data, { temperature: 31 });
  assert.equal(process.env.APOLLO_TELEMETRY_DISABLED, '1');
});

test('reloads the supergraph when the file changes, and keeps serving when the new file is broken', async () => {
  fs.writeFileSync(file, supergraph('type Query { temperature: Int humidity: Int }', subgraph.url));
  const deadline = Date.now() + 10_000;
  let result = await ask(gateway.url, '{ temperature humidity }');
  while (result.errors && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    result = await ask(gateway.url, '{ temperature humidity }');
  }
  assert.deepEqual(result.data, { temperature: 31, humidity: 80 });
  assert.ok(logs.some((l) => l.msg === 'supergraph reloaded'));

  fs.writeFileSync(file, 'this is not a supergraph');
  const until = Date.now() + 10_000;
  while (!logs.some((l) => l.level === 'error') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  assert.ok(logs.some((l) => String(l.msg).includes('reload rejected')));
  assert.deepEqual((await ask(gateway.url, '{ temperature humidity }')).data, { temperature: 31, humidity: 80 });
});

test('a subgraph that does not answer fails the request after the timeout, not never', async () => {
  const slowFile = path.join(dir, 'slow.graphql');
  fs.writeFileSync(slowFile, supergraph('type Query { temperature: Int }', slow.url));
  const slowGateway = await startGateway({ supergraphPath: slowFile, port: 0, subgraphTimeoutMs: 300, watch: false, subscriptions: false, log: () => {} });
  try {
    const started = Date.now();
    const result = await ask(slowGateway.url, '{ temperature }');
    const elapsed = Date.now() - started;
    assert.equal(result.errors?.[0]?.extensions?.code, 'SUBGRAPH_TIMEOUT', JSON.stringify(result.errors));
    assert.equal(result.errors?.[0]?.extensions?.subgraph, 'weather');
    assert.equal(result.data?.temperature ?? null, null);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    const ready = await fetch(new URL('/ready', slowGateway.url));
    assert.equal(ready.status, 503);
  } finally {
    await slowGateway.stop();
  }
});
