import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import type { ConsumeOptions, IncomingMessage, Transport } from '@onestop/platform';
import { asDossierQuery } from './server';
import { DossierStatusFeed } from './status-feed';

test('a subscription becomes the dossier query with the same selection, variables, alias and fragments', () => {
  const translated = asDossierQuery(parse(`subscription Live($code: String!) { dossierStatusChanged(code: $code) { ...D status } }
    fragment D on Dossier { code procedure { name } }`));
  assert.notEqual(typeof translated, 'string');
  const { query, alias } = translated as Exclude<typeof translated, string>;
  assert.equal(alias, 'dossierStatusChanged');
  assert.match(query, /^query Live\(\$code: String!\) \{\s+dossierStatusChanged: dossier\(code: \$code\) \{\s+\.\.\.D\s+status/);
  assert.match(query, /fragment D on Dossier/);
  const aliased = asDossierQuery(parse('subscription { mine: dossierStatusChanged(code: "X") { status } }'));
  assert.equal((aliased as { alias: string }).alias, 'mine');
  assert.equal(asDossierQuery(parse('subscription { dossierStatusChanged(code: "X") { status } a: dossierStatusChanged(code: "Y") { status } }')),
    'subscribe to exactly one field, dossierStatusChanged');
  assert.equal(asDossierQuery(parse('query { dossier(code: "X") { status } }')), 'not a subscription');
});

test('the feed starts at the end of the topic under its own group and calls the listeners of that dossier only', async () => {
  let consumed: ConsumeOptions | undefined;
  const transport = {
    kind: 'embedded', ensureTopics: async () => undefined, publish: async () => undefined, readAll: async () => [], close: async () => undefined,
    consume: async (options: ConsumeOptions) => {
      consumed = options;
      return { stop: async () => undefined };
    },
  } as unknown as Transport;
  const feed = new DossierStatusFeed(transport);
  await feed.start();
  assert.equal(consumed!.fromLatest, true);
  assert.match(consumed!.groupId, /^onestop-gateway-/);
  assert.deepEqual(consumed!.topics, ['onestop.notification.dossier-status']);
  const seen: string[] = [];
  const stop = feed.listen('A', (event) => seen.push(`${event.code}:${event.status}`));
  const message = (code: string, status: string): IncomingMessage => ({
    topic: 't', partition: 0, offset: '1', key: code, headers: {},
    value: Buffer.from(JSON.stringify({ correlationId: code, payload: { status, statusCode: 9 } })),
  });
  await consumed!.handleBatch([message('A', 'RESOLVED'), message('B', 'RESOLVED'), { ...message('A', 'x'), value: Buffer.from('not json') }]);
  assert.deepEqual(seen, ['A:RESOLVED']);
  stop();
  await consumed!.handleBatch([message('A', 'RETURNED')]);
  assert.deepEqual(seen, ['A:RESOLVED']);
  assert.equal(feed.listening, 0);
});

test('errors on the socket are localized like HTTP answers: the connection parameter, else the upgrade request\'s header', async () => {
  const { localizing } = await import('./server');
  const { localizeErrors } = await import('../error-messages');
  const hooks = localizing(localizeErrors);
  const { GraphQLError } = await import('graphql');
  const refused = [new GraphQLError('Sign in to follow your dossiers: send a bearer token', { extensions: { code: 'UNAUTHENTICATED' } })];
  const socket = (header?: string, parameter?: string) => ({
    connectionParams: parameter ? { 'accept-language': parameter } : {},
    extra: { request: { headers: header ? { 'accept-language': header } : {} } as never },
  });
  const vietnamese = hooks.onNext(socket(), '1', {}, {}, { data: null, errors: refused });
  assert.match(vietnamese!.errors![0].message, /^Chưa đăng nhập/);
  assert.equal(vietnamese!.errors![0].extensions!.code, 'UNAUTHENTICATED');
  assert.match(hooks.onNext(socket('en-US'), '1', {}, {}, { errors: refused })!.errors![0].message, /^Sign in/);
  assert.match(hooks.onNext(socket('en-US', 'vi'), '1', {}, {}, { errors: refused })!.errors![0].message, /^Chưa đăng nhập/);
  assert.equal(hooks.onNext(socket(), '1', {}, {}, { data: { x: 1 } }), undefined, 'a result without errors goes as it is');
  assert.match(hooks.onError(socket(undefined, 'en'), '1', {}, refused)[0].message, /^Sign in/);
});
