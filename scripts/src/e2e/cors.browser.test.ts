import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, Browser, Page } from 'playwright-core';
import { startStack, Stack } from '../stack/stack';
import { describeWith, service, tempDir } from '../testing/helpers';

/** A portal's page on an origin of its own (a port of its own on this machine). */
async function pageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Cổng dịch vụ công</title><p>portal</p>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** What the page's own script gets from the graph: the answer, or the browser's refusal. */
function callGraph(page: Page, url: string, authorization?: string) {
  return page.evaluate(async ({ url, authorization }) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'portal-browser', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ me { role subject } procedures(limit: 1) { totalCount } }' }),
      });
      return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.json() };
    } catch (error) {
      return { refused: String(error) };
    }
  }, { url, authorization });
}

/** Opens the graph's WebSocket from the page: 'ack' when graphql-ws acknowledges the connection, else how it closed. */
function openSocket(page: Page, url: string, authorization: string) {
  return page.evaluate(({ url, authorization }) => new Promise<string>((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { type: string };
      if (message.type === 'connection_ack') {
        socket.close(1000);
        resolve('ack');
      }
    };
    socket.onclose = (event) => resolve(`closed ${event.code}`);
  }), { url, authorization });
}

/**
 * CORS as a browser applies it: a portal page on an allowed origin calls the graph (preflight, token, answer) and
 * opens its WebSocket; a page on any other origin gets neither.
 */
describeWith(['chromium'], 'a portal on another origin, in a browser', () => {
  const chromiumPath = service('chromium')!;
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let allowed: Awaited<ReturnType<typeof pageServer>>;
  let other: Awaited<ReturnType<typeof pageServer>>;

  beforeAll(async () => {
    allowed = await pageServer();
    other = await pageServer();
    stack = await startStack({ env: { DATA_DIR: tempDir('portal-browser'), DB_URL: '', GATEWAY_CORS_ORIGINS: allowed.origin }, basePort: 14840, output: 'quiet' });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--disable-background-networking', '--no-first-run'] });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    await allowed?.close();
    await other?.close();
  });

  test('the allowed origin calls the graph and opens its WebSocket; another origin is refused both', async () => {
    const gateway = stack!.gatewayUrl;
    const socketUrl = gateway.replace(/^http/, 'ws');
    const { authorization } = await stack!.as({ role: 'citizen', subject: '001190000001' });
    const context = await browser!.newContext({ locale: 'vi-VN' });

    const portal = await context.newPage();
    await portal.goto(allowed.origin);
    const answer = await callGraph(portal, gateway, authorization) as { status: number; requestId: string; body: any };
    assert.equal(answer.status, 200, JSON.stringify(answer));
    assert.deepEqual(answer.body.data.me, { role: 'citizen', subject: '001190000001' });
    assert.equal(typeof answer.body.data.procedures.totalCount, 'number');
    assert.equal(answer.requestId, 'portal-browser', 'x-request-id is sent and readable');
    // the browser answers its own preflight from the gateway's 204 (Chromium does not always show it as a request)
    const preflight = await portal.evaluate(async (url) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' }, body: '{"query":"{ __typename }"}' });
      return response.status;
    }, gateway);
    assert.equal(preflight, 200, 'the persisted-query / CSRF header is allowed');
    const anonymous = await callGraph(portal, gateway) as { body: any };
    assert.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED');
    assert.match(anonymous.body.errors[0].message, /^Chưa đăng nhập/, 'in Vietnamese for people');
    assert.equal(await openSocket(portal, socketUrl, authorization), 'ack');

    const elsewhere = await context.newPage();
    await elsewhere.goto(other.origin);
    const refused = await callGraph(elsewhere, gateway, authorization) as { refused?: string };
    assert.match(refused.refused ?? JSON.stringify(refused), /TypeError|Failed to fetch/);
    assert.match(await openSocket(elsewhere, socketUrl, authorization), /^closed 1006/);
    // and what the gateway told the browser, seen from outside it
    const direct = await fetch(gateway, { method: 'OPTIONS', headers: { origin: other.origin, 'access-control-request-method': 'POST' } });
    assert.equal(direct.status, 403);
    assert.equal(direct.headers.get('access-control-allow-origin'), null);
    await context.close();
  });
});
