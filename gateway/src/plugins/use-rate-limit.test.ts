import { afterAll, jest, test } from '@jest/globals';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Redis } from 'ioredis';
import { createClientLimiter, defaultRateLimit, LOOPBACK_CLIENTS, rateLimitFromEnv, rateLimitWindow, useRateLimit } from './use-rate-limit';
import { context, run, startTestGateway, testServer } from './testing';

const QUERY = '{ dossier(code: "x") { code } }';

// Set by the jest global setup when Redis answers (scripts/src/testing/services.ts), '' when it does not.
const REDIS_URL = process.env.TEST_REDIS_URL;
const withRedis = REDIS_URL ? test : test.skip;
const redisNote = REDIS_URL ? '' : ' [NOT RUN: needs Redis (TEST_REDIS_URL)]';
/** One prefix per run, so runs sharing a Redis do not count each other's requests; its keys are deleted at the end. */
const PREFIX = `onestop-test:${process.pid}-${Date.now().toString(36)}:rate-limit`;

afterAll(async () => {
  if (!REDIS_URL) return;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

/** Date and setTimeout only (rate-limiter-flexible's memory store reads both); promises and I/O run as usual. */
function fakeClock() {
  jest.useFakeTimers({
    now: 0,
    doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance', 'setInterval', 'clearInterval'],
  });
  return { advance: (ms: number) => jest.advanceTimersByTime(ms) };
}

test('a client gets `burst` requests per window of burst/rate s, then 429 until the window ends; others keep their own count', async () => {
  const { server, root } = await testServer([useRateLimit({ rate: 2, burst: 3 })]); // 3 per 2 s
  const clock = fakeClock();
  try {
    const alice = context('ip:203.0.113.7');
    for (let i = 0; i < 3; i++) assert.equal((await run(server, { query: QUERY }, alice)).status, 200);
    const refused = await run(server, { query: QUERY }, alice);
    assert.equal(refused.status, 429);
    assert.equal(refused.data, undefined);
    assert.equal(refused.error?.extensions?.code, 'RATE_LIMITED');
    assert.equal(refused.error?.extensions?.retryAfterSeconds, 2);
    assert.equal(refused.headers.get('retry-after'), '2');
    assert.equal(root.calls, 3, 'a refused request reached a resolver');

    assert.equal((await run(server, { query: QUERY }, context('citizen:001085012345'))).status, 200, 'another client is not limited');
    clock.advance(1500);
    const later = await run(server, { query: QUERY }, alice);
    assert.equal(later.status, 429);
    assert.equal(later.headers.get('retry-after'), '1', 'the seconds left in the window, rounded up');
    for (let i = 0; i < 10; i++) assert.equal((await run(server, { query: QUERY }, alice)).status, 429);
    clock.advance(500); // the window is over; the refused requests did not make it longer
    for (let i = 0; i < 3; i++) assert.equal((await run(server, { query: QUERY }, alice)).status, 200);
    assert.equal((await run(server, { query: QUERY }, alice)).status, 429);
  } finally {
    jest.useRealTimers();
    await server.stop();
  }
});

test('the caller\'s document is not even parsed once refused; exempt clients are never counted', async () => {
  const { server } = await testServer([useRateLimit({ rate: 0.1, burst: 1, exempt: ['ip:127.0.0.1'] })]);
  try {
    const client = context('ip:198.51.100.1');
    assert.equal((await run(server, { query: QUERY }, client)).status, 200);
    const garbage = await run(server, { query: '{ this is not graphql' }, client);
    assert.equal(garbage.status, 429);
    assert.equal(garbage.error?.extensions?.code, 'RATE_LIMITED');
    const hashOnly = await run(server, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, client);
    assert.equal(hashOnly.error?.extensions?.code, 'RATE_LIMITED');
    for (let i = 0; i < 20; i++) assert.equal((await run(server, { query: QUERY }, context('ip:127.0.0.1'))).status, 200);
  } finally {
    await server.stop();
  }
});

test('rate and burst as a fixed window: burst requests per burst/rate s, rounded up to whole seconds', () => {
  assert.deepEqual(rateLimitWindow(), { points: 100, seconds: 2 }, 'the defaults: 50/s, burst 100');
  assert.deepEqual(rateLimitWindow(10, 20), { points: 20, seconds: 2 });
  assert.deepEqual(rateLimitWindow(0.5, 2), { points: 2, seconds: 4 });
  assert.deepEqual(rateLimitWindow(2, 3), { points: 3, seconds: 2 }, '1.5 s rounds up: a little under 2/s over time');
  assert.deepEqual(rateLimitWindow(0.3, 3), { points: 3, seconds: 10 });
  assert.deepEqual(rateLimitWindow(100, 10), { points: 10, seconds: 1 }, 'never under a second');
  assert.throws(() => rateLimitWindow(0, 1), /rate > 0 and burst >= 1/);
  assert.throws(() => useRateLimit({ rate: 1, burst: 0 }), /rate > 0 and burst >= 1/);
});

test('through the gateway over HTTP: 429 with Retry-After, nothing sent to the subgraph', async () => {
  const gateway = await startTestGateway({ rateLimit: { rate: 0.5, burst: 2, exempt: [] } }); // 2 per 4 s
  try {
    assert.equal((await gateway.post({ query: QUERY })).status, 200);
    assert.equal((await gateway.post({ query: QUERY })).status, 200);
    const refused = await gateway.post({ query: QUERY });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '4');
    assert.deepEqual(refused.body, {
      errors: [{ message: 'Quá nhiều yêu cầu: vui lòng thử lại sau 4 giây', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 4 } }],
    });
    const english = await gateway.post({ query: QUERY }, { 'accept-language': 'en-GB,en;q=0.9' });
    assert.match(english.body.errors![0].message, /^Too many requests: try again in \d s$/, 'the same refusal in English when asked');
    assert.equal(gateway.subgraphRequests(), 2);
  } finally {
    await gateway.stop();
  }
});

test('by default on in production only; exemptions by client id, e.g. loopback', async () => {
  assert.deepEqual(defaultRateLimit({ NODE_ENV: 'production' }), {});
  assert.deepEqual(defaultRateLimit({ NODE_ENV: 'production', REDIS_URL: 'redis://10.0.0.7:6379' }), { redisUrl: 'redis://10.0.0.7:6379' });
  assert.equal(defaultRateLimit({ NODE_ENV: 'test' }), false);
  assert.equal(defaultRateLimit({ NODE_ENV: 'test', REDIS_URL: 'redis://10.0.0.7:6379' }), false, 'Redis alone does not turn it on');
  assert.equal(defaultRateLimit({}), false);
  const gateway = await startTestGateway({ rateLimit: { rate: 1, burst: 1, exempt: LOOPBACK_CLIENTS } });
  try {
    for (let i = 0; i < 5; i++) assert.equal((await gateway.post({ query: QUERY })).status, 200);
  } finally {
    await gateway.stop();
  }
});

test('configuration from the environment', () => {
  assert.equal(rateLimitFromEnv({ GATEWAY_RATE_LIMIT: 'off' }), false);
  assert.equal(rateLimitFromEnv({}), undefined);
  assert.equal(rateLimitFromEnv({ REDIS_URL: 'redis://10.0.0.7:6379' }), undefined, 'the default applies, with REDIS_URL');
  assert.deepEqual(rateLimitFromEnv({ GATEWAY_RATE_LIMIT: '10' }), { rate: 10, burst: 20, exempt: undefined });
  assert.deepEqual(rateLimitFromEnv({ GATEWAY_RATE_LIMIT: '10', GATEWAY_RATE_BURST: '15' }), { rate: 10, burst: 15, exempt: undefined });
  assert.deepEqual(rateLimitFromEnv({ GATEWAY_RATE_LIMIT_EXEMPT: 'loopback, ip:10.0.0.5' }), {
    rate: undefined, burst: undefined, exempt: [...LOOPBACK_CLIENTS, 'ip:10.0.0.5'],
  });
  assert.deepEqual(rateLimitFromEnv({ GATEWAY_RATE_LIMIT: '10', REDIS_URL: 'redis://:secret@10.0.0.7:6379/2', GATEWAY_RATE_LIMIT_KEY_PREFIX: 'staging:rl' }), {
    rate: 10, burst: 20, exempt: undefined, redisUrl: 'redis://:secret@10.0.0.7:6379/2', keyPrefix: 'staging:rl',
  });
  assert.throws(() => rateLimitFromEnv({ GATEWAY_RATE_LIMIT: 'fast' }), /GATEWAY_RATE_LIMIT/);
});

test('Redis unreachable from the start: each process limits on its own, with one warning', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as net.AddressInfo;
  await new Promise((resolve) => closed.close(resolve)); // nothing listens there now
  const logs: Record<string, unknown>[] = [];
  const limiter = createClientLimiter({ rate: 0.1, burst: 2, redisUrl: `redis://user:secret@127.0.0.1:${port}`, log: (entry) => logs.push(entry) });
  try {
    assert.equal(limiter.store, 'redis');
    assert.equal(await limiter.ready(300), false);
    assert.deepEqual(await Promise.all([limiter.take('ip:a'), limiter.take('ip:a')]), [0, 0]);
    assert.equal(await limiter.take('ip:a'), 20, 'limited, by this process: 2 per 20 s');
    assert.equal(await limiter.take('ip:b'), 0);
    const warnings = logs.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1, JSON.stringify(logs));
    assert.match(String(warnings[0].msg), /Redis does not answer: rate limits are counted per process/);
    assert.equal(warnings[0].redis, `redis://127.0.0.1:${port}`, 'no credentials in the log');
  } finally {
    await limiter.close();
  }
});

withRedis(`with REDIS_URL two processes share one client's limit${redisNote}`, async () => {
  const options = { rate: 0.2, burst: 5, redisUrl: REDIS_URL, keyPrefix: `${PREFIX}:shared`, exempt: [] }; // 5 per 25 s
  const [first, second] = [await testServer([useRateLimit(options)]), await testServer([useRateLimit(options)])];
  const redis = new Redis(REDIS_URL!);
  try {
    const alice = context('ip:203.0.113.9');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await run((i % 2 ? second : first).server, { query: QUERY }, alice)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429], 'the limit holds across both');
    assert.equal(first.root.calls + second.root.calls, 5);
    const refused = await run(second.server, { query: QUERY }, alice);
    assert.equal(refused.error?.extensions?.code, 'RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 24 && retryAfter <= 25, `Retry-After ${retryAfter}: what Redis has left of the window`);
    assert.equal(refused.error?.extensions?.retryAfterSeconds, retryAfter);
    const key = `${PREFIX}:shared:ip:203.0.113.9`;
    assert.ok(Number(await redis.get(key)) >= 6, 'counted in Redis');
    const ttl = await redis.pttl(key);
    assert.ok(ttl > 20_000 && ttl <= 25_000, `the key goes with the window (${ttl} ms left)`);
    assert.equal((await run(first.server, { query: QUERY }, context('ip:203.0.113.10'))).status, 200, 'another client has its own count');
  } finally {
    await first.server.stop();
    await second.server.stop();
    redis.disconnect();
  }
});

/** A TCP proxy to Redis that can hold every byte (Redis too slow) or go away (Redis unreachable), then come back. */
async function redisProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let stalled = false;
  const held: [net.Socket, Buffer][] = [];
  const forward = (to: net.Socket, chunk: Buffer) => (stalled ? held.push([to, chunk]) : to.write(chunk));
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]]) {
      sockets.add(from);
      from.on('data', (chunk: Buffer) => forward(to, chunk));
      from.on('error', () => to.destroy());
      from.on('close', () => (sockets.delete(from), to.destroy()));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(target.href);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.href,
    stall: () => void (stalled = true),
    resume() {
      stalled = false;
      for (const [to, chunk] of held.splice(0)) to.write(chunk);
    },
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve(), sockets.forEach((s) => s.destroy()))),
  };
}

withRedis(`when Redis is slow or unreachable at run time, each process limits on its own, and shares again once Redis answers${redisNote}`, async () => {
  const proxy = await redisProxy(new URL(REDIS_URL!));
  const logs: Record<string, unknown>[] = [];
  const keyPrefix = `${PREFIX}:outage`;
  const limiter = createClientLimiter({ rate: 0.1, burst: 3, redisUrl: proxy.url, keyPrefix, redisTimeoutMs: 200, log: (entry) => logs.push(entry) }); // 3 per 30 s
  const redis = new Redis(REDIS_URL!);
  const counted = async (client: string) => Number(await redis.get(`${keyPrefix}:${client}`));
  const takes = async (client: string, n: number) => {
    const answers: number[] = [];
    for (let i = 0; i < n; i++) answers.push(await limiter.take(client));
    return answers.map((seconds) => (seconds ? 429 : 200));
  };
  try {
    assert.equal(await limiter.ready(3000), true);
    assert.deepEqual(await takes('ip:a', 2), [200, 200]);
    assert.equal(await counted('ip:a'), 2, 'shared: counted in Redis');
    assert.equal(logs.length, 0);

    proxy.stall(); // Redis answers nothing: each call gives up after 200 ms
    const started = Date.now();
    assert.deepEqual(await takes('ip:b', 4), [200, 200, 200, 429], 'limited by this process meanwhile');
    assert.ok(Date.now() - started < 4 * 200 + 500, 'no request waits longer than the Redis timeout');
    assert.deepEqual(logs.map((l) => [l.level, l.msg]), [['warn', 'Redis does not answer: rate limits are counted per process until it does']]);
    proxy.resume();
    assert.deepEqual(await takes('ip:a', 2), [200, 429], 'shared again: the third of ip:a\'s window, then refused');
    assert.deepEqual(logs.map((l) => l.level), ['warn', 'info']);
    assert.equal(logs[1].msg, 'Redis answers again: rate limits are shared again');

    await proxy.cut(); // connection refused
    assert.deepEqual(await takes('ip:c', 4), [200, 200, 200, 429]);
    assert.equal(await counted('ip:c'), 0, 'nothing reached Redis');
    assert.deepEqual(logs.map((l) => l.level), ['warn', 'info', 'warn'], 'one warning per outage');
    await proxy.restore();
    assert.equal(await limiter.ready(5000), true, 'reconnected');
    assert.deepEqual(await takes('ip:d', 4), [200, 200, 200, 429]);
    assert.equal(await counted('ip:d'), 3, 'counted in Redis again (the refusal came from this process: ip:d had used its window)');
    assert.deepEqual(logs.map((l) => l.level), ['warn', 'info', 'warn', 'info']);
  } finally {
    await limiter.close();
    await proxy.close();
    redis.disconnect();
  }
});
