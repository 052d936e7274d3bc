import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Identity } from '@onestop/platform';
import type { GatewayContext } from './context';
import { createSubgraphDispatcher, SubgraphDataSource } from './subgraph-data-source';

async function countingSubgraph(delayMs: number) {
  const seen: { query: string; requestId?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ query: JSON.parse(body).query, requestId: req.headers['x-request-id'] as string | undefined });
      const n = seen.length;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { n } })), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const citizen = (subject: string): Identity => ({ role: 'citizen', subject });
const call = (source: SubgraphDataSource, query: string, identity: Identity | undefined, requestId: string) =>
  source.process({ request: { query, variables: { n: '1' } }, context: { identity, requestId } as GatewayContext } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);

test('identical queries of one caller in flight share one subgraph request; other callers, mutations and later queries do not', async () => {
  const subgraph = await countingSubgraph(80);
  const dispatcher = createSubgraphDispatcher({ timeoutMs: 5000, connections: 8 });
  try {
    const source = new SubgraphDataSource('civil-status', subgraph.url, dispatcher);
    const query = 'query Overview__civil_status__0($n: String) { citizen { fullName } }';
    const [a, b, c] = await Promise.all([
      call(source, query, citizen('001090000001'), 'r1'), call(source, query, citizen('001090000001'), 'r2'), call(source, query, citizen('001090000002'), 'r3'),
    ]);
    assert.equal(subgraph.seen.length, 2, 'the same caller\'s second query waited for the first');
    assert.deepEqual(a.data, b.data);
    assert.notEqual(a, b, 'each gets its own object');
    assert.notDeepEqual(a.data, c.data);
    await Promise.all([call(source, 'mutation M { rate }', citizen('001090000001'), 'r4'), call(source, 'mutation M { rate }', citizen('001090000001'), 'r5')]);
    assert.equal(subgraph.seen.length, 4, 'mutations are never shared');
    await call(source, query, citizen('001090000001'), 'r6');
    assert.equal(subgraph.seen.length, 5, 'nothing is kept once answered');
    const off = new SubgraphDataSource('civil-status', subgraph.url, dispatcher, undefined, undefined, false);
    await Promise.all([call(off, query, undefined, 'r7'), call(off, query, undefined, 'r8')]);
    assert.equal(subgraph.seen.length, 7, 'GATEWAY_DEDUP=off');
  } finally {
    await dispatcher.close();
    await subgraph.close();
  }
});

test('a subgraph that is down or too slow is a typed error for every caller waiting on it', async () => {
  const slow = await countingSubgraph(4000);
  const dispatcher = createSubgraphDispatcher({ timeoutMs: 300, connections: 8 });
  try {
    const source = new SubgraphDataSource('land', slow.url, dispatcher);
    const results = await Promise.allSettled([call(source, '{ a }', undefined, 'r1'), call(source, '{ a }', undefined, 'r2')]);
    for (const r of results) assert.equal(r.status === 'rejected' && (r.reason as { extensions?: { code?: string } }).extensions?.code, 'SUBGRAPH_TIMEOUT', JSON.stringify(r));
    const down = new SubgraphDataSource('land', 'http://127.0.0.1:1/graphql', dispatcher);
    await assert.rejects(call(down, '{ a }', undefined, 'r3'), (e: { extensions?: { code?: string } }) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
  } finally {
    await dispatcher.close();
    await slow.close();
  }
});
