import { afterAll, beforeAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { corsOriginsFromEnv, corsPolicy, normaliseOrigin } from './cors';

const PORTAL = 'https://portal.example.vn';

describe('the CORS policy in front of /graphql', () => {
  let server: http.Server;
  let base = '';
  const policy = corsPolicy({ origins: [PORTAL] }, { NODE_ENV: 'production' });
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (policy.intercept(req, res)) return;
      res.setHeader('content-type', 'application/json');
      res.end('{"data":{"ok":true}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));

  test('an allowed origin\'s preflight gets 204 with the methods and headers a portal sends', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), PORTAL);
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
    const allowed = response.headers.get('access-control-allow-headers')!.split(', ');
    for (const header of ['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name']) {
      assert.ok(allowed.includes(header), header);
    }
    assert.equal(response.headers.get('access-control-max-age'), '600');
  });

  test('its requests go through with its origin echoed (never *) and the request id readable', async () => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { origin: PORTAL, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), PORTAL);
    assert.match(response.headers.get('access-control-expose-headers')!, /x-request-id/);
    assert.equal(response.headers.get('vary'), 'Origin');
  });

  test('another origin is refused with 403 FORBIDDEN_ORIGIN, preflight or not, and gets no CORS header', async () => {
    for (const method of ['OPTIONS', 'POST']) {
      const response = await fetch(`${base}/graphql`, { method, headers: { origin: 'https://evil.example.com', 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      assert.equal(response.status, 403, method);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(((await response.json()) as any).errors[0].extensions.code, 'FORBIDDEN_ORIGIN');
    }
    // a look-alike is another origin: exact match only
    assert.equal(policy.allows('https://portal.example.vn.evil.com', '127.0.0.1:1'), false);
    assert.equal(policy.allows('http://portal.example.vn', '127.0.0.1:1'), false);
  });

  test('the gateway\'s own origin (the explorer) and callers without an Origin (not browsers) always may', async () => {
    const host = new URL(base).host;
    const own = await fetch(`${base}/graphql`, { method: 'POST', headers: { origin: base }, body: '{}' });
    assert.equal(own.status, 200);
    assert.equal((await fetch(`${base}/graphql`, { method: 'POST', body: '{}' })).status, 200);
    assert.equal(policy.allows(`https://${host}`, host), true, 'behind a TLS proxy');
    const preflight = await fetch(`${base}/graphql`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('allow'), 'GET, POST, OPTIONS');
  });

  test('other paths are left alone', async () => {
    const response = await fetch(`${base}/health`, { headers: { origin: 'https://evil.example.com' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  test('WebSocket upgrades follow the same rule', () => {
    const upgrade = (origin?: string) => ({ headers: { host: 'graph.example.vn', ...(origin ? { origin } : {}) } }) as http.IncomingMessage;
    assert.equal(policy.allowsUpgrade(upgrade(PORTAL)), true);
    assert.equal(policy.allowsUpgrade(upgrade('https://graph.example.vn')), true);
    assert.equal(policy.allowsUpgrade(upgrade()), true);
    assert.equal(policy.allowsUpgrade(upgrade('https://evil.example.com')), false);
  });
});

test('GATEWAY_CORS_ORIGINS: exact origins only; by default none in production, loopback pages elsewhere', () => {
  assert.deepEqual(corsOriginsFromEnv({ GATEWAY_CORS_ORIGINS: 'https://Portal.example.vn/, http://localhost:5173' }), ['https://portal.example.vn', 'http://localhost:5173']);
  assert.deepEqual(corsOriginsFromEnv({ GATEWAY_CORS_ORIGINS: 'none' }), []);
  assert.equal(corsOriginsFromEnv({}), undefined);
  assert.throws(() => normaliseOrigin('https://*.example.vn'), /not an origin|not an exact origin/);
  assert.throws(() => normaliseOrigin('https://portal.example.vn/app'), /not an exact origin/);
  assert.throws(() => normaliseOrigin('ftp://portal.example.vn'), /not an exact origin/);
  const production = corsPolicy({}, { NODE_ENV: 'production' });
  assert.equal(production.allows('http://localhost:5173', 'graph.example.vn'), false);
  const development = corsPolicy({}, {});
  assert.equal(development.allows('http://localhost:5173', 'graph.example.vn'), true);
  assert.equal(development.allows('http://127.0.0.1:8080', 'graph.example.vn'), true);
  assert.equal(development.allows('http://192.168.1.2:8080', 'graph.example.vn'), false);
  // a configured list replaces the loopback default
  assert.equal(corsPolicy({}, { GATEWAY_CORS_ORIGINS: PORTAL }).allows('http://localhost:5173', 'graph.example.vn'), false);
  assert.equal(corsPolicy({}, {}).allows('not a url', undefined), false);
});
