import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import { CACHE_HEADER, useResponseCache } from './use-response-cache';

const typeDefs = `
  type Query { procedures(limit: Int): [String!]! procedure(code: String!): String me: String }
  type Mutation { procedures: Int }
`;

function setup(ttlMs = 60_000, maxEntries?: number) {
  let clock = 0;
  const calls = { procedures: 0, me: 0 };
  let gate: Promise<void> = Promise.resolve();
  const cache = useResponseCache({ ttlMs, maxEntries, now: () => clock });
  const server = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        procedures: async (_: unknown, { limit }: { limit?: number }) => {
          calls.procedures++;
          await gate;
          return ['1.001', '1.002', '1.003'].slice(0, limit ?? 3).map((code) => `${code}@${calls.procedures}`);
        },
        procedure: (_: unknown, { code }: { code: string }) => {
          if (code === 'failing') throw new Error('the registry did not answer');
          return code === 'missing' ? null : code;
        },
        me: () => (calls.me++, 'someone'),
      },
      Mutation: { procedures: () => 1 },
    },
    plugins: [cache.plugin as never],
  });
  const ask = async (query: string, variables?: Record<string, unknown>) => {
    const response = await server.executeOperation({ query, variables });
    assert.equal(response.body.kind, 'single');
    const result = response.body.kind === 'single' ? response.body.singleResult : {};
    return { data: JSON.parse(JSON.stringify(result.data ?? null)), errors: result.errors, cache: response.http.headers.get(CACHE_HEADER) ?? null };
  };
  return {
    server, cache, calls, ask,
    tick: (ms: number) => (clock += ms),
    hold: () => {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => open();
    },
  };
}

test('a public query is answered once per query and variables, then from the cache', async () => {
  const { server, calls, ask, cache } = setup();
  await server.start();
  const q = 'query($n: Int) { procedures(limit: $n) }';
  const first = await ask(q, { n: 2 });
  assert.deepEqual(first, { data: { procedures: ['1.001@1', '1.002@1'] }, errors: undefined, cache: 'miss' });
  assert.deepEqual(await ask(q, { n: 2 }), { ...first, cache: 'hit' });
  assert.equal((await ask(q, { n: 1 })).cache, 'miss', 'other variables, other answer');
  assert.equal(calls.procedures, 2);
  assert.deepEqual(cache.stats(), { entries: 2, hits: 1, misses: 2, invalidations: 1 }, 'one invalidation: the schema loading');
  await server.stop();
});

test('anything beyond public fields, mutations and answers with errors are never cached', async () => {
  const { server, calls, ask } = setup();
  await server.start();
  for (let i = 0; i < 2; i++) assert.equal((await ask('{ procedures me }')).cache, null);
  assert.equal(calls.me, 2);
  for (let i = 0; i < 2; i++) assert.equal((await ask('mutation { procedures }')).cache, null);
  for (let i = 0; i < 2; i++) assert.equal((await ask('{ ... on Query { procedures } }')).cache, null, 'fragments at the root: not analysed, not cached');
  assert.equal((await ask('{ procedure(code: "missing") }')).cache, 'miss');
  assert.equal((await ask('{ procedure(code: "missing") }')).cache, 'hit', 'a null answer is still an answer');
  for (let i = 0; i < 2; i++) {
    const failed = await ask('{ procedure(code: "failing") }');
    assert.equal(failed.cache, 'miss', 'an answer with errors is not kept');
    assert.equal(failed.errors?.length, 1);
  }
  await server.stop();
});

test('a change drops every answer, and an answer computed across the change is not kept', async () => {
  const { server, calls, ask, cache, hold } = setup();
  await server.start();
  await ask('{ procedures }');
  cache.invalidate();
  const open = hold();
  const pending = ask('{ procedures }');
  await new Promise((resolve) => setImmediate(resolve));
  cache.invalidate(); // the catalogue changed while that answer was being read
  open();
  assert.equal((await pending).cache, 'miss');
  assert.equal((await ask('{ procedures }')).cache, 'miss', 'the answer read across the change was not kept');
  assert.equal((await ask('{ procedures }')).cache, 'hit');
  assert.equal(calls.procedures, 3);
  await server.stop();
});

test('answers expire after the TTL even without an event', async () => {
  const { server, ask, tick } = setup(1000);
  await server.start();
  await ask('{ procedures }');
  tick(999);
  assert.equal((await ask('{ procedures }')).cache, 'hit');
  tick(2);
  assert.equal((await ask('{ procedures }')).cache, 'miss');
  await server.stop();
});

test('when full, only the least recently used answer is dropped; an expired answer is not served', async () => {
  const { server, ask, tick, cache } = setup(1000, 2);
  await server.start();
  const of = (code: string) => `{ procedure(code: "${code}") }`;
  assert.deepEqual([await ask(of('a')), await ask(of('b')), await ask(of('a'))].map((r) => r.cache), ['miss', 'miss', 'hit']);
  assert.equal((await ask(of('c'))).cache, 'miss'); // full: b, the least recently used, goes
  assert.equal(cache.stats().entries, 2);
  assert.equal((await ask(of('a'))).cache, 'hit', 'a is kept');
  assert.equal((await ask(of('c'))).cache, 'hit');
  assert.equal((await ask(of('b'))).cache, 'miss', 'b was dropped');
  tick(1001);
  assert.deepEqual([(await ask(of('b'))).cache, (await ask(of('b'))).cache], ['miss', 'hit'], 'expired, answered again, then kept');
  await server.stop();
});

test('a cache needs a positive TTL and room for an answer', () => {
  assert.throws(() => useResponseCache({ ttlMs: 0 }), /ttlMs > 0 and maxEntries >= 1/);
  assert.throws(() => useResponseCache({ maxEntries: 0 }), /ttlMs > 0 and maxEntries >= 1/);
});
