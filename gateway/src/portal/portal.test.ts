import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { configuredPortalRoutes, PORTAL_CSP, portalRoutes, portalSetting } from './index';

function builtPortal(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="./assets/app-1a2b.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b.js'), `console.log(${JSON.stringify('Cổng dịch vụ công '.repeat(200))});`);
  fs.writeFileSync(path.join(dir, 'assets', 'app-3c4d.css'), 'body { margin: 0 }');
  return dir;
}

/** Serves the routes on a real socket, as the gateway's HTTP server dispatches them (exact METHOD path). */
async function serve(routes: ReturnType<typeof portalRoutes>) {
  const server = http.createServer((req, res) => {
    const route = routes[`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`];
    if (route) return void route(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) };
}

test('GATEWAY_PORTAL: on by default outside production, off in production unless asked for; anything else refused', () => {
  assert.equal(portalSetting({}), 'default');
  assert.equal(portalSetting({ NODE_ENV: 'production' }), 'off');
  assert.equal(portalSetting({ NODE_ENV: 'production', GATEWAY_PORTAL: 'on' }), 'on');
  assert.equal(portalSetting({ GATEWAY_PORTAL: 'off' }), 'off');
  assert.throws(() => portalSetting({ GATEWAY_PORTAL: 'maybe' }), /on or off/);
});

test('the page under its policy, the hashed assets cached for good, a redirect to /portal/, nothing else of the disk', async () => {
  const dir = builtPortal();
  const { base, close } = await serve(portalRoutes({ dir }));
  try {
    const redirect = await fetch(`${base}/portal`, { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(new URL(redirect.headers.get('location')!, `${base}/portal`).toString(), `${base}/portal/`);
    const page = await fetch(`${base}/portal/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), PORTAL_CSP);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(page.headers.get('content-type')!, /text\/html/);
    const etag = page.headers.get('etag')!;
    assert.equal((await fetch(`${base}/portal/`, { headers: { 'if-none-match': etag } })).status, 304);

    const script = await fetch(`${base}/portal/assets/app-1a2b.js`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(script.status, 200);
    assert.match(script.headers.get('cache-control')!, /immutable/);
    assert.match(script.headers.get('content-type')!, /javascript/);
    assert.match(await script.text(), /Cổng dịch vụ công/); // (fetch decodes the gzip it was sent)
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve) => {
      http.get(`${base}/portal/assets/app-1a2b.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c)).on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      });
    });
    assert.equal(raw.encoding, 'gzip');
    assert.match(zlib.gunzipSync(raw.body).toString(), /Cổng dịch vụ công/);
    const head = await fetch(`${base}/portal/assets/app-3c4d.css`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');

    for (const other of ['/portal/assets/missing.js', '/portal/assets/', '/portal/package.json', '/portal/vite.config.ts']) {
      assert.equal((await fetch(`${base}${other}`)).status, 404, other);
    }
  } finally {
    await close();
  }
});

test('not built: refused at startup when asked for, skipped with a warning when only on by default', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-empty-'));
  assert.throws(() => portalRoutes({ dir: empty }), /not built/);
  const warnings: Record<string, unknown>[] = [];
  const env = { GATEWAY_PORTAL_DIR: empty };
  const previous = process.env.GATEWAY_PORTAL_DIR;
  process.env.GATEWAY_PORTAL_DIR = empty;
  try {
    assert.deepEqual(configuredPortalRoutes(undefined, (entry) => warnings.push(entry), env), {});
    assert.match(String(warnings[0]?.reason), /not built/);
    assert.throws(() => configuredPortalRoutes(true, () => undefined, env), /not built/);
    assert.deepEqual(configuredPortalRoutes(false, () => undefined, env), {});
    assert.deepEqual(configuredPortalRoutes(undefined, () => undefined, { GATEWAY_PORTAL: 'off' }), {});
  } finally {
    if (previous === undefined) delete process.env.GATEWAY_PORTAL_DIR;
    else process.env.GATEWAY_PORTAL_DIR = previous;
  }
});
