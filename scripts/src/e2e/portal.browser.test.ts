import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { PORTAL_CSP } from '@onestop/gateway';
import type { Identity } from '@onestop/platform';
import { seedDemoData } from '../demo-data';
import { CENTER } from '../demo-data/reference';
import { ADMIN, startStack, Stack } from '../stack/stack';
import { ROOT } from '../stack/subgraphs';
import { describeWith, graphql, service, tempDir } from '../testing/helpers';

/**
 * The reference portal (portal/, served at /portal/) against the real stack, in Debian's chromium: the gateway runs
 * the portal's manifest in allowlist mode, so every request the pages make must be one of its operations. A citizen
 * and an officer each have a browser context of their own (their own tab storage, their own token).
 */
const MANIFEST = path.join(ROOT, 'portal', 'operations.manifest.json');
const SCREENSHOTS = path.join(ROOT, '.cache', 'screenshots');
const OFFICER: Identity = { role: 'officer', subject: 'mc.portal', agency: CENTER, sector: 'SERVICE_CENTER', name: 'Trần Thị Tiếp Nhận' };

const isLocal = (url: string) => {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
};

describeWith(['chromium'], 'the reference portal and officer console (/portal) in a browser', () => {
  const chromiumPath = service('chromium')!;
  const env = {
    DATA_DIR: tempDir('portal'), DB_URL: '', GATEWAY_PORTAL: 'on',
    GATEWAY_PERSISTED_OPERATIONS: 'allowlist', GATEWAY_OPERATIONS_MANIFEST: MANIFEST,
  };
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const outside: string[] = [];
  const consoleErrors: string[] = [];
  /** Every GraphQL POST the pages made: what they sent. */
  const posted: { operationName?: string; query?: string; extensions?: any }[] = [];
  let personalNumber = '';
  let procedureCode = '';
  let portalUrl = '';

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    contexts.push(context);
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    page.on('websocket', (socket) => {
      if (!isLocal(socket.url())) outside.push(socket.url());
    });
    page.on('request', (request) => {
      if (request.url() === stack!.gatewayUrl && request.method() === 'POST') posted.push(request.postDataJSON());
    });
    return page;
  }

  async function signIn(page: Page, identity: Identity) {
    const token = (await stack!.as(identity)).authorization.replace(/^Bearer /, '');
    await page.locator('#sign-in input[name="token"]').fill(token);
    await page.locator('#sign-in button[type="submit"]').click();
    await page.locator(`#session[data-role="${identity.role}"]`).waitFor();
  }

  /** The citizen files one dossier online through the form; returns its code from the receipt. */
  async function submitOnline(page: Page): Promise<string> {
    await page.locator('nav button[data-view="submit"]').click();
    await page.locator(`select[name="procedureCode"] option[value="${procedureCode}"]`).waitFor({ state: 'attached' });
    await page.locator('select[name="procedureCode"]').selectOption(procedureCode);
    await page.locator(`select[name="receivingAgencyCode"] option[value="${CENTER}"]`).waitFor({ state: 'attached' });
    await page.locator('select[name="receivingAgencyCode"]').selectOption(CENTER);
    await page.locator('input[name="applicantName"]').fill('Lê Thị Hoà');
    await page.locator('input[name="contactPhone"]').fill('0912345678');
    const before = await page.locator('.receipt').getAttribute('data-submitted').catch(() => null);
    await page.locator('#submit button[type="submit"]').click();
    const receipt = page.locator(before ? `.receipt:not([data-submitted="${before}"])` : '.receipt');
    await receipt.waitFor().catch(async (error) => {
      throw new Error(`no receipt: ${await page.locator('#submit').innerText()} (${error.message})`);
    });
    const code = await receipt.getAttribute('data-submitted');
    assert.ok(code, 'the receipt shows the new code');
    return code;
  }

  beforeAll(async () => {
    await seedDemoData({ citizens: 150, env });
    stack = await startStack({ env, basePort: 14800, output: 'quiet' });
    portalUrl = new URL('/portal', stack.gatewayUrl).toString();
    // Test data as an admin (not held to the allowlist): a citizen, and a land procedure filed online without handoff details.
    const admin = await stack.as(ADMIN);
    const found = await graphql(stack.gatewayUrl, `{ citizens(limit: 5) { items { personalNumber fullName isAlive } }
      procedures(handlingSector: LAND, limit: 100) { items { code onlineService } } }`, {}, admin);
    assert.equal(found.errors, undefined, JSON.stringify(found.errors));
    personalNumber = found.data!.citizens.items.find((c: any) => c.isAlive).personalNumber;
    procedureCode = found.data!.procedures.items.find((p: any) => p.onlineService !== 'NONE').code;
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--disable-background-networking', '--no-first-run'] });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  test('served offline at /portal/ under its own policy, and only the manifest\'s operations run', async () => {
    const response = await fetch(portalUrl, { redirect: 'manual' });
    assert.equal(response.status, 308);
    assert.equal(new URL(response.headers.get('location')!, portalUrl).pathname, '/portal/');
    const page = await fetch(`${portalUrl}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), PORTAL_CSP);
    const html = await page.text();
    assert.match(html, /<div id="root">/);
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.length >= 2, html);
    for (const asset of assets) {
      const served = await fetch(new URL(asset, `${portalUrl}/`));
      assert.equal(served.status, 200, asset);
      assert.match(served.headers.get('cache-control') ?? '', /immutable/);
    }
    assert.equal((await fetch(new URL('assets/../../package.json', `${portalUrl}/`))).status, 404);

    // Allowlist mode: a citizen's own query outside the manifest is refused, the same one by manifest id runs.
    const citizen = await stack!.as({ role: 'citizen', subject: personalNumber });
    const outsideManifest = await fetch(stack!.gatewayUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', ...citizen },
      body: JSON.stringify({ query: `{ citizen(personalNumber: "${personalNumber}") { fullName } }` }),
    });
    assert.equal(outsideManifest.status, 403);
    assert.equal(((await outsideManifest.json()) as any).errors[0].extensions.code, 'PERSISTED_OPERATION_NOT_ALLOWED');
    const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
    const mine = manifest.operations.find((o: any) => o.name === 'MyDossiers');
    const sent = await fetch(stack!.gatewayUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', ...citizen },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: mine.id } } }),
    });
    const byId = (await sent.json()) as any;
    assert.equal(byId.errors, undefined, JSON.stringify(byId.errors));
    assert.ok(byId.data.me.citizen.fullName);
  });

  test('a citizen files online, sees it in their dossiers, and watches its status change when an officer acts', async () => {
    const citizenPage = await newPage();
    await citizenPage.goto(portalUrl);
    assert.equal(new URL(citizenPage.url()).pathname, '/portal/');
    await signIn(citizenPage, { role: 'citizen', subject: personalNumber });
    await citizenPage.locator('#my-dossiers').waitFor();

    const code = await submitOnline(citizenPage);
    await citizenPage.locator('nav button[data-view="mine"]').click();
    const row = citizenPage.locator(`#my-dossiers tr[data-dossier="${code}"]`);
    await row.and(citizenPage.locator('[data-status="DRAFT"]')).waitFor();
    await row.locator('td.live[data-live="listening"]').waitFor();

    // The officer of the receiving unit receives it from their intake queue (form 01).
    const officerPage = await newPage();
    await officerPage.goto(portalUrl);
    await signIn(officerPage, OFFICER);
    const queued = officerPage.locator(`#intake tr[data-dossier="${code}"]`);
    await queued.waitFor();
    await officerPage.screenshot({ path: path.join(SCREENSHOTS, 'portal-console.png'), fullPage: true });
    await queued.locator('button[data-action="accept"]').click();
    await officerPage.locator(`.done[data-done="${code}"][data-status="RECEIVED"]`).waitFor();

    // The citizen's page, untouched, shows the new status as it happens (the subscription over the WebSocket).
    await citizenPage.locator(`#my-dossiers tr[data-dossier="${code}"][data-status="RECEIVED"] td.live[data-live="updated"]`).waitFor({ timeout: 20_000 });
    await citizenPage.screenshot({ path: path.join(SCREENSHOTS, 'portal-citizen.png'), fullPage: true });

    // A second registration, refused at intake with a reason (form 03): the citizen sees that live too.
    const second = await submitOnline(citizenPage);
    await citizenPage.locator('nav button[data-view="mine"]').click();
    await citizenPage.locator(`#my-dossiers tr[data-dossier="${second}"] td.live[data-live="listening"]`).waitFor();
    await officerPage.locator('#console > button').click();
    const refused = officerPage.locator(`#intake tr[data-dossier="${second}"]`);
    await refused.locator('input[name="reason"]').fill('Hồ sơ thiếu bản sao giấy chứng nhận quyền sử dụng đất');
    await refused.locator('button[data-action="refuse"]').click();
    await officerPage.locator(`.done[data-done="${second}"][data-status="INTAKE_REJECTED"]`).waitFor();
    await citizenPage.locator(`#my-dossiers tr[data-dossier="${second}"][data-status="INTAKE_REJECTED"]`).waitFor({ timeout: 20_000 });

    // Every GraphQL request of the pages went by manifest id alone.
    assert.ok(posted.length > 5, `${posted.length} requests`);
    for (const body of posted) {
      assert.equal(body.query, undefined, `sent as text: ${body.operationName}`);
      assert.match(body.extensions?.persistedQuery?.sha256Hash ?? '', /^[0-9a-f]{64}$/);
    }
  });

  test('anyone looks a dossier up by its code, signed in or not', async () => {
    const page = await newPage();
    await page.goto(portalUrl);
    // The first dossier filed above: find it in the citizen's list through the graph (admin), then look it up anonymously.
    const admin = await stack!.as(ADMIN);
    const listed = await graphql(stack!.gatewayUrl, `query($n: String!) { citizen(personalNumber: $n) { dossiers(limit: 100) { items { code status } } } }`, { n: personalNumber }, admin);
    const received = listed.data!.citizen.dossiers.items.find((d: any) => d.status === 'RECEIVED');
    assert.ok(received, JSON.stringify(listed));
    await page.locator('#lookup input[name="code"]').fill(received.code);
    await page.locator('#lookup button[type="submit"]').click();
    const result = page.locator(`.lookup-result[data-lookup="${received.code}"][data-status="RECEIVED"]`);
    await result.waitFor();
    assert.deepEqual(await result.locator('.steps li').evaluateAll((items) => items.map((li) => li.getAttribute('data-step'))), ['DRAFT', 'RECEIVED']);
    assert.match(await result.innerText(), /Đã tiếp nhận/);

    await page.locator('#lookup input[name="code"]').fill('000.00.00.H99-990101-9999');
    await page.locator('#lookup button[type="submit"]').click();
    await page.locator('[data-lookup="none"]').waitFor();
    await page.locator('#lookup input[name="code"]').fill('not a code');
    await page.locator('#lookup button[type="submit"]').click();
    await page.locator('#lookup .error[data-error-code="BAD_USER_INPUT"]').waitFor();
  });

  test('a citizen in the officer\'s console is refused by the graph, and the dossier does not move', async () => {
    const page = await newPage();
    await page.goto(portalUrl);
    await signIn(page, { role: 'citizen', subject: personalNumber });
    const code = await submitOnline(page);
    await page.locator('nav button[data-view="console"]').click();
    await page.locator('#console .note').waitFor();
    await page.locator('#act-by-code input[name="code"]').fill(code);
    await page.locator('#act-by-code select[name="action"]').selectOption('accept');
    await page.locator('#act-by-code button[type="submit"]').click();
    await page.locator(`.action-error[data-dossier="${code}"] .error[data-error-code="FORBIDDEN"]`).waitFor();
    await page.locator('nav button[data-view="mine"]').click();
    await page.locator('#my-dossiers > button').click();
    await page.locator(`#my-dossiers tr[data-dossier="${code}"][data-status="DRAFT"]`).waitFor();
    // (a registration not yet received is nobody's to look up by code: dossierLookup answers null for it)
    await page.locator('nav button[data-view="lookup"]').click();
    await page.locator('#lookup input[name="code"]').fill(code);
    await page.locator('#lookup button[type="submit"]').click();
    await page.locator('[data-lookup="none"]').waitFor();

    // A bad token never reaches the graph: the page says why.
    await page.locator('#session button').click();
    await page.locator('#sign-in input[name="token"]').fill('not-a-token');
    await page.locator('#sign-in button[type="submit"]').click();
    await page.locator('#sign-in .error[data-error-code="BAD_TOKEN"]').waitFor();

    assert.deepEqual(outside, [], 'requests to anything but this machine');
    assert.deepEqual(consoleErrors, [], 'no errors in the browser console (CSP violations among them)');
  });
});
