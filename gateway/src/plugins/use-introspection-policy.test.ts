import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { getIntrospectionQuery } from 'graphql';
import { introspectionFromEnv, introspectionMode, useIntrospectionPolicy } from './use-introspection-policy';
import { context, run, startTestGateway, testServer } from './testing';

const INTROSPECTION = [
  '{ __schema { queryType { name } } }',
  '{ __type(name: "Dossier") { fields { name } } }',
  '{ dossier(code: "x") { code } ...Q } fragment Q on Query { __schema { types { name } } }',
  '{ dossier(code: "x") { ... on Dossier { code } } ... on Query { __type(name: "Citizen") { name } } }',
  getIntrospectionQuery(),
];
const analyst = context('analyst:a.tran', { role: 'analyst', subject: 'a.tran' });
const admin = context('admin:root', { role: 'admin', subject: 'root' });
const citizen = context('citizen:001085012345', { role: 'citizen', subject: '001085012345' });
const officer = context('officer:o.le', { role: 'officer', subject: 'o.le', agency: 'LAND' });

test('roles mode: __schema and __type anywhere are refused (403) unless the caller is an analyst or admin', async () => {
  const { server, root } = await testServer([useIntrospectionPolicy({ mode: 'roles' })]);
  try {
    for (const query of INTROSPECTION) {
      for (const caller of [context(), citizen, officer]) {
        const { status, error, data } = await run(server, { query }, caller);
        assert.equal(status, 403, query);
        assert.equal(data, undefined);
        assert.equal(error?.extensions?.code, 'INTROSPECTION_DISABLED', query);
      }
      for (const caller of [analyst, admin]) {
        const { status, errors } = await run(server, { query }, caller);
        assert.equal(errors, undefined, `${query}: ${JSON.stringify(errors)}`);
        assert.equal(status, 200);
      }
    }
    assert.equal(root.calls, 4, 'only the analysts\' and admins\' operations ran');
  } finally {
    await server.stop();
  }
});

test('__typename is always allowed, and so is a comment or string that mentions __schema', async () => {
  const { server } = await testServer([useIntrospectionPolicy({ mode: 'off' })]);
  try {
    for (const query of [
      '{ __typename }',
      '{ dossier(code: "x") { __typename code } }',
      '# not __schema { types }\n{ dossier(code: "__type(name: X)") { code } }',
    ]) {
      const { status, errors } = await run(server, { query });
      assert.equal(errors, undefined, `${query}: ${JSON.stringify(errors)}`);
      assert.equal(status, 200);
    }
    const refused = await run(server, { query: '{ __schema { queryType { name } } }' }, analyst);
    assert.equal(refused.error?.extensions?.code, 'INTROSPECTION_DISABLED', 'off means no one');
  } finally {
    await server.stop();
  }
});

test('on mode lets anyone introspect; the default is roles in production only', async () => {
  const { server } = await testServer([useIntrospectionPolicy({ mode: 'on' })]);
  try {
    assert.equal((await run(server, { query: INTROSPECTION[0] })).status, 200);
  } finally {
    await server.stop();
  }
  assert.equal(introspectionMode({}, { NODE_ENV: 'production' }), 'roles');
  assert.equal(introspectionMode({}, { NODE_ENV: 'test' }), 'on');
  assert.equal(introspectionMode({ mode: 'off' }, { NODE_ENV: 'development' }), 'off');
});

test('through the gateway over HTTP: Apollo Server\'s own switch is on, the policy refuses anonymous callers', async () => {
  const gateway = await startTestGateway({ introspection: { mode: 'roles' }, rateLimit: false });
  try {
    const refused = await gateway.post({ query: '{ __schema { queryType { name } } }' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'INTROSPECTION_DISABLED');
    const typename = await gateway.post({ query: '{ __typename }' });
    assert.deepEqual(typename.body, { data: { __typename: 'Query' } });
    // no "Did you mean …?" hints about the schema to those who may not introspect it
    const typo = await gateway.post({ query: '{ dossier(code: "x") { cod } }' });
    assert.equal(typo.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.doesNotMatch(typo.body.errors?.[0]?.message, /Did you mean/);
  } finally {
    await gateway.stop();
  }
  const open = await startTestGateway({ introspection: { mode: 'on' }, rateLimit: false });
  try {
    const allowed = await open.post({ query: '{ __schema { queryType { name } } }' });
    assert.deepEqual(allowed.body, { data: { __schema: { queryType: { name: 'Query' } } } });
  } finally {
    await open.stop();
  }
});

test('configuration from the environment', () => {
  assert.deepEqual(introspectionFromEnv({}), { mode: undefined, roles: undefined });
  assert.deepEqual(introspectionFromEnv({ GATEWAY_INTROSPECTION: 'roles', GATEWAY_INTROSPECTION_ROLES: 'admin' }), { mode: 'roles', roles: ['admin'] });
  assert.throws(() => introspectionFromEnv({ GATEWAY_INTROSPECTION: 'yes' }), /on, off or roles/);
  assert.throws(() => introspectionFromEnv({ GATEWAY_INTROSPECTION_ROLES: 'root' }), /unknown role/);
});
