import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { composeServices } from '@apollo/composition';

// The compiled gateway, as it runs in production (npm test builds it first), with two workers sharing a rate limit
// through Redis (TEST_REDIS_URL: set by the jest global setup when Redis answers, '' when it does not).
const MAIN = path.join(__dirname, '..', 'dist', 'main.js');
const REDIS_URL = process.env.TEST_REDIS_URL;
const BURST = 6;
/** One prefix per run, so runs sharing a Redis do not count each other's requests; its keys are deleted at the end. */
const PREFIX = `onestop-test:${process.pid}-${Date.now().toString(36)}:cluster-rate-limit`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-cluster-rate-limit-'));
let subgraph: http.Server | undefined;
let primary: ChildProcess | undefined;
const lines: Record<string, any>[] = [];

/** Resolves with the first log line (JSON) matching, within the time. */
function waitForLine(match: (line: Record<string, any>) => boolean, ms = 15_000): Promise<Record<string, any>> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const found = lines.find(match);
      if (found) return resolve(found);
      if (Date.now() > deadline) return reject(new Error(`no such log line; last: ${JSON.stringify(lines.slice(-5))}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

/** One POST on a connection of its own, so that node's cluster hands each request to the next worker in turn. */
function ask(port: number, requestId: string): Promise<{ status: number; retryAfter?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    }, (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (raw += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, body: JSON.parse(raw) }));
    });
    req.on('error', reject);
    req.end('{"query":"{ temperature }"}');
  });
}

beforeAll(async () => {
  if (!REDIS_URL) return;
  subgraph = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{"temperature":31}}');
    });
  });
  await new Promise<void>((resolve) => subgraph!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(subgraph.address() as { port: number }).port}/graphql`;
  const composed = composeServices([{ name: 'weather', url, typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { temperature: Int }') }]);
  fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composed.supergraphSdl!);
  primary = spawn(process.execPath, [MAIN, '--supergraph', path.join(dir, 'supergraph.graphql'), '--port', '0', '--no-watch'], {
    env: {
      ...process.env, GATEWAY_WORKERS: '2', GATEWAY_SUBSCRIPTIONS: 'off', GATEWAY_RESPONSE_CACHE: 'off', AUTH_KEYS_DIR: path.join(dir, 'keys'),
      LOG_SYNC: 'true', LOG_LEVEL: 'info', NODE_ENV: 'test', METRICS: 'off',
      // BURST requests per 30 s window: the test is over long before it ends
      GATEWAY_RATE_LIMIT: String(BURST / 30), GATEWAY_RATE_BURST: String(BURST), REDIS_URL, GATEWAY_RATE_LIMIT_KEY_PREFIX: PREFIX,
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
  if (primary && primary.exitCode === null) {
    const exited = new Promise((resolve) => primary!.once('exit', resolve));
    primary.kill('SIGTERM');
    const timer = setTimeout(() => primary!.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  subgraph?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (REDIS_URL) {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
});

(REDIS_URL ? test : test.skip)(`GATEWAY_WORKERS=2 with REDIS_URL: a caller's requests spread over both workers get 429 after exactly its limit${REDIS_URL ? '' : ' [NOT RUN: needs Redis (TEST_REDIS_URL)]'}`, async () => {
  const first = await waitForLine((l) => l.msg === 'gateway ready');
  await waitForLine((l) => l.msg === 'gateway ready' && l.pid !== first.pid);
  const port = Number(new URL(first.url).port);

  const answers = [];
  for (let i = 0; i < BURST + 4; i++) answers.push(await ask(port, `${PREFIX}-${i}`));
  assert.deepEqual(answers.map((a) => a.status), [...Array(BURST).fill(200), 429, 429, 429, 429]);
  for (const answer of answers.slice(0, BURST)) assert.deepEqual(answer.body, { data: { temperature: 31 } });
  for (const refused of answers.slice(BURST)) {
    assert.equal(refused.body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= 30, `Retry-After ${refused.retryAfter}`);
  }

  // which worker answered each request: its log line (one per request, with the worker's pid)
  const workerOf = await Promise.all(answers.map((_, i) => waitForLine((l) => l.msg === 'request' && l.requestId === `${PREFIX}-${i}`)));
  const served = new Set(workerOf.slice(0, BURST).map((l) => l.pid));
  assert.equal(served.size, 2, 'both workers served the allowed requests, yet the caller got no more than its limit');
  assert.deepEqual(workerOf.map((l) => l.status), answers.map((a) => a.status));
  const warnings = lines.filter((l) => l.level === 'warn');
  assert.equal(warnings.length, 0, `Redis answered throughout: ${JSON.stringify(warnings)}`);
}, 60_000);
