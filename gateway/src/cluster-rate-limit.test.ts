import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Redis } from 'ioredis';
import { ClusterGateway, startClusterGateway } from './cluster-fixture';

// The compiled gateway with two workers sharing a rate limit through Redis (TEST_REDIS_URL: set by the jest global
// setup when Redis answers, '' when it does not).
const REDIS_URL = process.env.TEST_REDIS_URL;
const BURST = 6;
/** One prefix per run, so runs sharing a Redis do not count each other's requests; its keys are deleted at the end. */
const PREFIX = `onestop-test:${process.pid}-${Date.now().toString(36)}:cluster-rate-limit`;
let cluster: ClusterGateway | undefined;

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
  cluster = await startClusterGateway({
    METRICS: 'off',
    // BURST requests per 30 s window: the test is over long before it ends
    GATEWAY_RATE_LIMIT: String(BURST / 30), GATEWAY_RATE_BURST: String(BURST), REDIS_URL, GATEWAY_RATE_LIMIT_KEY_PREFIX: PREFIX,
  });
});

afterAll(async () => {
  await cluster?.stop();
  if (REDIS_URL) {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
});

(REDIS_URL ? test : test.skip)(`GATEWAY_WORKERS=2 with REDIS_URL: a caller's requests spread over both workers get 429 after exactly its limit${REDIS_URL ? '' : ' [NOT RUN: needs Redis (TEST_REDIS_URL)]'}`, async () => {
  const { lines, waitForLine } = cluster!;
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
