import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ExecutionResult, GraphQLError, parse, validate } from 'graphql';
import type { Transport } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import { ENTRY_STATUSES, myDossierQueries, MyDossierQueries, SNAPSHOT_SIZE, subscribeToMyDossiers } from './my-dossiers';
import { DossierStatusFeed } from './status-feed';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LIVE = parse(`subscription Live($withProcedure: Boolean! = true) { mine: myDossierStatusChanged { code status ...P } }
  fragment P on Dossier { procedure @include(if: $withProcedure) { name } }`);
const CITIZEN: GatewayContext = { requestId: 'r1', clientId: 'citizen:001090000001', identity: { role: 'citizen', subject: '001090000001' } };

test('the subscription becomes the snapshot through me, the codes page and the re-read of one dossier, all valid against the supergraph', async () => {
  const queries = myDossierQueries(LIVE) as MyDossierQueries;
  assert.equal(queries.alias, 'mine');
  assert.match(queries.snapshot, /mine: me \{\s+citizen \{\s+dossiers\(limit: 100\) \{\s+totalCount\s+items \{\s+code\s+status\s+\.\.\.P/);
  assert.match(queries.dossier, /query Live\(\$withProcedure: Boolean! = true, \$onestopMyDossierCode: String!\)/);
  assert.match(queries.dossier, /mine: dossier\(code: \$onestopMyDossierCode\)/);
  assert.match(queries.codes, /dossiers\(offset: \$offset, limit: 100\)/);
  const gateway = new ApolloGateway({ supergraphSdl: fs.readFileSync(path.join(ROOT, 'schemas', 'supergraph.graphql'), 'utf8') });
  const { schema } = await gateway.load();
  await gateway.stop();
  for (const query of [queries.snapshot, queries.codes, queries.dossier]) assert.equal(validate(schema, parse(query)).map((e) => e.message).join(), '', query);
  assert.equal(myDossierQueries(parse('subscription { myDossierStatusChanged { code } dossierStatusChanged(code: "x") { code } }')), 'subscribe to exactly one field, myDossierStatusChanged');
  assert.equal(myDossierQueries(parse('query { me { role } }')), 'not a subscription');
});

const idleTransport = { close: async () => undefined } as unknown as Transport;

/** A graph of one citizen's dossiers (newest first), answered the way the gateway would for that citizen. */
function fakeGraph(own: { code: string; status: string }[], reads: string[]) {
  return async (query: string, variables: Record<string, unknown> | undefined): Promise<ExecutionResult> => {
    if (query.includes('totalCount')) {
      reads.push('snapshot');
      return { data: { mine: { citizen: { dossiers: { totalCount: own.length, items: own.slice(0, SNAPSHOT_SIZE) } } } } };
    }
    if (query.includes('$offset')) {
      const offset = variables!.offset as number;
      reads.push(`codes@${offset}`);
      return { data: { mine: { citizen: { dossiers: { items: own.slice(offset, offset + SNAPSHOT_SIZE).map(({ code }) => ({ code })) } } } } };
    }
    const code = variables!.onestopMyDossierCode as string;
    reads.push(`dossier ${code}`);
    const found = own.find((d) => d.code === code);
    if (!found) return { data: { mine: null }, errors: [new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } })] };
    return { data: { mine: found } };
  };
}

async function next(stream: AsyncGenerator<ExecutionResult>): Promise<unknown> {
  const { value } = await stream.next();
  return (value as ExecutionResult).data;
}

test('a citizen gets a snapshot of their own dossiers, then changes of theirs, new ones included, and nobody else\'s', async () => {
  const own = [{ code: 'D2', status: 'RECEIVED' }, { code: 'D1', status: 'RESOLVED' }];
  const reads: string[] = [];
  const feed = new DossierStatusFeed(idleTransport);
  const stream = await subscribeToMyDossiers(feed, fakeGraph(own, reads), LIVE, undefined, undefined, CITIZEN) as AsyncGenerator<ExecutionResult>;
  assert.equal(typeof stream.next, 'function');
  assert.equal(feed.listening, 1);
  assert.deepEqual(await next(stream), { mine: own[0] });
  assert.deepEqual(await next(stream), { mine: own[1] });

  // another citizen's dossier changes: not a first status, so not even looked at
  feed.emit({ code: 'OTHER', status: 'RESOLVED' });
  // one of theirs changes
  own[0].status = 'TRANSFERRED';
  feed.emit({ code: 'D2', status: 'TRANSFERRED' });
  assert.deepEqual(await next(stream), { mine: { code: 'D2', status: 'TRANSFERRED' } });
  assert.deepEqual(reads, ['snapshot', 'dossier D2']);

  // someone else's new dossier: looked up in their own list only, never read
  feed.emit({ code: 'NEW-OTHER', status: 'DRAFT' });
  // their own new dossier (registered online): sent
  own.unshift({ code: 'D3', status: 'DRAFT' });
  feed.emit({ code: 'D3', status: 'DRAFT' });
  assert.deepEqual(await next(stream), { mine: { code: 'D3', status: 'DRAFT' } });
  assert.deepEqual(reads, ['snapshot', 'dossier D2', 'codes@0', 'codes@0', 'dossier D3']);
  assert.ok(!reads.includes('dossier NEW-OTHER') && !reads.includes('dossier OTHER'));
  // and from then on a known one
  own[0].status = 'RECEIVED';
  feed.emit({ code: 'D3', status: 'RECEIVED' });
  assert.deepEqual(await next(stream), { mine: { code: 'D3', status: 'RECEIVED' } });

  await stream.return(undefined);
  assert.equal(feed.listening, 0, 'the listener goes with the subscription');
  assert.ok(ENTRY_STATUSES.has('DRAFT') && !ENTRY_STATUSES.has('RESOLVED'));
});

test('a subscription that ends while waiting for an event ends at once and stops listening', async () => {
  const feed = new DossierStatusFeed(idleTransport);
  const stream = await subscribeToMyDossiers(feed, fakeGraph([{ code: 'D1', status: 'RECEIVED' }], []), LIVE, undefined, undefined, CITIZEN) as AsyncGenerator<ExecutionResult>;
  await stream.next();
  const waiting = stream.next(); // nothing of theirs happens
  feed.emit({ code: 'OTHER', status: 'RESOLVED' });
  await stream.return(undefined);
  assert.deepEqual(await waiting, { done: true, value: undefined });
  assert.equal(feed.listening, 0);
});

test('older dossiers than the snapshot still count as theirs', async () => {
  const own = Array.from({ length: SNAPSHOT_SIZE + 3 }, (_, i) => ({ code: `D${i}`, status: 'RECEIVED' }));
  const reads: string[] = [];
  const feed = new DossierStatusFeed(idleTransport);
  const stream = await subscribeToMyDossiers(feed, fakeGraph(own, reads), LIVE, undefined, undefined, CITIZEN) as AsyncGenerator<ExecutionResult>;
  assert.deepEqual(reads, ['snapshot', `codes@${SNAPSHOT_SIZE}`]);
  for (let i = 0; i < SNAPSHOT_SIZE; i++) await stream.next();
  const oldest = own[own.length - 1];
  oldest.status = 'RESOLVED';
  feed.emit({ code: oldest.code, status: 'RESOLVED' });
  assert.deepEqual(await next(stream), { mine: oldest });
  await stream.return(undefined);
});

test('refused: anonymous callers (UNAUTHENTICATED), officers and analysts (FORBIDDEN), a citizen without a record (NOT_FOUND)', async () => {
  const feed = new DossierStatusFeed(idleTransport);
  const graph = fakeGraph([], []);
  const codeOf = (result: unknown) => (result as ExecutionResult).errors?.[0]?.extensions?.code;
  assert.equal(codeOf(await subscribeToMyDossiers(feed, graph, LIVE, undefined, undefined, { requestId: 'a', clientId: 'ip:1' })), 'UNAUTHENTICATED');
  for (const role of ['officer', 'analyst', 'admin'] as const) {
    const result = await subscribeToMyDossiers(feed, graph, LIVE, undefined, undefined, { requestId: 'o', clientId: role, identity: { role, subject: 'x', agency: 'H99.TAX.00', sector: 'TAX' } });
    assert.equal(codeOf(result), 'FORBIDDEN', role);
  }
  const noRecord = async () => ({ data: { mine: { citizen: null } } });
  assert.equal(codeOf(await subscribeToMyDossiers(feed, noRecord, LIVE, undefined, undefined, CITIZEN)), 'NOT_FOUND');
  const failing = async () => ({ errors: [new GraphQLError('down', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } })] });
  assert.equal(codeOf(await subscribeToMyDossiers(feed, failing, LIVE, undefined, undefined, CITIZEN)), 'SUBGRAPH_UNAVAILABLE');
  assert.equal(feed.listening, 0, 'no listener left behind by a refusal');
});
