import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { defaultRateLimit, LOOPBACK_CLIENTS, rateLimitFromEnv, TokenBuckets, useRateLimit } from './use-rate-limit';
import { context, run, startTestGateway, testServer } from './testing';

const QUERY = '{ dossier(code: "x") { code } }';

test('a client gets `burst` requests at once, then one per 1/rate s; others keep their own bucket', async () => {
  let now = 0;
  const { server, root } = await testServer([useRateLimit({ rate: 2, burst: 3, now: () => now })]);
  try {
    const alice = context('ip:203.0.113.7');
    for (let i = 0; i < 3; i++) assert.equal((await run(server, { query: QUERY }, alice)).status, 200);
    const refused = await run(server, { query: QUERY }, alice);
    assert.equal(refused.status, 429);
    assert.equal(refused.data, undefined);
    assert.equal(refused.error?.extensions?.code, 'RATE_LIMITED');
    assert.equal(refused.error?.extensions?.retryAfterSeconds, 1);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(root.calls, 3, 'a refused request reached a resolver');

    assert.equal((await run(server, { query: QUERY }, context('citizen:001085012345'))).status, 200, 'another client is not limited');
    now += 400; // 0.8 token: still refused
    assert.equal((await run(server, { query: QUERY }, alice)).status, 429);
    now += 500; // refused requests take no token: 0.8 + 1.0 ≥ 1
    assert.equal((await run(server, { query: QUERY }, alice)).status, 200);
    assert.equal((await run(server, { query: QUERY }, alice)).status, 429);
  } finally {
    await server.stop();
  }
});

test('the caller\'s document is not even parsed once refused; exempt clients are never counted', async () => {
  let now = 0;
  const { server } = await testServer([useRateLimit({ rate: 1, burst: 1, now: () => now, exempt: ['ip:127.0.0.1'] })]);
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

test('buckets full again are dropped by a sweep; memory stays bounded', () => {
  let now = 0;
  const buckets = new TokenBuckets(10, 20, 1000, () => now);
  for (let i = 0; i < 500; i++) assert.equal(buckets.take(`ip:10.0.${i >> 8}.${i & 255}`), 0);
  now += 5_000;
  buckets.take('ip:192.0.2.1');
  assert.equal(buckets.size, 501, 'no sweep before 10 s');
  now += 5_000;
  buckets.take('ip:192.0.2.1'); // used 5 s ago: kept; the 500 others are idle for 10 s, full again after 2 s
  assert.equal(buckets.size, 1, 'idle buckets were kept');
});

test('with maxClients tracked, idle ones are swept first, then the oldest goes', () => {
  let now = 0;
  const buckets = new TokenBuckets(1, 1, 2, () => now);
  buckets.take('ip:a');
  now += 1000; // a is full again
  buckets.take('ip:b');
  buckets.take('ip:c'); // full: the sweep drops a
  assert.equal(buckets.size, 2);
  assert.equal(buckets.take('ip:b'), 1, 'b was kept');
});

test('through the plugin: beyond maxClients the oldest bucket goes', async () => {
  let now = 0;
  const { server } = await testServer([useRateLimit({ rate: 1, burst: 1, now: () => now, maxClients: 2, exempt: [] })]);
  try {
    const a = context('ip:a');
    assert.equal((await run(server, { query: QUERY }, a)).status, 200);
    assert.equal((await run(server, { query: QUERY }, a)).status, 429);
    // two other clients push a out (maxClients 2): a comes back with a full bucket
    assert.equal((await run(server, { query: QUERY }, context('ip:b'))).status, 200);
    assert.equal((await run(server, { query: QUERY }, context('ip:c'))).status, 200);
    assert.equal((await run(server, { query: QUERY }, a)).status, 200);
  } finally {
    await server.stop();
  }
});

test('through the gateway over HTTP: 429 with Retry-After, nothing sent to the subgraph', async () => {
  const gateway = await startTestGateway({ rateLimit: { rate: 0.5, burst: 2, exempt: [] } });
  try {
    assert.equal((await gateway.post({ query: QUERY })).status, 200);
    assert.equal((await gateway.post({ query: QUERY })).status, 200);
    const refused = await gateway.post({ query: QUERY });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '2');
    assert.deepEqual(refused.body, {
      errors: [{ message: 'Too many requests: try again in 2 s', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 2 } }],
    });
    assert.equal(gateway.subgraphRequests(), 2);
  } finally {
    await gateway.stop();
  }
});

test('by default on in production only; exemptions by client id, e.g. loopback', async () => {
  assert.deepEqual(defaultRateLimit({ NODE_ENV: 'production' }), {});
  assert.equal(defaultRateLimit({ NODE_ENV: 'test' }), false);
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
  assert.deepEqual(rateLimitFromEnv({ GATEWAY_RATE_LIMIT: '10' }), { rate: 10, burst: 20, exempt: undefined });
  assert.deepEqual(rateLimitFromEnv({ GATEWAY_RATE_LIMIT: '10', GATEWAY_RATE_BURST: '15' }), { rate: 10, burst: 15, exempt: undefined });
  assert.deepEqual(rateLimitFromEnv({ GATEWAY_RATE_LIMIT_EXEMPT: 'loopback, ip:10.0.0.5' }), {
    rate: undefined, burst: undefined, exempt: [...LOOPBACK_CLIENTS, 'ip:10.0.0.5'],
  });
  assert.throws(() => rateLimitFromEnv({ GATEWAY_RATE_LIMIT: 'fast' }), /GATEWAY_RATE_LIMIT/);
});
