import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
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
/** The workspace's screenshots (README's "Analysts" shows the copies in docs/analysts/). */
const SCREENSHOTS = path.join(ROOT, '.cache', 'screenshots', 'analysts');
/** The workspace's logic, the very file the page runs: what the tables must show is computed with it from the gateway's answer. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require(path.join(ROOT, 'gateway', 'static', 'explorer', 'workspace-core.js'));
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
  // GraphiQL parses the query editor 100 ms after its last change (debounced), and sends the operation name of that
  // parse: a click sooner after a report opens would send the previous one's.
  await page.waitForTimeout(300);
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
    await waitForEditor(page, '.graphiql-query-editor .CodeMirror', (text) => text.startsWith('query ProcedureCatalogue'));
    // the first visit's tab already holds it: one tab per report, so no second tab (GraphiQL shows no tab bar for one)
    assert.equal(await page.locator('.graphiql-tab').count(), 0);
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

  /** Opens a saved report from the list (showing the list first if needed). */
  async function openSaved(page: Page, id: string) {
    const item = page.locator(`[data-saved-query="${id}"]`);
    if (!(await item.isVisible())) await page.locator('button[aria-label="Show Saved reports"]').click();
    await item.click();
  }

  /** The cells of a workspace table, as shown. */
  const tableCells = (page: Page, name: string) =>
    page.locator(`table[data-table="${name}"] tbody tr`).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));

  test('the editors and the result pane render Vietnamese with the bundled font (JetBrains Mono), not a fallback', async () => {
    const page = await context!.newPage();
    await page.goto(new URL('/explorer', stack!.gatewayUrl).toString());
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    const catalogue = saved('procedure-catalogue');
    await openSaved(page, catalogue.id);
    await waitForEditor(page, '.graphiql-query-editor .CodeMirror', (text) => text.startsWith('query ProcedureCatalogue'));
    await replaceEditorTool(page, 'Variables', JSON.stringify({ handlingSector: 'LAND', limit: 20 }));
    const result = await run(page);
    // a name with letters only the Vietnamese subset has (ạ…ỹ: stacked or hooked marks)
    const name = (result.data.procedures.items as { name: string }[]).map((p) => p.name).find((n) => /[\u1EA0-\u1EF9]/.test(n));
    assert.ok(name, 'the demo catalogue has Vietnamese names');
    await page.locator('.graphiql-response .CodeMirror-line', { hasText: name }).first().waitFor();
    await page.evaluate(() => (globalThis as any).document.fonts.ready);
    const probe = await page.evaluate((text) => {
      const doc = (globalThis as any).document;
      const spans = [...doc.querySelectorAll('.graphiql-response .CodeMirror-line span')] as any[];
      const span = spans.find((el) => !el.children.length && el.textContent.includes(text));
      if (!span) return null;
      span.setAttribute('data-font-probe', '');
      return { text: span.textContent, family: (globalThis as any).getComputedStyle(span).fontFamily };
    }, name);
    assert.ok(probe, `the result pane shows ${name}`);
    // What Chromium actually drew the glyphs with (not what the CSS asks for): one font, the bundled one.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-font-probe]' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    assert.ok(fonts.length > 0, 'glyphs were drawn');
    assert.deepEqual(
      fonts.map((f) => ({ familyName: f.familyName, isCustomFont: f.isCustomFont })),
      fonts.map(() => ({ familyName: 'JetBrains Mono', isCustomFont: true })),
      `"${probe!.text}" (font-family: ${probe!.family}) was drawn with ${JSON.stringify(fonts)}`,
    );
    // the query editor too (its comments and strings may hold Vietnamese)
    const editorFonts = await page.locator('.graphiql-query-editor .CodeMirror-line').first().evaluate((el) => (globalThis as any).getComputedStyle(el).fontFamily);
    assert.match(editorFonts, /^"JetBrains Mono"/);
    await cdp.detach();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('.graphiql-response').screenshot({ path: path.join(SCREENSHOTS, 'vietnamese-font.png') });
    await page.close();
  });

  test('the analysts\' workspace: tables, the center report\'s charts and 766 indicators, CSV and XLSX, saved reports in their own tab', async () => {
    const started = Date.now();
    const gateway = stack!.gatewayUrl;
    const page = await context!.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    await page.goto(new URL('/explorer', gateway).toString());
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    const { authorization } = await stack!.as(ANALYST);
    await page.locator('#onestop-token').fill(authorization.replace(/^Bearer /, ''));
    await page.locator('#onestop-token').press('Enter');
    await page.locator('#onestop-token-status', { hasText: `analyst ${ANALYST.subject}` }).waitFor();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });

    // 1. The center report, by month, level and agency: the chart by month, its numbers as the gateway's
    const report = saved('center-report');
    await openSaved(page, report.id);
    await page.locator('.graphiql-tab-active', { hasText: 'CenterReport' }).waitFor();
    await waitForEditor(page, '.graphiql-editor-tool .CodeMirror', (text) => text === report.variables);
    const shown = await run(page);
    const expected = await graphql(gateway, report.query, JSON.parse(report.variables), { authorization });
    assert.equal(expected.errors, undefined, JSON.stringify(expected.errors));
    assert.deepEqual(shown.data, expected.data);
    const stats = expected.data!.dossierStatistics;
    assert.ok(stats.rows.length > 1 && stats.total.resolved > 0, 'the demo data has resolved dossiers in the period');
    await page.locator('[data-workspace-open="chart"]').click();
    await page.locator('.onestop-workspace canvas').waitFor();
    assert.equal(await page.locator('[data-workspace-view]').inputValue(), 'chart:month');
    const expectTable = async (name: string, table: { columns: unknown[]; rows: Record<string, unknown>[] }) => {
      await page.locator(`table[data-table="${name}"]`).waitFor();
      const cells = await tableCells(page, name);
      assert.deepEqual(cells, table.rows.map((row) => table.columns.map((c: any) => core.formatCell(c, row[c.key]))), name);
      return cells;
    };
    const byMonth = core.reportSeries(stats, 'month');
    const monthCells = await expectTable('chart:month', byMonth);
    assert.deepEqual(monthCells.map((row) => row[0]), [...new Set(stats.rows.map((r: { period: string }) => r.period))].sort());
    assert.equal(byMonth.rows.reduce((sum: number, r: { resolved: number }) => sum + r.resolved, 0), stats.total.resolved, 'the months add up to the total');
    // one unit: every percentage shown in percent, none above 100 % (the graph's shares are 0–100, the 766 ratios 0–1)
    const percentOf = (cell: string | null) => Number(cell!.replace(/\./g, '').replace(',', '.').replace(/ %$/, ''));
    const percents = monthCells.flatMap((row) => [...row.slice(5, 8), row[9]]).filter((cell) => cell !== '');
    assert.ok(percents.length > 0 && percents.every((cell) => / %$/.test(cell!) && percentOf(cell) >= 0 && percentOf(cell) <= 100), percents.join(' | '));
    const oneDecimal = (percent: number) => `${percent.toFixed(1).replace('.', ',')} %`;
    const totalSatisfied = byMonth.rows.reduce((sum: number, r: { satisfiedShare: number | null; ratings: number }) => sum + (r.satisfiedShare ?? 0) * r.ratings, 0) / stats.total.ratings;
    assert.ok(Math.abs(totalSatisfied * 100 - (stats.total.verySatisfiedShare + stats.total.satisfiedShare)) < 0.5, 'the months\' satisfaction adds up to the total\'s');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'center-report-by-month.png') });
    await page.locator('[data-workspace-view]').selectOption('chart:agency');
    await expectTable('chart:agency', core.reportSeries(stats, 'agency'));
    await page.locator('[data-workspace-view]').selectOption('chart:level');
    await expectTable('chart:level', core.reportSeries(stats, 'level'));
    // the report's own rows as a table: the graph's shares (percent points) shown as they are, in percent
    await page.locator('[data-workspace-view]').selectOption('list:dossierStatistics.rows');
    const rowsTable = core.tabulate(stats.rows);
    const rowCells = await expectTable('list:dossierStatistics.rows', rowsTable);
    const early = rowsTable.columns.findIndex((c: { key: string }) => c.key === 'earlyShare');
    const withEarly = stats.rows.findIndex((r: { earlyShare: number | null }) => r.earlyShare !== null);
    assert.equal(rowCells[withEarly][early], oneDecimal(stats.rows[withEarly].earlyShare));

    // 2. The 766 indicators: Vietnamese names, ratio and threshold in percent, points; exported as CSV and XLSX
    await page.locator('[data-workspace-view]').selectOption('indicators');
    const indicators = core.indicatorTable(stats.indicators);
    const indicatorCells = await expectTable('indicators', indicators);
    assert.equal(indicatorCells[0][2], core.INDICATOR_NAMES[stats.indicators[0].id]);
    assert.equal(indicatorCells.at(-1)![0], 'Tổng');
    const withRatio = stats.indicators.findIndex((i: { ratio: number | null }) => i.ratio !== null);
    assert.equal(indicatorCells[withRatio][3], oneDecimal(stats.indicators[withRatio].ratio * 100), 'a 0–1 ratio in percent too');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'indicators-766.png') });
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"]').click()]);
    assert.equal(csvDownload.suggestedFilename(), 'CenterReport-indicators.csv');
    const csv = fs.readFileSync((await csvDownload.path())!);
    assert.equal(csv.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 with a byte order mark');
    assert.equal(csv.toString('utf8'), core.toCsv(indicators));
    assert.ok(csv.toString('utf8').includes(core.INDICATOR_NAMES['2.1']));
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="xlsx"]').click()]);
    assert.equal(xlsxDownload.suggestedFilename(), 'CenterReport-indicators.xlsx');
    const workbook = unzipSync(fs.readFileSync((await xlsxDownload.path())!));
    const sheet = new TextDecoder().decode(workbook['xl/worksheets/sheet1.xml']);
    assert.ok(sheet.includes(core.INDICATOR_NAMES['2.1']), 'Vietnamese names in the sheet');
    assert.match(sheet, /<c r="D2" s="2"><v>[\d.]+<\/v><\/c>/, 'the ratio a number shown in percent');
    const [read] = await readXlsxFile(fs.readFileSync((await xlsxDownload.path())!));
    assert.deepEqual(read.data.map((row) => row.slice(0, 3)), [['Chỉ số', 'Nhóm', 'Tên chỉ số'], ...indicators.rows.map((r: any) => [r.id, r.group, r.name])]);
    await page.keyboard.press('Escape');
    await page.locator('.onestop-workspace-panel').waitFor({ state: 'detached' });

    // 3. Any list as a table: the dossiers, times in Asia/Ho_Chi_Minh
    const dossierReport = saved('dossiers-by-status-and-agency');
    await openSaved(page, dossierReport.id);
    await page.locator('.graphiql-tab-active', { hasText: 'DossiersByStatusAndAgency' }).waitFor();
    await waitForEditor(page, '.graphiql-query-editor .CodeMirror', (text) => text === dossierReport.query);
    const dossiers = await run(page);
    assert.equal(dossiers.errors, undefined, JSON.stringify(dossiers.errors));
    await page.locator('[data-workspace-open="table"]').click();
    const dossierTable = core.tabulate(dossiers.data.dossiers.items);
    const received = dossierTable.columns.find((c: { key: string }) => c.key === 'receivedAt');
    assert.equal(received.kind, 'datetime');
    const dossierCells = await expectTable('list:dossiers.items', dossierTable);
    const receivedIndex = dossierTable.columns.indexOf(received);
    const first = dossiers.data.dossiers.items[0].receivedAt as string;
    assert.equal(dossierCells[0][receivedIndex], core.formatCell(received, first));
    const ict = new Date(Date.parse(first) + 7 * 3600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    assert.equal(dossierCells[0][receivedIndex], `${pad(ict.getUTCDate())}/${pad(ict.getUTCMonth() + 1)}/${ict.getUTCFullYear()} ${pad(ict.getUTCHours())}:${pad(ict.getUTCMinutes())}`, 'UTC+7');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dossiers-table.png') });
    const [dossierCsv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"]').click()]);
    assert.equal(fs.readFileSync((await dossierCsv.path())!, 'utf8'), core.toCsv(dossierTable));
    await page.locator('.onestop-workspace-close').click();

    // 4. One tab per report: opening the center report again focuses its tab
    const tabs = await page.locator('.graphiql-tab').count();
    await openSaved(page, report.id);
    await page.locator('.graphiql-tab-active', { hasText: 'CenterReport' }).waitFor();
    assert.equal(await page.locator('.graphiql-tab').count(), tabs, 'no duplicate tab');

    // 5. The analyst's own report: saved from the dossiers tab, kept across a reload, reopened in that tab, deleted
    await openSaved(page, dossierReport.id);
    await page.locator('.graphiql-tab-active', { hasText: 'DossiersByStatusAndAgency' }).waitFor();
    await replaceEditorTool(page, 'Variables', JSON.stringify({ statuses: ['RECEIVED'], limit: 10 }));
    await page.locator('.onestop-saved-title').fill('Hồ sơ mới tiếp nhận của tôi');
    await page.locator('[data-save-report]').click();
    const own = page.locator('[data-own-reports] [data-saved-query]', { hasText: 'Hồ sơ mới tiếp nhận của tôi' });
    await own.waitFor();
    await page.reload();
    await page.locator('.graphiql-container').waitFor();
    await openSaved(page, report.id);
    await page.locator('.graphiql-tab-active', { hasText: 'CenterReport' }).waitFor();
    await own.click();
    await page.locator('.graphiql-tab-active', { hasText: 'DossiersByStatusAndAgency' }).waitFor();
    assert.equal(await page.locator('.graphiql-tab').count(), tabs, 'the saved report\'s own tab, not a new one');
    const stored = await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('onestop-explorer:reports')));
    assert.deepEqual(stored.map((r: { title: string; variables: string }) => [r.title, JSON.parse(r.variables)]), [['Hồ sơ mới tiếp nhận của tôi', { statuses: ['RECEIVED'], limit: 10 }]]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'saved-reports.png') });
    // closed tab: the report opens in a new one with its query and variables
    await page.locator('.graphiql-tab-active .graphiql-tab-close').click();
    const afterClose = await page.locator('.graphiql-tab').count();
    await own.click();
    await page.locator('.graphiql-tab-active', { hasText: 'DossiersByStatusAndAgency' }).waitFor();
    await waitForEditor(page, '.graphiql-editor-tool .CodeMirror', (text) => text === JSON.stringify({ statuses: ['RECEIVED'], limit: 10 }));
    assert.equal(await page.locator('.graphiql-tab').count(), afterClose + 1);
    await page.locator('[data-delete-report]').first().click();
    await own.waitFor({ state: 'detached' });
    assert.deepEqual(await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('onestop-explorer:reports'))), []);
    const tabsOfReports = await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('onestop-explorer:report-tabs')));
    assert.deepEqual(Object.keys(tabsOfReports).filter((id) => id.startsWith('own-')), [], 'a deleted report forgets its tab');

    assert.deepEqual(consoleErrors, [], 'no errors in the browser console (CSP violations among them)');
    assert.deepEqual(outside, [], 'requests to anything but this machine');
    await page.close();
    console.log(`workspace browser test: ${Date.now() - started} ms; screenshots in ${SCREENSHOTS}`);
  });
});
