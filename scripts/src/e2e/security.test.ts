import { afterAll, beforeAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  authKeysDir, DEV_ISSUER_KEY, IDENTITY_HEADER, Identity, IdentitySigner, identitySignerFromEnv, jwtVerifierFromEnv, mintDevToken,
} from '@onestop/platform';
import { startGateway } from '@onestop/gateway';
import { ROOT, SUPERGRAPH_PATH } from '../stack/subgraphs';
import fs from 'node:fs';
import path from 'node:path';
import { seedDemoData } from '../demo-data';
import { CENTER, JUSTICE_DEPARTMENT, procedureCode, TAX_OFFICE } from '../demo-data/reference';
import { findRichCitizen } from '../stack/examples';
import { ADMIN, startStack, Stack } from '../stack/stack';
import { graphql, GraphQLResponse, tempDir, waitForOutput } from '../testing/helpers';
import { waitFor } from './handoffs-suite';

/**
 * The security probes of the graph on the embedded default: each is refused with a clear error and goes on record,
 * and the same question from the right caller is answered.
 */
const env = { DATA_DIR: tempDir('security'), DB_URL: '' };
const TAX_OFFICER: Identity = { role: 'officer', subject: 'thue.tranthib', agency: TAX_OFFICE, sector: 'TAX' };
const CIVIL_STATUS_OFFICER: Identity = { role: 'officer', subject: 'hotich.lethic', agency: JUSTICE_DEPARTMENT, sector: 'CIVIL_STATUS' };
const ANALYST: Identity = { role: 'analyst', subject: 'phantich.vo' };

function codes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}

function assertDenied(response: GraphQLResponse, code: 'FORBIDDEN' | 'UNAUTHENTICATED', what: string) {
  assert.ok(codes(response).includes(code), `${what}: expected ${code}, got ${JSON.stringify(response.errors ?? response.data)}`);
  for (const error of response.errors ?? []) assert.equal(JSON.stringify(error).includes('    at '), false, 'stack frame leaked');
}

describe('security: who may read what, through the gateway only', () => {
  let stack: Stack;
  let gateway = '';
  const headers = new Map<string, Record<string, string>>();
  const as = (who: string) => headers.get(who)!;
  let citizenA = '';
  let citizenB = '';
  let dossierOfB = '';
  let parcelOfB = '';
  let recordId = '';

  beforeAll(async () => {
    await seedDemoData({ citizens: 400, env });
    stack = await startStack({ env, basePort: 14400, output: 'quiet' });
    gateway = stack.gatewayUrl;
    headers.set('admin', await stack.as(ADMIN));
    citizenA = (await findRichCitizen(gateway, as('admin')))!;
    const found = await graphql(gateway, '{ dossiers(limit: 100) { items { code applicant { personalNumber } } } }', undefined, as('admin'));
    assert.equal(found.errors, undefined, JSON.stringify(found.errors));
    const other = found.data!.dossiers.items.find((d: any) => d.applicant && d.applicant.personalNumber !== citizenA);
    citizenB = other.applicant.personalNumber;
    dossierOfB = other.code;
    const holders = await graphql(gateway, `query($n: String!) { citizen(personalNumber: $n) { landRights { items { parcel { id } } } civilStatusRecords { items { id } } } }`,
      { n: citizenA }, as('admin'));
    recordId = holders.data!.citizen.civilStatusRecords.items[0]?.id;
    const rightsOfOthers = await graphql(gateway, `{ enterprises(limit: 100) { items { legalRepresentative { personalNumber landRights { items { parcel { id } } } } } } }`, undefined, as('admin'));
    const holder = rightsOfOthers.data!.enterprises.items.map((e: any) => e.legalRepresentative)
      .find((p: any) => p.personalNumber !== citizenA && p.landRights.items.length);
    parcelOfB = holder.landRights.items[0].parcel.id;
    headers.set('holderOfParcel', { 'x-holder': holder.personalNumber });
    headers.set('citizenA', await stack.as({ role: 'citizen', subject: citizenA }));
    headers.set('taxOfficer', await stack.as(TAX_OFFICER));
    headers.set('civilStatusOfficer', await stack.as(CIVIL_STATUS_OFFICER));
    headers.set('analyst', await stack.as(ANALYST));
    assert.ok(citizenA && citizenB && dossierOfB && parcelOfB && recordId, 'demo data lacks the cases the probes need');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test('no token: personal data is refused (UNAUTHENTICATED); public reference data still answers', async () => {
    const personal = await graphql(gateway, 'query($n: String!) { citizen(personalNumber: $n) { fullName } }', { n: citizenA });
    assertDenied(personal, 'UNAUTHENTICATED', 'anonymous citizen()');
    assert.equal(personal.data?.citizen ?? null, null);
    const catalogue = await graphql(gateway, '{ procedures(limit: 3) { totalCount items { code name } } }');
    assert.equal(catalogue.errors, undefined, JSON.stringify(catalogue.errors));
    assert.ok(catalogue.data!.procedures.totalCount > 0);
  });

  test('expired, badly signed, foreign-issuer and malformed tokens are refused with 401 before anything runs', async () => {
    const query = '{ procedures(limit: 1) { totalCount } }';
    const expired = await mintDevToken({ role: 'admin', subject: 'x' }, { env, issuedAt: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 60 });
    const foreignKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = await mintDevToken({ role: 'admin', subject: 'x' }, { env, privateKeyPem: foreignKey });
    const wrongIssuer = await mintDevToken({ role: 'admin', subject: 'x' }, { env, issuer: 'someone-else' });
    const wrongAudience = await mintDevToken({ role: 'admin', subject: 'x' }, { env, audience: 'another-app' });
    const cases: [string, string, RegExp][] = [
      ['expired', `Bearer ${expired}`, /expired/],
      ['signed with another key', `Bearer ${forged}`, /signature|no trusted key/],
      ['another issuer', `Bearer ${wrongIssuer}`, /iss/],
      ['another audience', `Bearer ${wrongAudience}`, /aud/],
      ['not a JWT', 'Bearer not.a.jwt', /malformed|not accepted/],
      ['not a bearer', 'Basic YWRtaW46YWRtaW4=', /Bearer/],
    ];
    for (const [what, authorization, reason] of cases) {
      const response = await graphql(gateway, query, undefined, { authorization, 'x-request-id': `sec-token-${what.replace(/\W+/g, '-')}` });
      assert.equal(response.status, 401, `${what}: status ${response.status}`);
      assertDenied(response, 'UNAUTHENTICATED', what);
      assert.match(response.errors![0].message, reason, what);
      assert.equal(response.data ?? null, null);
    }
    // the refused token is on record with its request id
    await waitForOutput(stack.gateway, /access denied.*sec-token-expired/);
  });

  test('citizen A asking for citizen B: directly, by dossier, and through nested federated fields', async () => {
    const direct = await graphql(gateway, 'query($n: String!) { citizen(personalNumber: $n) { fullName } }', { n: citizenB }, as('citizenA'));
    assertDenied(direct, 'FORBIDDEN', 'citizen(B) as A');
    const dossier = await graphql(gateway, 'query($c: String!) { dossier(code: $c) { code applicantName } }', { c: dossierOfB }, as('citizenA'));
    assertDenied(dossier, 'FORBIDDEN', 'dossier of B as A');
    const nested = await graphql(gateway, 'query($id: String!) { landParcel(id: $id) { id rights { items { holderCitizen { personalNumber fullName } } } } }',
      { id: parcelOfB }, as('citizenA'));
    assertDenied(nested, 'FORBIDDEN', 'landParcel → rights → holderCitizen (B) as A');
    assert.equal(JSON.stringify(nested.data ?? {}).includes(as('holderOfParcel')['x-holder']), false, 'B\'s number leaked');
    const list = await graphql(gateway, '{ dossiers(limit: 50) { items { applicant { personalNumber } } } }', undefined, as('citizenA'));
    assert.equal(list.errors, undefined, JSON.stringify(list.errors));
    for (const item of list.data!.dossiers.items) assert.equal(item.applicant.personalNumber, citizenA, 'a citizen lists only their own dossiers');
    const taxOfB = await graphql(gateway, 'query($n: String!) { taxObligations(taxpayerPersonalNumber: $n) { totalCount } }', { n: citizenB }, as('citizenA'));
    assertDenied(taxOfB, 'FORBIDDEN', 'taxObligations of B as A');
    // The same citizen about themself: answered, from all five subgraphs.
    const own = await graphql(gateway, `query($n: String!) { citizen(personalNumber: $n) { personalNumber fullName
      dossiers { items { code } } landRights { items { certificateSerial } } taxObligations { items { amount } } enterprises { items { name } } civilStatusRecords { items { type } } } }`,
    { n: citizenA }, as('citizenA'));
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    assert.equal(own.data!.citizen.personalNumber, citizenA);
  });

  test('a tax officer may not read civil-status records; the civil-status officer may', async () => {
    const byId = await graphql(gateway, 'query($id: ID!) { civilStatusRecord(id: $id) { type registeredOn } }', { id: recordId }, as('taxOfficer'));
    assertDenied(byId, 'FORBIDDEN', 'civilStatusRecord as tax officer');
    const viaCitizen = await graphql(gateway, 'query($n: String!) { citizen(personalNumber: $n) { civilStatusRecords { items { type } } } }', { n: citizenA }, as('taxOfficer'));
    assertDenied(viaCitizen, 'FORBIDDEN', 'citizen → civilStatusRecords as tax officer');
    const allowed = await graphql(gateway, 'query($id: ID!) { civilStatusRecord(id: $id) { type registeredOn subject { fullName } } }', { id: recordId }, as('civilStatusOfficer'));
    assert.equal(allowed.errors, undefined, JSON.stringify(allowed.errors));
    assert.ok(allowed.data!.civilStatusRecord.type);
    const notTaxMutation = await graphql(gateway, 'mutation { appraiseLandTransfer(input: { dossierCode: "000.00.00.H99-250101-0001" }) { id } }', undefined, as('taxOfficer'));
    assertDenied(notTaxMutation, 'FORBIDDEN', 'land mutation as tax officer');
  });

  test('a field refused inside a subgraph costs that field only: the rest of the data comes back, the error has its path', async () => {
    const mixed = await graphql(gateway, `query($n: String!) { citizen(personalNumber: $n) { personalNumber fullName
      civilStatusRecords { items { type } } taxObligations { items { amount } } } }`, { n: citizenA }, as('taxOfficer'));
    assert.deepEqual(mixed.errors?.map((e) => [e.extensions?.code, e.path]), [['FORBIDDEN', ['citizen', 'civilStatusRecords']]], JSON.stringify(mixed.errors));
    assert.equal(mixed.data!.citizen.personalNumber, citizenA);
    assert.ok(mixed.data!.citizen.fullName, 'the allowed civil-status field of the same fetch');
    assert.equal(mixed.data!.citizen.civilStatusRecords, null);
    assert.ok(Array.isArray(mixed.data!.citizen.taxObligations.items), 'the other subgraph\'s field');
    const log = await graphql(gateway, 'query($n: String!) { citizen(personalNumber: $n) { fullName landPersonalDataAccessLog { items { at } } landRights { items { certificateSerial } } } }',
      { n: citizenA }, as('taxOfficer'));
    assert.deepEqual(log.errors?.map((e) => e.path), [['citizen', 'landPersonalDataAccessLog']], JSON.stringify(log.errors));
    assert.ok(log.data!.citizen.fullName);
  });

  test('a malformed date is BAD_USER_INPUT naming the argument, as a literal or a variable', async () => {
    for (const bad of ['2026-13-45T00:00:00Z', 'not-a-date']) {
      const literal = await graphql(gateway, `{ dossiers(receivedFrom: "${bad}") { totalCount } }`, undefined, as('admin'));
      assert.deepEqual(literal.errors?.map((e) => [e.extensions?.code, e.extensions?.field]), [['BAD_USER_INPUT', 'receivedFrom']], JSON.stringify(literal.errors));
      const variable = await graphql(gateway, 'query($from: DateTimeISO) { dossiers(receivedFrom: $from) { totalCount } }', { from: bad }, { ...as('admin'), 'accept-language': 'en' });
      assert.deepEqual(variable.errors?.map((e) => e.extensions?.code), ['BAD_USER_INPUT'], JSON.stringify(variable.errors));
      assert.match(variable.errors![0].message, /\$from/);
    }
    const good = await graphql(gateway, '{ dossiers(receivedFrom: "2025-01-01T00:00:00Z", receivedTo: "2027-01-01T00:00:00+07:00") { totalCount } }', undefined, as('admin'));
    assert.equal(good.errors, undefined, JSON.stringify(good.errors));
  });

  test('dates in a submission are checked when it is filed: a day that does not exist, a future one, a death before the birth', async () => {
    const counter = await stack.as({ role: 'officer', subject: 'mc.nguyenvana', agency: CENTER, sector: 'SERVICE_CENTER' });
    const localDay = (offsetDays: number) => new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const SUBMIT = 'mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code } }';
    const ONLINE = 'mutation($input: SubmitDossierInput!) { registerDossierOnline(input: $input) { code } }';
    const birth = (birthDate: string) => ({
      procedureCode: procedureCode('1.001193'), receivingAgencyCode: CENTER, channel: 'COUNTER', applicantName: 'Người đi khai sinh', applicantPersonalNumber: citizenA,
      birthRegistration: { childName: 'Nguyễn Văn Thử', birthDate, sex: 'MALE', birthProvinceCode: '099', communeCode: '99001', motherPersonalNumber: citizenA },
    });
    const death = (deathDate: string) => ({
      procedureCode: procedureCode('1.000656'), receivingAgencyCode: CENTER, channel: 'COUNTER', applicantName: 'Người đi khai tử', applicantPersonalNumber: citizenA,
      deathRegistration: { personalNumber: citizenB, deathDate, communeCode: '99001', declarantPersonalNumber: citizenA },
    });
    const before = (await graphql(gateway, '{ dossiers { totalCount } }', undefined, as('admin'))).data!.dossiers.totalCount;
    const cases: [string, Record<string, unknown>, Record<string, string>, string][] = [
      [SUBMIT, birth('2026-02-30'), counter, 'input.birthRegistration.birthDate'],
      [SUBMIT, birth('not-a-date'), counter, 'input.birthRegistration.birthDate'],
      [SUBMIT, birth(localDay(2)), counter, 'input.birthRegistration.birthDate'],
      [SUBMIT, death('2025-02-29'), counter, 'input.deathRegistration.deathDate'],
      [SUBMIT, death(localDay(2)), counter, 'input.deathRegistration.deathDate'],
      [SUBMIT, death('1899-12-31'), counter, 'input.deathRegistration.deathDate'],
      [ONLINE, { ...birth(localDay(2)), channel: 'ONLINE' }, as('citizenA'), 'input.birthRegistration.birthDate'],
    ];
    for (const [mutation, input, headers, field] of cases) {
      const response = await graphql(gateway, mutation, { input }, headers);
      assert.deepEqual(response.errors?.map((e) => [e.extensions?.code, e.extensions?.field]), [['BAD_USER_INPUT', field]], `${JSON.stringify(input)}: ${JSON.stringify(response.errors)}`);
      assert.equal(response.data ?? null, null);
    }
    const after = (await graphql(gateway, '{ dossiers { totalCount } }', undefined, as('admin'))).data!.dossiers.totalCount;
    assert.equal(after, before, 'no refused submission left a dossier');
  });

  test('an analyst sees keyed pseudonyms, never a digit of a personal number nor a name', async () => {
    const PSEUDONYM = /^\*[MF]-[a-s]{16}$/;
    const response = await graphql(gateway, `{ citizens(limit: 20) { items { personalNumber fullName birthDate sex } }
      dossiers(limit: 20) { items { applicantName applicant { personalNumber } } } }`, undefined, as('analyst'));
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    for (const citizen of response.data!.citizens.items) {
      assert.match(citizen.personalNumber, PSEUDONYM);
      assert.match(citizen.birthDate, /^\d{4}-\*\*-\*\*$/);
      assert.equal(citizen.fullName, '***');
    }
    for (const dossier of response.data!.dossiers.items) {
      if (dossier.applicant) assert.match(dossier.applicant.personalNumber, PSEUDONYM);
      assert.equal(dossier.applicantName, '***');
    }
    const raw = JSON.stringify(response.data);
    assert.equal(raw.includes(citizenA), false, 'a raw personal number reached the analyst');
    const report = await graphql(gateway, '{ enterprises(limit: 20) { items { name legalRepresentative { personalNumber fullName sex } } } }', undefined, as('analyst'));
    assert.equal(report.errors, undefined, JSON.stringify(report.errors));
    for (const enterprise of report.data!.enterprises.items) {
      assert.match(enterprise.legalRepresentative.personalNumber, PSEUDONYM, 'the reference key is a pseudonym');
      assert.equal(enterprise.legalRepresentative.fullName, '***', 'nothing about the person resolves behind a pseudonym');
      assert.match(enterprise.legalRepresentative.sex, /^(MALE|FEMALE)$/);
    }
    const byName = await graphql(gateway, '{ citizens(nameStartsWith: "Nguyễn") { totalCount } }', undefined, as('analyst'));
    assertDenied(byName, 'FORBIDDEN', 'analyst name search');
  });

  test('an analyst counts parcels by commune, area and land use; nothing ties a holder\'s pseudonym to a place', async () => {
    const PSEUDONYM = /^\*[MF]-[a-s]{16}$/;
    const commune = parcelOfB.split('-')[0];
    const query = `query($c: String!) { landParcels(communeCode: $c, limit: 50) { totalCount items {
      id communeCode mapSheetNumber parcelNumber address area usePurpose usePurposeName
      rights { items { sharePercent certificateSerial certificateRegisterNumber holderCitizen { personalNumber } } } } } }`;
    const analyst = await graphql(gateway, query, { c: commune }, as('analyst'));
    assert.equal(analyst.errors, undefined, JSON.stringify(analyst.errors));
    const parcels = analyst.data!.landParcels.items;
    assert.ok(parcels.length && parcels.some((p: any) => p.rights.items.some((r: any) => r.holderCitizen)), 'demo data lacks held parcels');
    for (const parcel of parcels) {
      assert.deepEqual([parcel.id, parcel.mapSheetNumber, parcel.parcelNumber, parcel.address], ['***', null, null, '***'], JSON.stringify(parcel));
      assert.equal(parcel.communeCode, commune);
      assert.ok(parcel.area > 0 && parcel.usePurpose && parcel.usePurposeName, 'the statistics stay');
      for (const right of parcel.rights.items) {
        assert.deepEqual([right.certificateSerial, right.certificateRegisterNumber], ['***', '***']);
        if (right.holderCitizen) assert.match(right.holderCitizen.personalNumber, PSEUDONYM);
      }
    }
    assert.equal(JSON.stringify(analyst.data).includes(parcelOfB), false, 'a parcel id reached the analyst');
    const bySheet = await graphql(gateway, 'query($c: String!) { landParcels(communeCode: $c, mapSheetNumber: 1) { totalCount } }', { c: commune }, as('analyst'));
    assertDenied(bySheet, 'FORBIDDEN', 'analyst landParcels by map sheet');
    // staff of the sector still see the cadastre as it is
    const landOfficer = await stack.as({ role: 'officer', subject: 'vpdk.tranthib', agency: 'H99.DD.00', sector: 'LAND' });
    const staff = await graphql(gateway, query, { c: commune }, landOfficer);
    assert.equal(staff.errors, undefined, JSON.stringify(staff.errors));
    assert.ok(staff.data!.landParcels.items.every((p: any) => p.id === `${commune}-${p.mapSheetNumber}-${p.parcelNumber}` && p.address !== '***'));
  });

  test('an analyst cannot look anything up by an identifier', async () => {
    const lookups: [string, Record<string, unknown>][] = [
      ['query($v: String!) { citizen(personalNumber: $v) { birthDate } }', { v: citizenB }],
      ['query($v: String!) { taxObligations(taxpayerPersonalNumber: $v) { totalCount } }', { v: citizenB }],
      ['query($v: String!) { dossier(code: $v) { code } }', { v: dossierOfB }],
      ['query($v: String!) { landParcel(id: $v) { id } }', { v: parcelOfB }],
      ['query($v: String!) { landTransaction(dossierCode: $v) { id } }', { v: dossierOfB }],
      ['query($v: ID!) { civilStatusRecord(id: $v) { id } }', { v: recordId }],
    ];
    for (const [query, variables] of lookups) {
      const response = await graphql(gateway, query, variables, as('analyst'));
      assertDenied(response, 'FORBIDDEN', `analyst ${query}`);
      assert.equal(JSON.stringify(response.data ?? {}).includes(String(Object.values(variables)[0])), false);
    }
  });

  test('one person has one pseudonym in every subgraph; two people have two', async () => {
    // A legal representative who filed a dossier: business-registration and single-window each pseudonymise them.
    const admin = await graphql(gateway, '{ dossiers(limit: 100) { items { code applicant { personalNumber enterprises { items { enterpriseCode } } } } } }', undefined, as('admin'));
    const filed = admin.data!.dossiers.items.find((d: any) => d.applicant?.enterprises.items.length);
    assert.ok(filed, 'demo data lacks a legal representative with a dossier');
    const analyst = await graphql(gateway, `query($e: String!) { enterprise(enterpriseCode: $e) { legalRepresentative { personalNumber } }
      dossiers(limit: 100) { items { code applicant { personalNumber } } } }`, { e: filed.applicant.enterprises.items[0].enterpriseCode }, as('analyst'));
    assert.equal(analyst.errors, undefined, JSON.stringify(analyst.errors));
    const inBusiness = analyst.data!.enterprise.legalRepresentative.personalNumber;
    const inSingleWindow = analyst.data!.dossiers.items.find((d: any) => d.code === filed.code).applicant.personalNumber;
    assert.equal(inBusiness, inSingleWindow);
    const others = analyst.data!.dossiers.items
      .filter((d: any, i: number) => d.applicant && admin.data!.dossiers.items[i].applicant.personalNumber !== filed.applicant.personalNumber);
    assert.ok(others.length && others.every((d: any) => d.applicant.personalNumber !== inBusiness));
  });

  test('a subgraph refuses requests that did not come through the gateway', async () => {
    const civilStatus = stack.subgraphs.find((s) => s.name === 'civil-status')!;
    const query = 'query($n: String!) { citizen(personalNumber: $n) { fullName } }';
    const none = await graphql(civilStatus.url, query, { n: citizenA });
    assert.equal(none.status, 401);
    assertDenied(none, 'UNAUTHENTICATED', 'no gateway identity');
    const foreign = new IdentitySigner(generateKeyPairSync('ed25519').privateKey);
    const forged = await graphql(civilStatus.url, query, { n: citizenA }, { [IDENTITY_HEADER]: foreign.tokenFor(ADMIN, 'civil-status') });
    assert.equal(forged.status, 401);
    const expiredSigner = identitySignerFromEnv(env);
    const expired = await graphql(civilStatus.url, query, { n: citizenA }, { [IDENTITY_HEADER]: expiredSigner.tokenFor(ADMIN, 'civil-status', Date.now() - 3_600_000) });
    assert.equal(expired.status, 401);
    assert.match(expired.errors![0].message, /expired/);
    const entities = await graphql(civilStatus.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { fullName } } }',
      { r: [{ __typename: 'Citizen', personalNumber: citizenA }] });
    assert.equal(entities.status, 401, '_entities is behind the gateway too');
    const valid = await graphql(civilStatus.url, query, { n: citizenA }, { [IDENTITY_HEADER]: identitySignerFromEnv(env).tokenFor(ADMIN, 'civil-status') });
    assert.equal(valid.errors, undefined, 'the gateway\'s own identity is accepted');
    // A token the gateway made for another subgraph (say, captured at land) is refused here
    const forLand = await graphql(civilStatus.url, query, { n: citizenA }, { [IDENTITY_HEADER]: identitySignerFromEnv(env).tokenFor(ADMIN, 'land') });
    assert.equal(forLand.status, 401);
    assert.match(forLand.errors![0].message, /not for the civil-status subgraph/);
    const tax = stack.subgraphs.find((s) => s.name === 'tax')!;
    const atTax = await graphql(tax.url, '{ __typename }', undefined, { [IDENTITY_HEADER]: identitySignerFromEnv(env).tokenFor(ADMIN, 'land') });
    assert.equal(atTax.status, 401, 'a token captured at land is refused by tax');
    await waitForOutput(civilStatus, /access denied/);
  });

  test('reads follow the record: land rights and transactions only of parcels a citizen holds or is party to, _entities included', async () => {
    const admin = await graphql(gateway, `{ dossiers(limit: 100, statuses: [FINANCIAL_OBLIGATION, APPROVAL, RESOLVED, RETURNED]) { items { code
      landTransaction { parcel { id } transferor { personalNumber } transferee { personalNumber } } taxAssessment { noticeNumber } } } }`, undefined, as('admin'));
    assert.equal(admin.errors, undefined, JSON.stringify(admin.errors));
    const foreign = admin.data!.dossiers.items.find((d: any) => d.landTransaction?.transferor && d.taxAssessment
      && ![d.landTransaction.transferor.personalNumber, d.landTransaction.transferee?.personalNumber].includes(citizenA));
    assert.ok(foreign, 'demo data lacks a taxed land transfer of other people');
    const ownParcel = (await graphql(gateway, 'query($n: String!) { citizen(personalNumber: $n) { landRights { items { parcel { id } } } } }', { n: citizenA }, as('citizenA')))
      .data!.citizen.landRights.items[0].parcel.id;

    // through the gateway: another holder's parcel shows no rights or transactions; one's own parcel does
    const other = await graphql(gateway, 'query($id: String!) { landParcel(id: $id) { id rights { items { certificateSerial } } transactions { items { contractValue } } } }',
      { id: foreign.landTransaction.parcel.id }, as('citizenA'));
    assertDenied(other, 'FORBIDDEN', 'landParcel(other) → rights / transactions as A');
    assert.equal(JSON.stringify(other.data ?? {}).includes('certificateSerial'), false);
    const own = await graphql(gateway, 'query($id: String!) { landParcel(id: $id) { rights { items { certificateSerial } } transactions { items { id } } } }', { id: ownParcel }, as('citizenA'));
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    assert.ok(own.data!.landParcel.rights.items.length);

    // straight to the subgraphs with a valid gateway identity for citizen A: the reference resolvers guard as the root fields do
    const identity = (subgraph: string) => ({ [IDENTITY_HEADER]: identitySignerFromEnv(env).tokenFor({ role: 'citizen', subject: citizenA }, subgraph) });
    const land = stack.subgraphs.find((s) => s.name === 'land')!;
    const tax = stack.subgraphs.find((s) => s.name === 'tax')!;
    const probes: [string, string, Record<string, unknown>[]][] = [
      [land.url, '... on Dossier { landTransaction { id contractValue taxAmount } }', [{ __typename: 'Dossier', code: foreign.code }]],
      [land.url, '... on LandParcel { rights { items { certificateSerial } } }', [{ __typename: 'LandParcel', id: foreign.landTransaction.parcel.id }]],
      [land.url, '... on LandParcel { transactions { items { contractValue } } }', [{ __typename: 'LandParcel', id: foreign.landTransaction.parcel.id }]],
      [tax.url, '... on Dossier { taxAssessment { noticeNumber totalAmount } }', [{ __typename: 'Dossier', code: foreign.code }]],
    ];
    for (const [url, selection, representations] of probes) {
      const subgraph = url === land.url ? 'land' : 'tax';
      const response = await graphql(url, `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations }, identity(subgraph));
      assertDenied(response, 'FORBIDDEN', `_entities ${selection} as citizen A`);
      assert.equal(/certificateSerial|contractValue|noticeNumber/.test(JSON.stringify(response.data ?? {})), false, `${selection}: data leaked`);
    }
  });

  test('a dossier\'s civil-status entries and enterprise application, _entities included: only its applicant among citizens', async () => {
    const direct = (subgraph: string, caller: Identity, selection: string, code: string) => {
      const url = stack.subgraphs.find((s) => s.name === subgraph)!.url;
      return graphql(url, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { ${selection} } } }`,
        { r: [{ __typename: 'Dossier', code }] }, { [IDENTITY_HEADER]: identitySignerFromEnv(env).tokenFor(caller, subgraph) });
    };
    // civil status: a registration through another applicant's dossier (demo data)
    const admin = await graphql(gateway, '{ dossiers(limit: 100, statuses: [RETURNED]) { items { code applicant { personalNumber } civilStatusRecords { id } } } }', undefined, as('admin'));
    assert.equal(admin.errors, undefined, JSON.stringify(admin.errors));
    const civil = admin.data!.dossiers.items.find((d: any) => d.civilStatusRecords?.length && d.applicant && d.applicant.personalNumber !== citizenA);
    assert.ok(civil, 'demo data lacks a civil-status dossier');
    const applicant: Identity = { role: 'citizen', subject: civil.applicant.personalNumber };
    const stranger = await direct('civil-status', { role: 'citizen', subject: citizenA }, 'civilStatusRecords { id type registeredOn }', civil.code);
    assertDenied(stranger, 'FORBIDDEN', '_entities Dossier.civilStatusRecords of another applicant as citizen A');
    assert.equal(JSON.stringify(stranger.data ?? {}).includes('registeredOn'), false, 'entries leaked');
    const counterElsewhere = await direct('civil-status', { role: 'officer', subject: 'mc.x', agency: CENTER, sector: 'SERVICE_CENTER' }, 'civilStatusRecords { id }', civil.code);
    assertDenied(counterElsewhere, 'FORBIDDEN', '_entities Dossier.civilStatusRecords as a service-center officer');
    const own = await direct('civil-status', applicant, 'civilStatusRecords { id type }', civil.code);
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    assert.equal(own.data!._entities[0].civilStatusRecords.length, civil.civilStatusRecords.length);
    const sector = await direct('civil-status', CIVIL_STATUS_OFFICER, 'civilStatusRecords { id }', civil.code);
    assert.equal(sector.errors, undefined, JSON.stringify(sector.errors));

    // business registration: an application filed at the counter for citizen B
    const counter = await stack.as({ role: 'officer', subject: 'mc.nguyenvana', agency: CENTER, sector: 'SERVICE_CENTER' });
    const filed = await graphql(gateway, 'mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code } }', { input: {
      procedureCode: procedureCode('2.001610'), receivingAgencyCode: CENTER, channel: 'COUNTER', applicantName: 'Người thành lập', applicantPersonalNumber: citizenB,
      enterpriseRegistration: {
        name: `CÔNG TY TNHH KIỂM THỬ ${Date.now()}`, type: 'SINGLE_MEMBER_LLC', address: 'Số 9, đường Lê Lợi', communeCode: '99001',
        legalRepresentativePersonalNumber: citizenB, charterCapital: 1_000_000_000, businessLines: [{ vsicCode: '4690', main: true }],
      },
    } }, counter);
    assert.equal(filed.errors, undefined, JSON.stringify(filed.errors));
    const code = filed.data!.submitDossier.code;
    await waitFor('the application reached business registration', async () =>
      (await graphql(gateway, 'query($c: String!) { dossier(code: $c) { enterpriseRegistration { status } } }', { c: code }, as('admin'))).data?.dossier?.enterpriseRegistration);
    const other = await direct('business-registration', { role: 'citizen', subject: citizenA }, 'enterpriseRegistration { name charterCapital }', code);
    assertDenied(other, 'FORBIDDEN', '_entities Dossier.enterpriseRegistration of citizen B as citizen A');
    assert.equal(JSON.stringify(other.data ?? {}).includes('charterCapital'), false, 'the application leaked');
    const taxOfficer = await direct('business-registration', TAX_OFFICER, 'enterpriseRegistration { name }', code);
    assertDenied(taxOfficer, 'FORBIDDEN', '_entities Dossier.enterpriseRegistration as a tax officer');
    const mine = await direct('business-registration', { role: 'citizen', subject: citizenB }, 'enterpriseRegistration { name charterCapital }', code);
    assert.equal(mine.errors, undefined, JSON.stringify(mine.errors));
    assert.equal(mine.data!._entities[0].enterpriseRegistration.charterCapital, 1_000_000_000);
  });

  test('every read of personal data is on record, and the citizen can see who read it', async () => {
    const requestId = `sec-pii-${Date.now()}`;
    const read = await graphql(gateway, 'query($n: String!) { citizen(personalNumber: $n) { fullName birthDate } }', { n: citizenA },
      { ...as('taxOfficer'), 'x-request-id': requestId });
    assert.equal(read.errors, undefined, JSON.stringify(read.errors));
    const log = await graphql(gateway, `query($n: String!) { citizen(personalNumber: $n) {
      civilStatusPersonalDataAccessLog(limit: 50) { totalCount items { accessorRole accessorAgency accessor fields requestId action at } } } }`,
    { n: citizenA }, as('citizenA'));
    assert.equal(log.errors, undefined, JSON.stringify(log.errors));
    const entry = log.data!.citizen.civilStatusPersonalDataAccessLog.items.find((e: any) => e.requestId === requestId);
    assert.ok(entry, 'the officer\'s read is on record under its request id');
    // a page like any other list: the second entry alone
    const log2 = await graphql(gateway, `query($n: String!) { citizen(personalNumber: $n) {
      civilStatusPersonalDataAccessLog(offset: 1, limit: 1) { totalCount offset items { requestId at } } } }`, { n: citizenA }, as('citizenA'));
    const page2 = log2.data!.citizen.civilStatusPersonalDataAccessLog;
    assert.equal(page2.offset, 1);
    assert.equal(page2.items.length, Math.min(1, log.data!.citizen.civilStatusPersonalDataAccessLog.totalCount - 1));
    assert.ok(page2.totalCount >= log.data!.citizen.civilStatusPersonalDataAccessLog.totalCount);
    assert.equal(entry.accessorRole, 'officer');
    assert.equal(entry.accessorAgency, TAX_OFFICE);
    assert.equal(entry.accessor, TAX_OFFICER.subject);
    assert.match(entry.fields, /Citizen\.birthDate/);
    assert.match(entry.fields, /Citizen\.fullName/);
    const othersLog = await graphql(gateway, `query($n: String!) { citizen(personalNumber: $n) { civilStatusPersonalDataAccessLog { items { accessor } } } }`,
      { n: citizenA }, as('taxOfficer'));
    assertDenied(othersLog, 'FORBIDDEN', 'an officer reading the access log');
  });

  test('depth, alias and cost bombs are refused before any subgraph is asked', async () => {
    const deep = `{ dossiers(limit: 1) { items { procedure { code } ${'applicant { dossiers { items { '.repeat(8)}code${' } } }'.repeat(8)} } } }`;
    const aliases = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: procedures(limit: 1) { totalCount }`).join(' ')} }`;
    const cost = `{ dossiers(limit: 100) { items { timeline { id } applicant { dossiers { items { timeline { id } applicant { dossiers { items { code } } } } } } } } }`;
    for (const [what, query, limit] of [['depth', deep, 'depth'], ['aliases', aliases, 'aliases'], ['cost', cost, 'cost']] as const) {
      const response = await graphql(gateway, query, undefined, as('admin'));
      assert.ok(codes(response).includes('OPERATION_LIMIT_EXCEEDED'), `${what}: ${JSON.stringify(response.errors)}`);
      assert.equal(response.errors![0].extensions?.limit, limit);
      assert.equal(response.data ?? null, null);
    }
  });

  test('production portal gateway: introspection only for analysts and admins; operations outside the allowlist refused', async () => {
    const start = (options: Partial<Parameters<typeof startGateway>[0]>) => startGateway({
      supergraphPath: SUPERGRAPH_PATH, port: 0, watch: false,
      subgraphUrls: Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.url])),
      jwtVerifier: jwtVerifierFromEnv(env), identitySigner: identitySignerFromEnv(env), subscriptions: false, log: () => undefined, ...options,
    });
    const production = await start({ introspection: { mode: 'roles' } });
    const portal = await start({ persistedOperations: { mode: 'allowlist', manifest: path.join(ROOT, 'gateway/operations/portal.manifest.json') } });
    try {
      const introspect = '{ __schema { queryType { name } } }';
      const asCitizen = await graphql(production.url, introspect, undefined, as('citizenA'));
      assert.ok(codes(asCitizen).includes('INTROSPECTION_DISABLED'), JSON.stringify(asCitizen.errors));
      const asAnalyst = await graphql(production.url, introspect, undefined, as('analyst'));
      assert.equal(asAnalyst.errors, undefined, JSON.stringify(asAnalyst.errors));
      const adHoc = await graphql(portal.url, 'query($n: String!) { citizen(personalNumber: $n) { fullName } }', { n: citizenA }, as('citizenA'));
      assert.ok(codes(adHoc).includes('PERSISTED_OPERATION_NOT_ALLOWED'), JSON.stringify(adHoc.errors));
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'gateway/operations/portal.manifest.json'), 'utf8'));
      const lookup = manifest.operations.find((o: { name: string }) => o.name === 'DossierLookup');
      const ownDossier = (await graphql(gateway, '{ dossiers(limit: 1) { items { code } } }', undefined, as('citizenA'))).data!.dossiers.items[0].code;
      const registered = await graphql(portal.url, lookup.body, { code: ownDossier }, as('citizenA'));
      assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
      assert.equal(registered.data!.dossierLookup.code, ownDossier, 'the public lookup, with the receipt\'s code');
    } finally {
      await production.stop();
      await portal.stop();
    }
  });

  test('the dev issuer key stays in the stack\'s key folder', () => {
    assert.ok(fs.existsSync(path.join(authKeysDir(env), `${DEV_ISSUER_KEY}.key.pem`)));
  });
});
