import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { explorerCsp, SAVED_QUERIES, SavedQuery } from '@onestop/gateway';
import { seedDemoData } from '../demo-data';
import { startStack, Stack } from '../stack/stack';
import { ROOT } from '../stack/subgraphs';
import { describeWith, graphql, service, tempDir } from '../testing/helpers';

/**
 * The analysts' explorer in a real browser: Debian's chromium, headless, driven by playwright-core (no browser
 * download), found by jest's global setup (TEST_CHROMIUM).
 * Every request that is not to this machine is aborted and counted: the explorer must need no CDN.
 */
const SCREENSHOT = path.join(ROOT, '.cache', 'screenshots', 'explorer.png');
const ANALYST = { role: 'analyst' as const, subject: 'phantich.explorer', name: 'Phân tích viên' };

const saved = (id: string): SavedQuery => {
  const query = SAVED_QUERIES.find((q) => q.id === id);
  assert.ok(query, `no saved query ${id}`);
  return query;
};

const isLocal = (url: string) => {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
};

/** The whole text of a GraphiQL editor (CodeMirror 5 renders only the visible lines). */
const editorText = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());

/** Waits until an editor's text passes the check. */
async function waitForEditor(page: Page, selector: string, check: (text: string) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page, selector).catch(() => '');
    if (check(text)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${selector} does not show what it should; it shows: ${text.slice(0, 300)}`);
}

/** Replaces the content of the visible variables or headers editor as typed text. */
async function replaceEditorTool(page: Page, tab: 'Variables' | 'Headers', text: string) {
  await page.locator('.graphiql-editor-tools button', { hasText: tab }).click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Runs the active tab and waits for a response other than the previous one. */
async function run(page: Page): Promise<any> {
  const previous = await editorText(page, '.graphiql-response .CodeMirror').catch(() => '');
  await page.locator('.graphiql-execute-button').click();
  let text = '';
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    text = await editorText(page, '.graphiql-response .CodeMirror').catch(() => '');
    if (text && text !== previous) {
      try {
        return JSON.parse(text);
      } catch {
        // still streaming in
      }
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no new response in the result pane; it shows: ${text.slice(0, 500)}`);
}

describeWith(['chromium'], 'the explorer (GraphiQL at /explorer) in a browser', () => {
  const chromiumPath = service('chromium')!;
  const env = { DATA_DIR: tempDir('explorer'), DB_URL: '', GATEWAY_EXPLORER: 'on' };
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const outside: string[] = [];

  beforeAll(async () => {
    await seedDemoData({ citizens: 150, env });
    stack = await startStack({ env, basePort: 14700, output: 'quiet' });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--disable-background-networking', '--no-first-run'] });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
    // Only this machine: anything else (a CDN, a web font, telemetry) is aborted and goes on record.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  test('runs saved reports from local assets only, anonymously and with a bearer token', async () => {
    const started = Date.now();
    const gateway = stack!.gatewayUrl;
    const explorerUrl = new URL('/explorer', gateway).toString();
    const page = await context!.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    page.on('websocket', (socket) => {
      if (!isLocal(socket.url())) outside.push(socket.url());
    });
    const graphqlRequests: { headers: Record<string, string>; body: any }[] = [];
    page.on('request', (request) => {
      if (request.url() === gateway && request.method() === 'POST') {
        graphqlRequests.push({ headers: request.headers(), body: request.postDataJSON() });
      }
    });

    // The page, its policy, and GraphiQL up with the schema introspected (the docs explorer needs it).
    const response = await page.goto(explorerUrl);
    assert.equal(response?.status(), 200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
    assert.equal(csp, explorerCsp(nonce));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    await page.locator('#onestop-token').waitFor();
    assert.match(await page.locator('#onestop-token-status').innerText(), /anonymous/);

    // 1. A saved report, anonymously (the procedure catalogue is public): open it, change its variables, run it.
    const catalogue = saved('procedure-catalogue');
    assert.equal(await page.locator('[data-saved-query]').count(), SAVED_QUERIES.length, 'saved reports list');
    await page.locator(`[data-saved-query="${catalogue.id}"]`).click();
    await page.locator('.graphiql-tab-active', { hasText: 'ProcedureCatalogue' }).waitFor();
    await waitForEditor(page, '.graphiql-query-editor .CodeMirror', (text) => text.startsWith('query ProcedureCatalogue'));
    const variables = { handlingSector: 'CIVIL_STATUS', limit: 100 };
    await replaceEditorTool(page, 'Variables', JSON.stringify(variables));
    const procedures = await run(page);
    const expected = await graphql(gateway, catalogue.query, variables);
    assert.equal(expected.errors, undefined, JSON.stringify(expected.errors));
    assert.ok(expected.data!.procedures.totalCount > 0, 'the demo data has civil-status procedures');
    assert.equal(procedures.errors, undefined, JSON.stringify(procedures.errors));
    assert.deepEqual(procedures.data, expected.data, 'the result pane shows what the gateway answers');
    assert.ok(procedures.data.procedures.items.every((p: { handlingSector: string }) => p.handlingSector === 'CIVIL_STATUS'));
    // ...and what a person sees: the visible part of the result pane
    const firstName = expected.data!.procedures.items[0].name as string;
    await page.locator('.graphiql-response', { hasText: firstName }).waitFor();
    const anonymous = graphqlRequests.filter((r) => r.body?.operationName === 'ProcedureCatalogue');
    assert.equal(anonymous.length, 1);
    assert.equal(anonymous[0].headers.authorization, undefined, 'no token field, no Authorization header');
    assert.deepEqual(anonymous[0].body.variables, variables);

    // 2. History has the run; the docs explorer shows the schema from introspection.
    await page.locator('button[aria-label="Show History"]').click();
    await page.locator('.graphiql-history-item', { hasText: 'ProcedureCatalogue' }).first().waitFor();
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer').getByText('Root Types').waitFor();
    await page.locator('.graphiql-doc-explorer a', { hasText: /^Query$/ }).first().click();
    await page.locator('.graphiql-doc-explorer').getByText('procedures', { exact: true }).first().waitFor();

    // 3. An analyst's token in the field: requests carry it, and the dossier report answers as the gateway does.
    const { authorization } = await stack!.as(ANALYST);
    const token = authorization.replace(/^Bearer /, '');
    await page.locator('#onestop-token').fill(token);
    await page.locator('#onestop-token').press('Enter');
    await page.locator('#onestop-token').blur();
    await page.locator('#onestop-token-status', { hasText: `analyst ${ANALYST.subject}, expires` }).waitFor();
    await page.locator('button[aria-label="Show Saved reports"]').click();
    const report = saved('dossiers-by-status-and-agency');
    await page.locator(`[data-saved-query="${report.id}"]`).click();
    await page.locator('.graphiql-tab-active', { hasText: 'DossiersByStatusAndAgency' }).waitFor();
    await waitForEditor(page, '.graphiql-editor-tool .CodeMirror', (text) => text === report.variables);
    const dossiers = await run(page);
    const expectedDossiers = await graphql(gateway, report.query, JSON.parse(report.variables), { authorization });
    assert.equal(expectedDossiers.errors, undefined, JSON.stringify(expectedDossiers.errors));
    assert.ok(expectedDossiers.data!.dossiers.totalCount > 0, 'the demo data has open dossiers at the service center');
    assert.equal(dossiers.errors, undefined, JSON.stringify(dossiers.errors));
    assert.deepEqual(dossiers.data, expectedDossiers.data);
    const withToken = graphqlRequests.filter((r) => r.body?.operationName === 'DossiersByStatusAndAgency');
    assert.equal(withToken.at(-1)?.headers.authorization, `Bearer ${token}`);
    const anonymousDossiers = await graphql(gateway, report.query, JSON.parse(report.variables));
    assert.ok(anonymousDossiers.errors?.length, 'without the token the same report is refused, so the token made the difference');
    await page.locator('.graphiql-response', { hasText: `"totalCount": ${expectedDossiers.data!.dossiers.totalCount}` }).waitFor();

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    console.log(`explorer screenshot: ${SCREENSHOT}`);

    // The settings dialog (a modal: the kind of widget that injects styles, which the CSP would refuse and report).
    await page.locator('button[aria-label="Open settings dialog"]').click();
    await page.locator('.graphiql-dialog', { hasText: 'Clear storage' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.graphiql-dialog').waitFor({ state: 'detached' });

    assert.deepEqual(consoleErrors, [], 'no errors in the browser console (CSP violations among them)');

    // 4. The headers editor wins over the token field: a bad Authorization there is what the gateway sees (and refuses).
    await replaceEditorTool(page, 'Headers', JSON.stringify({ authorization: 'Bearer not-a-token', 'x-request-id': 'explorer-e2e' }));
    const refused = await run(page);
    const last = graphqlRequests.at(-1)!;
    assert.equal(last.headers.authorization, 'Bearer not-a-token');
    assert.equal(last.headers['x-request-id'], 'explorer-e2e');
    assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(refused));

    // 5. The token stays in this browser across reloads, until cleared.
    await page.reload();
    await page.locator('.graphiql-container').waitFor();
    assert.equal(await page.locator('#onestop-token').inputValue(), token);
    await page.locator('#onestop-token-clear').click();
    assert.equal(await page.locator('#onestop-token').inputValue(), '');
    assert.equal(await page.evaluate(() => (globalThis as any).localStorage.getItem('onestop-explorer:token')), null);
    await page.close();

    assert.deepEqual(outside, [], 'requests to anything but this machine');
    console.log(`explorer browser test: ${Date.now() - started} ms in the browser, chromium ${browser!.version()} at ${chromiumPath}`);
  });
});
