import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { getOperationAST, parse } from 'graphql';
import {
  buildManifest,
  invalidOperations,
  OperationAllowlist,
  persistedOperationsFromEnv,
  readOperationSources,
  sha256,
  usePersistedOperations,
} from './use-persisted-operations';
import { analyseOperation, evaluateCost } from './use-operation-limits';
import { context, run, startTestGateway, testServer } from './testing';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PORTAL_DIR = path.join(ROOT, 'gateway', 'operations', 'portal');
const PORTAL_MANIFEST = path.join(ROOT, 'gateway', 'operations', 'portal.manifest.json');

const manifest = buildManifest([
  { name: 'lookup.graphql', text: 'query Lookup($code: String!) { dossier(code: $code) { code ...Steps } }' },
  { name: 'steps.graphql', text: 'fragment Steps on Dossier { timeline { at action } }' },
]);
const LOOKUP = manifest.operations[0];
const ARBITRARY = '{ dossiers(limit: 100) { items { code applicant { personalNumber fullName } } } }';
const citizen = context('citizen:001085012345', { role: 'citizen', subject: '001085012345' });
const analyst = context('analyst:a.tran', { role: 'analyst', subject: 'a.tran' });

test('the manifest holds each named operation with the fragments it uses; its id is the sha256 of its text', () => {
  assert.equal(manifest.format, 'apollo-persisted-query-manifest');
  assert.equal(LOOKUP.name, 'Lookup');
  assert.equal(LOOKUP.type, 'query');
  assert.equal(LOOKUP.id, sha256(LOOKUP.body));
  assert.match(LOOKUP.body, /^query Lookup\(\$code: String!\) \{[\s\S]*\n\nfragment Steps on Dossier \{/);
  assert.throws(() => buildManifest([{ name: 'a.graphql', text: '{ dossier(code: "x") { code } }' }]), /needs a name/);
  assert.throws(() => buildManifest([{ name: 'a.graphql', text: 'query A { x } query A { y }' }]), /defined twice/);
  assert.throws(() => buildManifest([{ name: 'a.graphql', text: 'query A { x { ...Missing } }' }]), /unknown fragment Missing/);
  assert.throws(() => buildManifest([{ name: 'a.graphql', text: 'type X { y: Int }' }]), /only operations and fragments/);
});

test('both manifest formats load; an id that is not the sha256 of its text is refused', () => {
  const apollo = new OperationAllowlist(manifest);
  const plain = new OperationAllowlist({ operations: { [LOOKUP.id]: LOOKUP.body } });
  assert.equal(apollo.byHash.get(LOOKUP.id), LOOKUP.body);
  assert.equal(plain.byHash.get(LOOKUP.id), LOOKUP.body);
  assert.throws(() => new OperationAllowlist({ operations: { ['0'.repeat(64)]: LOOKUP.body } }), /not the sha256/);
  assert.throws(() => new OperationAllowlist({ operations: {} }), /no operations/);
  assert.throws(() => new OperationAllowlist({ ...manifest, version: 2 } as any), /unknown manifest format/);
});

test('the portal manifest is built from gateway/operations/portal, and every operation in it is valid and within the default limits', async () => {
  const committed = JSON.parse(fs.readFileSync(PORTAL_MANIFEST, 'utf8'));
  assert.deepEqual(committed, buildManifest(readOperationSources(PORTAL_DIR)),
    'portal.manifest.json is stale: npm run operations -- manifest gateway/operations/portal gateway/operations/portal.manifest.json');
  assert.ok(committed.operations.length >= 3);
  const gateway = new ApolloGateway({ supergraphSdl: fs.readFileSync(path.join(ROOT, 'schemas', 'supergraph.graphql'), 'utf8') });
  const { schema } = await gateway.load();
  await gateway.stop();
  const invalid = invalidOperations(schema, committed);
  assert.deepEqual(invalid.map(({ name, errors }) => `${name}: ${errors.map((e) => e.message).join('; ')}`), []);
  for (const operation of committed.operations) {
    const document = parse(operation.body);
    const shape = analyseOperation(schema, document, getOperationAST(document)!);
    assert.ok(shape.depth <= 12 && shape.aliases <= 30 && shape.rootFields <= 15, operation.name);
    assert.ok(evaluateCost(shape.cost, { limit: 100 }) <= 10_000, `${operation.name} costs ${evaluateCost(shape.cost, { limit: 100 })}`);
  }
  // and the check does fail on an operation the schema does not have
  const broken = buildManifest([{ name: 'x.graphql', text: 'query X { citizen(personalNumber: "1") { salary } }' }]);
  assert.equal(invalidOperations(schema, broken).length, 1);
});

test('allowlist: listed operations run, by text or by hash alone; anything else is refused (403) before it runs, even with a token', async () => {
  const { server, root } = await testServer([usePersistedOperations({ mode: 'allowlist', manifest })]);
  try {
    const variables = { code: 'x' };
    const byText = await run(server, { query: LOOKUP.body, variables });
    assert.equal(byText.errors, undefined, JSON.stringify(byText.errors));
    assert.equal(byText.data?.dossier?.code, '000.00.31.H99-250701-0001');
    const byHash = await run(server, { variables, extensions: { persistedQuery: { version: 1, sha256Hash: LOOKUP.id } } });
    assert.equal(byHash.errors, undefined, JSON.stringify(byHash.errors));
    assert.deepEqual(byHash.data, byText.data);
    assert.equal(root.calls, 2);

    const refusals = [
      { query: ARBITRARY },
      { query: `${LOOKUP.body} ` }, // not the registered text
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ARBITRARY) } } },
      { query: ARBITRARY, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ARBITRARY) } } }, // APQ registration
    ];
    for (const request of refusals) {
      for (const caller of [context(), citizen]) {
        const { status, error, data } = await run(server, { ...request, variables }, caller);
        assert.equal(status, 403, JSON.stringify(request));
        assert.equal(data, undefined);
        assert.equal(error?.extensions?.code, 'PERSISTED_OPERATION_NOT_ALLOWED');
      }
    }
    assert.equal(root.calls, 2, 'a refused operation ran');
    // once refused, a hash is still unknown: the refused registration above stored nothing
    assert.equal((await run(server, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ARBITRARY) } } })).status, 403);
  } finally {
    await server.stop();
  }
});

test('analysts and admins may run any operation (the explorer) unless anyOperationRoles says otherwise; mode off restricts nothing', async () => {
  const open = await testServer([usePersistedOperations({ mode: 'allowlist', manifest })]);
  const strict = await testServer([usePersistedOperations({ mode: 'allowlist', manifest, anyOperationRoles: [] })]);
  const off = await testServer([usePersistedOperations({ mode: 'off' })]);
  try {
    assert.equal((await run(open.server, { query: ARBITRARY }, analyst)).status, 200);
    // Apollo Server's APQ still works for them: register, then send the hash alone
    const hash = sha256(ARBITRARY);
    assert.equal((await run(open.server, { query: ARBITRARY, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, analyst)).status, 200);
    assert.equal((await run(open.server, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, analyst)).status, 200);
    assert.equal((await run(open.server, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, citizen)).status, 403, 'the APQ cache is no way around the allowlist');

    assert.equal((await run(strict.server, { query: ARBITRARY }, analyst)).error?.extensions?.code, 'PERSISTED_OPERATION_NOT_ALLOWED');
    assert.equal((await run(off.server, { query: ARBITRARY })).status, 200);
  } finally {
    await Promise.all([open.server.stop(), strict.server.stop(), off.server.stop()]);
  }
  assert.throws(() => usePersistedOperations({ mode: 'allowlist' }), /need a manifest/);
});

test('through the gateway over HTTP: a portal sends only the hash (POST or GET) and gets its data; other operations get 403', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-manifest-'));
  const file = path.join(dir, 'manifest.json');
  fs.writeFileSync(file, JSON.stringify(manifest));
  const gateway = await startTestGateway({ persistedOperations: { mode: 'allowlist', manifest: file }, rateLimit: false });
  try {
    const extensions = { persistedQuery: { version: 1, sha256Hash: LOOKUP.id } };
    const post = await gateway.post({ variables: { code: 'x' }, extensions });
    assert.equal(post.status, 200, JSON.stringify(post.body));
    assert.equal(post.body.data.dossier.timeline[0].action, 'RECEIVED');
    const search = new URLSearchParams({ variables: JSON.stringify({ code: 'x' }), extensions: JSON.stringify(extensions) });
    const get = await fetch(`${gateway.url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), post.body);
    assert.equal(gateway.subgraphRequests(), 2);

    const refused = await gateway.post({ query: ARBITRARY });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'PERSISTED_OPERATION_NOT_ALLOWED');
    assert.equal(gateway.subgraphRequests(), 2);
  } finally {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('configuration from the environment', () => {
  assert.deepEqual(persistedOperationsFromEnv({}), { mode: 'off', manifest: undefined, anyOperationRoles: undefined });
  assert.deepEqual(
    persistedOperationsFromEnv({ GATEWAY_PERSISTED_OPERATIONS: 'allowlist', GATEWAY_OPERATIONS_MANIFEST: 'm.json', GATEWAY_ANY_OPERATION_ROLES: 'none' }),
    { mode: 'allowlist', manifest: 'm.json', anyOperationRoles: [] },
  );
  assert.throws(() => persistedOperationsFromEnv({ GATEWAY_PERSISTED_OPERATIONS: 'allowlist' }), /GATEWAY_OPERATIONS_MANIFEST/);
  assert.throws(() => persistedOperationsFromEnv({ GATEWAY_PERSISTED_OPERATIONS: 'strict' }), /off or allowlist/);
});

test('the policy the subscription server shares: text or id in the manifest, any for exempt roles; the queries a checked subscription runs are not held again', async () => {
  const { persistedOperationPolicy } = await import('./use-persisted-operations');
  assert.equal(persistedOperationPolicy({ mode: 'off' }), undefined);
  const policy = persistedOperationPolicy({ mode: 'allowlist', manifest })!;
  assert.equal(policy.check('citizen', LOOKUP.body, undefined), LOOKUP.body);
  assert.equal(policy.check('citizen', undefined, LOOKUP.id), LOOKUP.body);
  assert.equal(policy.check('citizen', ARBITRARY, undefined), null);
  assert.equal(policy.check(undefined, undefined, 'f'.repeat(64)), null);
  assert.equal(policy.check('analyst', ARBITRARY, undefined), 'any');
  const plugin = usePersistedOperations({ mode: 'allowlist', manifest });
  const { server } = await testServer([plugin]);
  try {
    const refused = await run(server, { query: ARBITRARY }, citizen);
    assert.equal(refused.error?.extensions?.code, 'PERSISTED_OPERATION_NOT_ALLOWED');
    const translated = await run(server, { query: ARBITRARY }, { contextValue: { ...citizen.contextValue, allowlistedSubscription: true } });
    assert.notEqual(translated.error?.extensions?.code, 'PERSISTED_OPERATION_NOT_ALLOWED');
  } finally {
    await server.stop();
  }
});
