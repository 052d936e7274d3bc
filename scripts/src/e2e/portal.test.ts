import { afterAll, beforeAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { seedDemoData } from '../demo-data';
import { ADMIN, startStack, Stack } from '../stack/stack';
import { ROOT } from '../stack/subgraphs';
import { graphql, LiveSubscription, subscribeOverWebSocket, tempDir } from '../testing/helpers';

const OPERATIONS = path.join(ROOT, 'gateway', 'operations', 'portal');
const operation = (file: string) => fs.readFileSync(path.join(OPERATIONS, file), 'utf8');

/** Waits until the subscription's results pass the check. */
async function until(live: LiveSubscription, check: (results: LiveSubscription['results']) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check(live.results)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; got ${JSON.stringify(live.results).slice(0, 1000)}`);
}

/**
 * What a portal builds on, through the real stack: `me` for each kind of caller, the paging convention on a person's
 * lists, the live feed of a citizen's own dossiers, the portal's operation files as sent, and errors in Vietnamese.
 */
describe('the portal-ready graph', () => {
  const env = { DATA_DIR: tempDir('portal'), DB_URL: '' };
  let stack: Stack;
  let gateway = '';
  let citizen = '';
  let otherCitizen = '';
  const open: LiveSubscription[] = [];

  beforeAll(async () => {
    await seedDemoData({ citizens: 60, env });
    stack = await startStack({ env, basePort: 14820, output: 'quiet' });
    gateway = stack.gatewayUrl;
    const found = await graphql(gateway, '{ dossiers(limit: 100) { items { applicant { personalNumber } } } }', undefined, await stack.as(ADMIN));
    assert.equal(found.errors, undefined, JSON.stringify(found.errors));
    const applicants = [...new Set(found.data!.dossiers.items.map((d: any) => d.applicant?.personalNumber).filter(Boolean))] as string[];
    assert.ok(applicants.length >= 2, 'the demo data has applicants');
    [citizen, otherCitizen] = applicants;
  });

  afterAll(async () => {
    for (const live of open) await live.close().catch(() => undefined);
    await stack?.stop();
  });

  test('me: a citizen\'s identity and own record with paged dossiers; an officer\'s agency and no record; anonymous refused', async () => {
    const asCitizen = await stack.as({ role: 'citizen', subject: citizen, name: 'Công dân' });
    const mine = await graphql(gateway, operation('me.graphql'), { limit: 1 }, asCitizen);
    assert.equal(mine.errors, undefined, JSON.stringify(mine.errors));
    const me = mine.data!.me;
    assert.deepEqual([me.role, me.subject, me.agency, me.name], ['citizen', citizen, null, 'Công dân']);
    assert.equal(me.citizen.personalNumber, citizen);
    assert.ok(me.citizen.dossiers.totalCount >= 1);
    assert.equal(me.citizen.dossiers.items.length, 1, 'one page of the size asked for');
    assert.equal(me.citizen.dossiers.offset, 0);

    const officer = await graphql(gateway, '{ me { role subject agency sector citizen { personalNumber } } }', undefined,
      await stack.as({ role: 'officer', subject: 'cb.thue', agency: 'H99.TAX.00', sector: 'TAX' }));
    assert.equal(officer.errors, undefined, JSON.stringify(officer.errors));
    assert.deepEqual(officer.data!.me, { role: 'officer', subject: 'cb.thue', agency: 'H99.TAX.00', sector: 'TAX', citizen: null });
    const analyst = await graphql(gateway, '{ me { role citizen { personalNumber } } }', undefined, await stack.as({ role: 'analyst', subject: 'pt.a' }));
    assert.deepEqual(analyst.data!.me, { role: 'analyst', citizen: null });

    const anonymous = await graphql(gateway, '{ me { role } }');
    assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(anonymous.data?.me ?? null, null);
    // in Vietnamese by default, in English when asked; the code is the same
    assert.match(anonymous.errors![0].message, /^Chưa đăng nhập/);
    const english = await graphql(gateway, '{ me { role } }', undefined, { 'accept-language': 'en' });
    assert.equal(english.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(english.errors![0].message, /^Sign in/);
  });

  test('one paging convention on a person\'s lists: items, totalCount, offset; limit checked; another citizen\'s refused', async () => {
    const asCitizen = await stack.as({ role: 'citizen', subject: citizen });
    const query = `query($n: String!, $offset: Int!, $limit: Int!) { citizen(personalNumber: $n) {
      dossiers(offset: $offset, limit: $limit) { totalCount offset items { code } }
      landRights(limit: $limit) { totalCount items { certificateSerial } }
      taxObligations(limit: $limit) { totalCount items { amount } }
      enterprises(limit: $limit) { totalCount items { name } }
      civilStatusRecords(limit: $limit) { totalCount items { type } } } }`;
    const all = await graphql(gateway, query, { n: citizen, offset: 0, limit: 100 }, asCitizen);
    assert.equal(all.errors, undefined, JSON.stringify(all.errors));
    const total = all.data!.citizen.dossiers.totalCount;
    assert.equal(all.data!.citizen.dossiers.items.length, total);
    for (const list of ['landRights', 'taxObligations', 'enterprises', 'civilStatusRecords']) {
      assert.equal(all.data!.citizen[list].items.length, all.data!.citizen[list].totalCount, list);
    }
    const last = await graphql(gateway, query, { n: citizen, offset: total - 1, limit: 1 }, asCitizen);
    assert.deepEqual(last.data!.citizen.dossiers, { totalCount: total, offset: total - 1, items: [all.data!.citizen.dossiers.items[total - 1]] });
    const tooMany = await graphql(gateway, query, { n: citizen, offset: 0, limit: 101 }, asCitizen);
    assert.deepEqual([...new Set(tooMany.errors?.map((e) => [e.extensions?.code, e.extensions?.field].join(' ')))], ['BAD_USER_INPUT limit']);
    const other = await graphql(gateway, query, { n: otherCitizen, offset: 0, limit: 5 }, asCitizen);
    assert.equal(other.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(other.data?.citizen ?? null, null);
  });

  test('the portal\'s dossier lookup runs anonymously with its own file as sent: nothing personal', async () => {
    const asCitizen = await stack.as({ role: 'citizen', subject: citizen });
    const code = (await graphql(gateway, '{ me { citizen { dossiers(limit: 1) { items { code } } } } }', undefined, asCitizen)).data!.me.citizen.dossiers.items[0].code;
    const lookup = await graphql(gateway, operation('dossier-lookup.graphql'), { code });
    assert.equal(lookup.errors, undefined, JSON.stringify(lookup.errors));
    assert.equal(lookup.data!.dossierLookup.code, code);
    assert.ok(lookup.data!.dossierLookup.steps.length >= 1);
    assert.equal(JSON.stringify(lookup.data).includes(citizen), false);
  });

  test('myDossierStatusChanged: a snapshot of the citizen\'s own dossiers, then their changes and new ones, nobody else\'s', async () => {
    const asCitizen = await stack.as({ role: 'citizen', subject: citizen });
    const own = (await graphql(gateway, '{ me { citizen { dossiers(limit: 100) { totalCount items { code } } } } }', undefined, asCitizen)).data!.me.citizen.dossiers;
    const live = subscribeOverWebSocket(gateway, operation('my-dossiers-live.graphql'), {}, asCitizen.authorization);
    const other = subscribeOverWebSocket(gateway, 'subscription { myDossierStatusChanged { code } }', {}, (await stack.as({ role: 'citizen', subject: otherCitizen })).authorization);
    open.push(live, other);
    await until(live, (results) => results.length >= own.items.length, 'the snapshot');
    assert.deepEqual(live.results.map((r) => r.data?.myDossierStatusChanged?.code), own.items.map((d: { code: string }) => d.code), 'newest first, as the list');
    assert.ok(live.results.every((r) => r.data!.myDossierStatusChanged.procedure.name), 'the fields asked for, from the graph');
    await until(other, (results) => results.length >= 1, 'the other citizen\'s snapshot');
    const othersBefore = other.results.length;

    // the citizen registers a dossier online: it arrives as DRAFT, then RECEIVED when the counter receives it
    const catalogue = await graphql(gateway, '{ procedures(limit: 100, handlingSector: LAND) { items { code onlineService } } agencies(sector: SERVICE_CENTER) { code level } }');
    const procedure = catalogue.data!.procedures.items.find((p: any) => p.onlineService !== 'NONE');
    const desk = catalogue.data!.agencies.find((a: any) => a.level === 'PROVINCE');
    const registered = await graphql(gateway, 'mutation($input: SubmitDossierInput!) { registerDossierOnline(input: $input) { code } }', {
      input: { procedureCode: procedure.code, receivingAgencyCode: desk.code, channel: 'ONLINE', applicantName: 'Công dân', applicantPersonalNumber: citizen },
    }, asCitizen);
    assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
    const code = registered.data!.registerDossierOnline.code;
    await until(live, (results) => results.some((r) => r.data?.myDossierStatusChanged?.code === code && r.data!.myDossierStatusChanged.status === 'DRAFT'), 'the new dossier');
    const counter = await stack.as({ role: 'officer', subject: 'mc.portal', agency: desk.code, sector: 'SERVICE_CENTER' });
    const accepted = await graphql(gateway, 'mutation($code: String!) { acceptDossier(code: $code) { status } }', { code }, counter);
    assert.equal(accepted.errors, undefined, JSON.stringify(accepted.errors));
    await until(live, (results) => results.some((r) => r.data?.myDossierStatusChanged?.code === code && r.data!.myDossierStatusChanged.status !== 'DRAFT'), 'its status change');
    assert.ok(live.results.every((r) => !r.errors), JSON.stringify(live.results.filter((r) => r.errors)));
    // the other citizen heard nothing of it
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(other.results.length, othersBefore, JSON.stringify(other.results.slice(othersBefore)));
  });

  test('myDossierStatusChanged refuses anonymous callers and other roles', async () => {
    const anonymous = subscribeOverWebSocket(gateway, 'subscription { myDossierStatusChanged { code } }', {});
    const officer = subscribeOverWebSocket(gateway, 'subscription { myDossierStatusChanged { code } }', {},
      (await stack.as({ role: 'officer', subject: 'mc.portal', agency: 'H99.TAX.00', sector: 'TAX' })).authorization);
    open.push(anonymous, officer);
    for (const [live, code] of [[anonymous, 'UNAUTHENTICATED'], [officer, 'FORBIDDEN']] as const) {
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        live.done.then(() => 'completed', (error) => `error ${JSON.stringify(error)}`),
        new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), 10_000); }),
      ]);
      clearTimeout(timer);
      const codes = JSON.stringify(live.results) + String(outcome);
      assert.ok(codes.includes(code), `${code}: ${codes}`);
      assert.equal(live.results.some((r) => r.data?.myDossierStatusChanged), false);
    }
  });
});
