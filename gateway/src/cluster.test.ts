import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { workersFromEnv } from './cluster';

// the compiled gateway, as it runs in production (npm test builds it first)
const MAIN = path.join(__dirname, '..', 'dist', 'main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-cluster-'));
let subgraph: http.Server;
let primary: ChildProcess;
const lines: Record<string, any>[] = [];

/** Resolves with the first log line (JSON) matching, from now or already seen, within the time. */
function waitForLine(match: (line: Record<string, any>) => boolean, from = 0, ms = 15_000): Promise<Record<string, any>> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const found = lines.slice(from).find(match);
      if (found) return resolve(found);
      if (Date.now() > deadline) return reject(new Error(`no such log line; last: ${JSON.stringify(lines.slice(-5))}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

async function ask(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ temperature }"}' });
  return (await response.json()) as { data?: unknown };
}

let port = 0;

beforeAll(async () => {
  subgraph = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{"temperature":31}}');
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(subgraph.address() as { port: number }).port}/graphql`;
  const composed = composeServices([{ name: 'weather', url, typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { temperature: Int }') }]);
  fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composed.supergraphSdl!);
  primary = spawn(process.execPath, [MAIN, '--supergraph', path.join(dir, 'supergraph.graphql'), '--port', '0', '--no-watch'], {
    env: {
      ...process.env, GATEWAY_WORKERS: '2', GATEWAY_SUBSCRIPTIONS: 'off', GATEWAY_RESPONSE_CACHE: 'off', AUTH_KEYS_DIR: path.join(dir, 'keys'),
      LOG_SYNC: 'true', LOG_LEVEL: 'info', NODE_ENV: 'test', METRICS: 'on',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let rest = '';
  const collect = (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part));
      } catch {
        lines.push({ raw: part });
      }
    }
  };
  primary.stdout!.on('data', collect);
  primary.stderr!.on('data', collect);
});

afterAll(async () => {
  if (primary.exitCode === null) primary.kill('SIGKILL');
  subgraph.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('GATEWAY_WORKERS: a number, auto, or refused with the reason', () => {
  assert.equal(workersFromEnv({}), 1);
  assert.equal(workersFromEnv({ GATEWAY_WORKERS: '3' }), 3);
  assert.equal(workersFromEnv({ GATEWAY_WORKERS: 'auto' }), os.availableParallelism());
  for (const bad of ['0', 'two', '1.5']) assert.throws(() => workersFromEnv({ GATEWAY_WORKERS: bad }), /GATEWAY_WORKERS must be/);
});

test('two workers share the port, /metrics counts both, a dead worker is replaced, SIGTERM stops all', async () => {
  await waitForLine((l) => l.msg === 'gateway ready');
  await waitForLine((l) => l.msg === 'gateway ready' && l.pid !== lines.find((x) => x.msg === 'gateway ready')!.pid);
  const ready = lines.filter((l) => l.msg === 'gateway ready');
  const workers = new Set(ready.map((l) => l.pid));
  assert.equal(workers.size, 2);
  port = Number(new URL(ready[0].url).port);
  assert.equal(Number(new URL(ready[1].url).port), port, 'one port');

  for (let i = 0; i < 20; i++) assert.deepEqual((await ask(port)).data, { temperature: 31 });
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const counted = metrics.split('\n').filter((l) => l.startsWith('onestop_graphql_requests_total{')).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  assert.equal(counted, 20, 'the metrics of both workers, summed');

  const victim = [...workers][0];
  const seen = lines.length;
  process.kill(victim, 'SIGKILL');
  const replacement = await waitForLine((l) => l.msg === 'gateway ready' && !workers.has(l.pid), seen);
  assert.ok(lines.slice(seen).some((l) => l.msg === 'gateway worker died; starting another' && l.pid === victim));
  for (let i = 0; i < 10; i++) assert.deepEqual((await ask(port)).data, { temperature: 31 }, 'still serving');

  const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
  primary.kill('SIGTERM');
  assert.equal(await exited, 0);
  for (const pid of [[...workers][1], replacement.pid]) assert.throws(() => process.kill(pid, 0), 'worker gone');
});
