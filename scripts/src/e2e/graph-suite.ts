import { afterAll, beforeAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { seedDemoData } from '../demo-data';
import { findRichCitizen } from '../stack/examples';
import { ADMIN, startStack, Stack } from '../stack/stack';
import { graphql } from '../testing/helpers';

const OVERVIEW = `query Overview($personalNumber: String!) {
  citizen(personalNumber: $personalNumber) {
    personalNumber fullName birthDate sex
    civilStatusRecords { items { type registeredOn } }
    dossiers { items { code status statusCode procedure { name handlingSector } } }
    landRights { items { certificateSerial parcel { id area usePurposeName landTaxes { items { kindName amount } } } } }
    taxObligations { items { kindName amount status } }
    enterprises { items { enterpriseCode name taxProfile { managingTaxOffice } } }
  }
}`;

function noStackTraces(errors: { extensions?: Record<string, unknown> }[] | undefined) {
  for (const error of errors ?? []) {
    assert.equal(error.extensions?.stacktrace, undefined, 'stack trace leaked');
    assert.equal(JSON.stringify(error).includes('    at '), false, 'stack frame leaked');
  }
}

async function waitUntil<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The whole graph over HTTP: five subgraph processes and the gateway on a seeded database. */
export function graphSuite(
  label: string,
  setup: () => { env: NodeJS.ProcessEnv; basePort: number; cleanup?: () => Promise<void> } | undefined,
) {
  describe(`the federated graph on ${label}`, () => {
    let stack: Stack | undefined;
    let gateway = '';
    let admin: Record<string, string> = {};
    /** Through the gateway as an admin unless other headers (another caller) are given. */
    const gql = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
      graphql<T>(gateway, query, variables, headers ?? admin);
    let fullCitizen = '';
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const config = setup();
      if (!config) return;
      cleanup = config.cleanup;
      await seedDemoData({ citizens: 400, env: config.env });
      stack = await startStack({ env: config.env, basePort: config.basePort, output: 'quiet' });
      gateway = stack.gatewayUrl;
      admin = await stack.as(ADMIN);
      const rich = await findRichCitizen(gateway, admin);
      assert.ok(rich, 'demo data has no citizen with land rights, dossiers and an enterprise');
      fullCitizen = rich;
    });

    afterAll(async () => {
      await stack?.stop();
      await cleanup?.();
    });

    test('one portal query answers from all five subgraphs', async () => {
      if (!stack) throw new Error('the stack did not start');
      const { data, errors } = await gql(OVERVIEW, { personalNumber: fullCitizen });
      assert.equal(errors, undefined, JSON.stringify(errors));
      const citizen = data!.citizen;
      assert.equal(citizen.personalNumber, fullCitizen);
      assert.match(citizen.fullName, /\p{L}+ \p{L}+/u); // civil-status
      assert.ok(citizen.dossiers.items.length > 0); // single-window
      assert.ok(citizen.dossiers.items.every((d: any) => d.procedure?.name)); // single-window, nested
      assert.ok(citizen.landRights.items.length > 0); // land
      assert.ok(citizen.landRights.items[0].parcel.usePurposeName); // land
      assert.ok(citizen.taxObligations.items.length + citizen.landRights.items.flatMap((r: any) => r.parcel.landTaxes.items).length > 0); // tax
      assert.ok(citizen.enterprises.items.length > 0); // business-registration
      assert.ok(citizen.enterprises.items.every((e: any) => 'taxProfile' in e)); // tax, through business-registration
    });

    test('a dossier lookup joins the agencies\' views of it', async () => {
      if (!stack) throw new Error('the stack did not start');
      const list = await gql(`{ dossiers(limit: 100, statuses: [FINANCIAL_OBLIGATION, RETURNED, RESOLVED]) {
        totalCount items { code procedure { handlingSector } landTransaction { id } } } }`);
      assert.equal(list.errors, undefined, JSON.stringify(list.errors));
      // a transfer dossier: land holds its transaction (not every land procedure is a transaction)
      const landDossier = list.data!.dossiers.items.find((d: any) => d.procedure.handlingSector === 'LAND' && d.landTransaction);
      assert.ok(landDossier, 'no land transfer dossier in the demo data');
      const { data, errors } = await gql(`query($code: String!) { dossier(code: $code) {
        code status statusCode receivedAt appointmentAt ruleSet channel
        receivingAgency { name } handlingAgency { sector }
        applicant { fullName } timeline { action statusCode at }
        landTransaction { type status parcel { id } } taxAssessment { noticeNumber totalAmount } } }`, { code: landDossier.code });
      assert.equal(errors, undefined, JSON.stringify(errors));
      assert.equal(data!.dossier.code, landDossier.code);
      assert.equal(data!.dossier.handlingAgency.sector, 'LAND');
      assert.ok(data!.dossier.timeline.length >= 1);
      assert.ok(data!.dossier.landTransaction, 'land subgraph contributed no landTransaction');
    });

    test('malformed identifiers get BAD_USER_INPUT naming the field, with no stack trace', async () => {
      if (!stack) throw new Error('the stack did not start');
      const cases: [string, string][] = [
        ['{ citizen(personalNumber: "12345") { fullName } }', 'personalNumber'],
        ['{ citizen(personalNumber: "003085012345") { fullName } }', 'personalNumber'],
        ['{ enterprise(enterpriseCode: "0100109107") { name } }', 'enterpriseCode'],
        ['{ landParcel(id: "nowhere") { area } }', 'id'],
        ['{ dossier(code: "not-a-code") { status } }', 'code'],
        ['{ procedure(code: "x") { name } }', 'code'],
        ['{ citizens(limit: 1000) { totalCount } }', 'limit'],
      ];
      for (const [query, field] of cases) {
        const { status, data, errors } = await gql(query);
        assert.equal(status, 200, query);
        assert.equal(errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${query}: ${JSON.stringify(errors)}`);
        assert.equal(errors?.[0]?.extensions?.field, field, query);
        assert.ok(errors?.[0]?.extensions?.reason, query);
        assert.equal(Object.values(data ?? {})[0] ?? null, null);
        noStackTraces(errors);
      }
    });

    test('wrong types and unknown fields are refused before any subgraph is called', async () => {
      if (!stack) throw new Error('the stack did not start');
      for (const query of ['{ citizen(personalNumber: 123) { fullName } }', '{ citizen(personalNumber: "001085012345") { salary } }', '{ citizen(']) {
        const { status, errors } = await gql(query);
        assert.ok(status === 400 || status === 200, `${query}: status ${status}`);
        assert.match(String(errors?.[0]?.extensions?.code), /GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED/);
        noStackTraces(errors);
      }
      const wrongVariable = await gql(OVERVIEW, { personalNumber: 42 });
      assert.equal(wrongVariable.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    });

    test('submitting a dossier numbers it, sets the appointment and records the step; bad input writes nothing', async () => {
      if (!stack) throw new Error('the stack did not start');
      const catalogue = await gql('{ procedures(limit: 100) { items { code handlingSector onlineService } } agencies(receivesDossiers: true) { code level } }');
      const procedure = catalogue.data!.procedures.items.find((p: any) => p.handlingSector === 'LAND' && p.onlineService !== 'NONE');
      const agency = catalogue.data!.agencies.find((a: any) => a.level === 'PROVINCE');
      assert.ok(procedure && agency);
      const count = async () => (await gql('{ dossiers(limit: 1) { totalCount } }')).data!.dossiers.totalCount as number;
      const before = await count();

      const mutation = `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) {
        code status statusCode appointmentAt receivedAt ruleSet applicant { fullName } timeline { action statusCode } } }`;
      const input = {
        procedureCode: procedure.code, receivingAgencyCode: agency.code, channel: 'ONLINE',
        applicantName: 'Nguyễn Thị Thu Hà', applicantPersonalNumber: fullCitizen,
      };
      const bad: [Record<string, unknown>, string][] = [
        [{ ...input, applicantPersonalNumber: '0010850123' }, 'input.applicantPersonalNumber'],
        [{ ...input, applicantEnterpriseCode: '0100109106' }, 'input.applicantPersonalNumber'],
        [{ ...input, procedureCode: '9.999999.000.00.00.H99' }, 'input.procedureCode'],
        [{ ...input, receivingAgencyCode: 'nowhere' }, 'input.receivingAgencyCode'],
        [{ ...input, applicantName: 'x'.repeat(121) }, 'input.applicantName'],
      ];
      for (const [variables, field] of bad) {
        const { errors } = await gql(mutation, { input: variables });
        assert.equal(errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(errors));
        assert.equal(errors?.[0]?.extensions?.field, field);
        noStackTraces(errors);
      }
      const wrongEnum = await gql(mutation, { input: { ...input, channel: 'FAX' } });
      assert.equal(wrongEnum.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(await count(), before, 'a refused submission wrote a dossier');

      const first = await gql(mutation, { input });
      const second = await gql(mutation, { input });
      assert.equal(first.errors, undefined, JSON.stringify(first.errors));
      const a = first.data!.submitDossier;
      const b = second.data!.submitDossier;
      assert.match(a.code, new RegExp(`^${agency.code.replace(/\./g, '\\.')}-\\d{6}-\\d{4}$`));
      assert.equal(Number(b.code.slice(-4)), Number(a.code.slice(-4)) + 1);
      assert.equal(a.status, 'RECEIVED');
      assert.equal(a.statusCode, 2);
      assert.equal(a.ruleSet, 'ND118_2025');
      assert.ok(new Date(a.appointmentAt) > new Date(a.receivedAt));
      assert.equal(a.applicant.fullName.length > 0, true);
      assert.deepEqual(a.timeline.map((e: any) => e.action), ['RECEIVED']);
      assert.equal(await count(), before + 2);
      const mine = await gql('query($p: String!) { citizen(personalNumber: $p) { dossiers { items { code } } } }', { p: fullCitizen });
      assert.ok(mine.data!.citizen.dossiers.items.some((d: any) => d.code === a.code));
    });

    test('the counter\'s lifecycle: supplement, resolution, return and rating; an illegal step is a CONFLICT; the report counts it', async () => {
      if (!stack) throw new Error('the stack did not start');
      const catalogue = await gql('{ procedures(limit: 100) { items { code handlingSector onlineService } } agencies(receivesDossiers: true) { code level sector } }');
      const procedure = catalogue.data!.procedures.items.find((p: any) => p.handlingSector === 'LAND');
      const desk = catalogue.data!.agencies.find((a: any) => a.level === 'PROVINCE' && a.sector === 'SERVICE_CENTER');
      const analyst = await stack.as({ role: 'analyst', subject: 'analyst.e2e' });
      const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
      const REPORT = `query($f: StatisticsFilter!) { dossierStatistics(filter: $f, groupBy: [HANDLING_AGENCY]) {
        rows { handlingAgencyCode handlingAgency { name } received resolved early onTime late returned supplementRequests ratings feeCollected } } }`;
      const report = async () => {
        const r = await gql(REPORT, { f: { from: today, to: today } }, analyst);
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        return new Map<string, any>(r.data!.dossierStatistics.rows.map((row: any) => [row.handlingAgencyCode, row]));
      };
      const beforeAll = await report();
      const submitted = await gql(`mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code handlingAgency { code } } }`, {
        input: { procedureCode: procedure.code, receivingAgencyCode: desk.code, channel: 'COUNTER', applicantName: 'Trần Văn Bình', applicantPersonalNumber: fullCitizen, contactPhone: '0912 345 678' },
      });
      assert.equal(submitted.errors, undefined, JSON.stringify(submitted.errors));
      const { code, handlingAgency } = submitted.data!.submitDossier;
      const zero = { received: 0, resolved: 0, early: 0, onTime: 0, late: 0, returned: 0, supplementRequests: 0, ratings: 0, feeCollected: 0 };
      const before = beforeAll.get(handlingAgency.code) ?? zero;
      const counter = await stack.as({ role: 'officer', subject: 'mc.tranthilan', agency: desk.code, sector: 'SERVICE_CENTER' });
      const handler = await stack.as({ role: 'officer', subject: 'dd.lequangvinh', agency: handlingAgency.code, sector: 'LAND' });
      const stranger = await stack.as({ role: 'officer', subject: 'dd.other', agency: 'H99.TAX.00', sector: 'TAX' });
      const citizen = await stack.as({ role: 'citizen', subject: fullCitizen });
      const DOSSIER = '{ code status statusCode supplementRequests outcome returnChannel feeCollected rating timeline { action status } }';
      const step = async (mutation: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
        gql(`mutation($input: ${variables.input ? mutation.split('|')[1] : 'String!'}) { ${mutation.split('|')[0]}(${variables.input ? 'input: $input' : 'code: $input'}) ${DOSSIER} }`,
          { input: variables.input ?? variables.code }, headers);

      const asked = await step('requestSupplement|SupplementRequestInput!', { input: { code, reason: 'Thiếu bản sao hợp đồng', missingItems: ['Hợp đồng chuyển nhượng'] } }, handler);
      assert.equal(asked.errors, undefined, JSON.stringify(asked.errors));
      assert.deepEqual([asked.data!.requestSupplement.status, asked.data!.requestSupplement.statusCode, asked.data!.requestSupplement.supplementRequests], ['SUPPLEMENT_REQUESTED', 5, 1]);
      // a citizen may not ask for supplements, nor may an officer of an agency the dossier never went to
      assert.equal((await step('requestSupplement|SupplementRequestInput!', { input: { code, reason: 'x' } }, citizen)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
      assert.equal((await step('stopProcessing|DossierReasonInput!', { input: { code, reason: 'x' } }, stranger)).errors?.[0]?.extensions?.code, 'NOT_FOUND');
      // resolving while the supplement is awaited is illegal: a typed CONFLICT naming both ends
      const illegal = await step('resolveDossier|', { code }, handler);
      assert.equal(illegal.errors?.[0]?.extensions?.code, 'CONFLICT', JSON.stringify(illegal.errors));
      assert.equal(illegal.errors?.[0]?.extensions?.reason, 'ILLEGAL_TRANSITION');
      assert.deepEqual([illegal.errors?.[0]?.extensions?.from, illegal.errors?.[0]?.extensions?.to], ['SUPPLEMENT_REQUESTED', 'RESOLVED']);
      noStackTraces(illegal.errors);
      // the applicant hands the supplement in online; the agency resolves; the counter returns the result with the fee
      assert.equal((await step('receiveSupplement|', { code }, citizen)).errors, undefined);
      assert.equal((await step('resolveDossier|', { code }, handler)).errors, undefined);
      const returned = await step('returnResult|ReturnResultInput!', { input: { code, channel: 'POSTAL', feeCollected: 100000 } }, counter);
      assert.equal(returned.errors, undefined, JSON.stringify(returned.errors));
      const rated = await gql(`mutation($input: RatingInput!) { rateDossier(input: $input) ${DOSSIER} }`, { input: { code, rating: 'VERY_SATISFIED' } }, citizen);
      assert.equal(rated.errors, undefined, JSON.stringify(rated.errors));
      const done = rated.data!.rateDossier;
      assert.deepEqual([done.status, done.statusCode, done.returnChannel, done.feeCollected, done.rating], ['RETURNED', 10, 'POSTAL', 100000, 'VERY_SATISFIED']);
      assert.ok(['EARLY', 'ON_TIME'].includes(done.outcome), done.outcome);
      assert.deepEqual(done.timeline.map((e: any) => e.action), ['RECEIVED', 'SUPPLEMENT_REQUESTED', 'SUPPLEMENT_RECEIVED', 'RESOLVED', 'RESULT_RETURNED', 'RATED']);
      const again = await gql(`mutation($input: RatingInput!) { rateDossier(input: $input) { code } }`, { input: { code, rating: 'NOT_SATISFIED', reason: 'x' } }, citizen);
      assert.equal(again.errors?.[0]?.extensions?.reason, 'ALREADY_RATED');
      // the applicant was told by SMS on receipt, on the supplement request and on the result (the logging sender here)
      const told = await waitUntil(async () => {
        const r = await gql('query($code: String!) { dossier(code: $code) { contactPhone notices { medium outcome sender } } }', { code }, counter);
        return r.data?.dossier?.notices?.length >= 3 ? r.data!.dossier : undefined;
      });
      assert.equal(told.contactPhone, '0912345678');
      // anyone with the code may look it up (tra cứu), signed in or not: status, dates and steps, nothing personal
      const lookup = await gql('query($code: String!) { dossierLookup(code: $code) { status statusCode expectedReturnAt procedureName steps { status } } }', { code }, {});
      assert.equal(lookup.errors, undefined, JSON.stringify(lookup.errors));
      assert.deepEqual(lookup.data!.dossierLookup.steps.map((s: any) => s.status), ['RECEIVED', 'SUPPLEMENT_REQUESTED', 'IN_APPRAISAL', 'RESOLVED', 'RETURNED']);
      assert.equal(lookup.data!.dossierLookup.statusCode, 10);
      assert.ok(lookup.data!.dossierLookup.expectedReturnAt && lookup.data!.dossierLookup.procedureName);
      const personal = await gql('query($code: String!) { dossierLookup(code: $code) { applicantName } }', { code }, {});
      assert.equal(personal.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.deepEqual(told.notices, [1, 2, 3].map(() => ({ medium: 'sms', outcome: 'SENT', sender: 'log' })));

      const after = (await report()).get(handlingAgency.code);
      assert.deepEqual(
        [after.received - before.received, after.resolved - before.resolved, after.early + after.onTime - before.early - before.onTime, after.returned - before.returned,
          after.supplementRequests - before.supplementRequests, after.ratings - before.ratings, after.feeCollected - before.feeCollected],
        [1, 1, 1, 1, 1, 1, 100000],
      );
      // staff see their own agency's statistics only
      const foreign = await gql(REPORT, { f: { from: today, to: today } }, counter);
      const own = await gql(REPORT, { f: { from: today, to: today, handlingAgencyCodes: [handlingAgency.code] } }, handler);
      assert.equal(own.errors, undefined, JSON.stringify(own.errors));
      assert.equal(foreign.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    });

    test('online registration: numbered as status 1, received by the counter (form 01) or refused (form 03), never both', async () => {
      if (!stack) throw new Error('the stack did not start');
      const catalogue = await gql('{ procedures(limit: 100) { items { code handlingSector onlineService } } agencies(receivesDossiers: true) { code level sector } }');
      const procedure = catalogue.data!.procedures.items.find((p: any) => p.handlingSector === 'LAND' && p.onlineService !== 'NONE');
      const desk = catalogue.data!.agencies.find((a: any) => a.level === 'PROVINCE' && a.sector === 'SERVICE_CENTER');
      const citizen = await stack.as({ role: 'citizen', subject: fullCitizen });
      const register = (channel = 'ONLINE') => gql(`mutation($input: SubmitDossierInput!) { registerDossierOnline(input: $input) {
        code status statusCode appointmentAt channel handlingAgency { code } timeline { action } } }`, {
        input: { procedureCode: procedure.code, receivingAgencyCode: desk.code, channel, applicantName: 'Lê Thị Hoa', applicantPersonalNumber: fullCitizen },
      }, citizen);
      // The channel is the server's fact: a citizen claiming a counter visit is refused, not silently corrected.
      const counterClaim = await register('COUNTER');
      assert.equal(counterClaim.errors?.[0]?.extensions?.field, 'input.channel', JSON.stringify(counterClaim.errors));
      const first = await register();
      assert.equal(first.errors, undefined, JSON.stringify(first.errors));
      const draft = first.data!.registerDossierOnline;
      assert.deepEqual([draft.status, draft.statusCode, draft.appointmentAt, draft.channel], ['DRAFT', 1, null, 'ONLINE']);
      const counter = await stack.as({ role: 'officer', subject: 'mc.phamvanduc', agency: desk.code, sector: 'SERVICE_CENTER' });
      const handler = await stack.as({ role: 'officer', subject: 'dd.vuthimai', agency: draft.handlingAgency.code, sector: 'LAND' });
      // only the receiving unit receives it
      const notMine = await gql('mutation($code: String!) { acceptDossier(code: $code) { code } }', { code: draft.code }, handler);
      assert.equal(notMine.errors?.[0]?.extensions?.code, 'FORBIDDEN');
      const accepted = await gql('mutation($code: String!) { acceptDossier(code: $code) { status statusCode appointmentAt receivedAt timeline { action } } }', { code: draft.code }, counter);
      assert.equal(accepted.errors, undefined, JSON.stringify(accepted.errors));
      const received = accepted.data!.acceptDossier;
      assert.deepEqual([received.status, received.statusCode], ['RECEIVED', 2]);
      assert.ok(new Date(received.appointmentAt) > new Date(received.receivedAt));
      assert.deepEqual(received.timeline.map((e: any) => e.action), ['SUBMITTED_ONLINE', 'RECEIVED']);
      // a received dossier can no longer be refused at intake
      const late = await gql('mutation($code: String!) { refuseIntake(code: $code, reason: "Thiếu giấy tờ") { code } }', { code: draft.code }, counter);
      assert.equal(late.errors?.[0]?.extensions?.reason, 'ILLEGAL_TRANSITION');

      const second = (await register()).data!.registerDossierOnline;
      const refused = await gql('mutation($code: String!) { refuseIntake(code: $code, reason: "Hồ sơ không thuộc thẩm quyền") { status statusCode timeline { action note } } }', { code: second.code }, counter);
      assert.equal(refused.errors, undefined, JSON.stringify(refused.errors));
      assert.deepEqual([refused.data!.refuseIntake.status, refused.data!.refuseIntake.statusCode], ['INTAKE_REJECTED', 3]);
      assert.match(refused.data!.refuseIntake.timeline.at(-1).note, /mẫu 03/);
      const again = await gql('mutation($code: String!) { acceptDossier(code: $code) { code } }', { code: second.code }, counter);
      assert.equal(again.errors?.[0]?.extensions?.code, 'CONFLICT');
    });

    test('an analyst\'s single query: the year per level and handling agency, in the shape of the centers\' reports, agreeing with the registry', async () => {
      if (!stack) throw new Error('the stack did not start');
      const analyst = await stack.as({ role: 'analyst', subject: 'analyst.e2e' });
      const report = await gql(`query { dossierStatistics(filter: { from: "2026-01-01", to: "2026-10-31" }, groupBy: [LEVEL, HANDLING_AGENCY]) {
        from to total { received resolved resolvedShare early earlyShare onTime onTimeShare late lateShare verySatisfiedShare satisfiedShare notSatisfiedShare onlineShare }
        rows { level handlingAgencyCode handlingAgency { name } received resolved early onTime late earlyShare onTimeShare lateShare }
        indicators { id ratio points maxPoints } } }`, {}, analyst);
      assert.equal(report.errors, undefined, JSON.stringify(report.errors));
      const { total, rows, indicators } = report.data!.dossierStatistics;
      assert.ok(total.received > 100 && total.resolved > 50, JSON.stringify(total));
      assert.equal(total.early + total.onTime + total.late, total.resolved);
      assert.ok(Math.abs(total.earlyShare + total.onTimeShare + total.lateShare - 100) < 0.05);
      assert.equal(rows.reduce((sum: number, r: any) => sum + r.received, 0), total.received);
      assert.equal(rows.reduce((sum: number, r: any) => sum + r.resolved, 0), total.resolved);
      assert.ok(rows.some((r: any) => r.level === 'COMMUNE') && rows.some((r: any) => r.level === 'PROVINCE'));
      assert.ok(rows.every((r: any) => r.handlingAgency?.name), 'every agency named');
      assert.deepEqual(indicators.map((i: any) => i.id), ['2.1', '3.1', '3.2', '3.3', '3.6', '4.1', '4.2', '4.3', '5.2', '5.4']);
      assert.ok(indicators.every((i: any) => i.ratio === null || (i.ratio >= 0 && i.ratio <= 1 && i.points <= i.maxPoints)), JSON.stringify(indicators));
      // the rollup agrees with the registry itself: dossiers received (not drafts, not refused at intake) in the period
      const counted = await gql(`{ dossiers(receivedFrom: "2025-12-31T17:00:00Z", receivedTo: "2026-10-31T16:59:59.999Z",
        statuses: [RECEIVED, TRANSFERRED, IN_APPRAISAL, AWAITING_PARTNER, APPROVAL, SUPPLEMENT_REQUESTED, FINANCIAL_OBLIGATION, WITHDRAWN, STOPPED, RESOLVED, RETURNED], limit: 1) { totalCount } }`);
      assert.equal(counted.data!.dossiers.totalCount, total.received);
      // bad input is typed
      const bad = await gql('{ dossierStatistics(filter: { from: "2026-13-01", to: "2026-01-01" }) { from } }', {}, analyst);
      assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(bad.errors?.[0]?.extensions?.field, 'filter.from');
    });

    test('the procedure catalogue: cached by the gateway, changed by the service center, the change seen at once', async () => {
      if (!stack) throw new Error('the stack did not start');
      const CATALOGUE = '{ procedures(limit: 5) { items { code feeAmount processingDays } } }';
      const anonymous = () => graphql(gateway, CATALOGUE, undefined, {});
      const first = await anonymous();
      assert.equal(first.errors, undefined, JSON.stringify(first.errors));
      const second = await anonymous();
      assert.deepEqual(second.data, first.data);
      assert.equal(second.headers.get('x-onestop-cache'), 'hit');
      const entry = first.data!.procedures.items[0];

      const desk = (await gql('{ agencies(receivesDossiers: true) { code sector } }')).data!.agencies.find((a: any) => a.sector === 'SERVICE_CENTER');
      const office = await stack.as({ role: 'officer', subject: 'vp.kiemsoattthc', agency: desk.code, sector: 'SERVICE_CENTER' });
      const citizen = await stack.as({ role: 'citizen', subject: fullCitizen });
      const UPDATE = 'mutation($code: String!, $change: ProcedureChange!) { updateProcedure(code: $code, change: $change) { code feeAmount processingDays } }';
      const refusals: [Record<string, unknown>, Record<string, string>, string, string?][] = [
        [{ code: entry.code, change: { feeAmount: -1 } }, office, 'BAD_USER_INPUT', 'change.feeAmount'],
        [{ code: entry.code, change: { processingDays: 1.3 } }, office, 'BAD_USER_INPUT', 'change.processingDays'],
        [{ code: entry.code, change: {} }, office, 'BAD_USER_INPUT', 'change'],
        [{ code: '1.000000.000.00.00.H99', change: { feeAmount: 1 } }, office, 'NOT_FOUND'],
        [{ code: entry.code, change: { feeAmount: 1 } }, citizen, 'FORBIDDEN'],
      ];
      for (const [variables, headers, code, field] of refusals) {
        const refused = await gql(UPDATE, variables, headers);
        assert.equal(refused.errors?.[0]?.extensions?.code, code, `${JSON.stringify(variables)}: ${JSON.stringify(refused.errors)}`);
        if (field) assert.equal(refused.errors?.[0]?.extensions?.field, field);
        noStackTraces(refused.errors);
      }
      assert.deepEqual((await anonymous()).data, first.data, 'nothing refused was written');

      const newFee = entry.feeAmount + 50_000;
      const updated = await gql(UPDATE, { code: entry.code, change: { feeAmount: newFee, processingDays: entry.processingDays + 0.5 } }, office);
      assert.equal(updated.errors, undefined, JSON.stringify(updated.errors));
      assert.deepEqual(updated.data!.updateProcedure, { code: entry.code, feeAmount: newFee, processingDays: entry.processingDays + 0.5 });
      // The cached answer lives 60 s; the change notification drops it well before.
      const started = Date.now();
      const seen = await waitUntil(async () => {
        const r = await anonymous();
        return r.data!.procedures.items[0].feeAmount === newFee ? r : undefined;
      }, 10_000);
      assert.ok(Date.now() - started < 10_000);
      assert.equal(seen.headers.get('x-onestop-cache'), 'miss');
      const restored = await gql(UPDATE, { code: entry.code, change: { feeAmount: entry.feeAmount, processingDays: entry.processingDays } }, office);
      assert.equal(restored.errors, undefined, JSON.stringify(restored.errors));
    });

    test('health and readiness of the gateway and every subgraph; request ids echoed', async () => {
      if (!stack) throw new Error('the stack did not start');
      for (const proc of [...stack.subgraphs, stack.gateway]) {
        for (const path of ['/health', '/ready']) {
          const response = await fetch(new URL(path, proc.url));
          assert.equal(response.status, 200, `${proc.name}${path}`);
        }
      }
      const ready = (await (await fetch(new URL('/ready', gateway))).json()) as { subgraphs: { name: string; up: boolean }[] };
      assert.deepEqual(ready.subgraphs.map((s) => s.name).sort(), ['business-registration', 'civil-status', 'land', 'single-window', 'tax']);
      const echoed = await gql('{ __typename }', undefined, { 'x-request-id': 'req-e2e-1' });
      assert.equal(echoed.headers.get('x-request-id'), 'req-e2e-1');
    });

    test('broken HTTP requests get a clear 4xx, never a 500', async () => {
      if (!stack) throw new Error('the stack did not start');
      const notJson = await fetch(gateway, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
      assert.equal(notJson.status, 400);
      assert.equal(((await notJson.json()) as any).errors[0].extensions.code, 'BAD_REQUEST');
      const huge = await fetch(gateway, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(2 * 1024 * 1024)}` }),
      });
      assert.equal(huge.status, 413);
      const noQuery = await fetch(gateway, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(noQuery.status, 400);
      const put = await fetch(gateway, { method: 'PUT' });
      assert.equal(put.status, 405);
    });
  });
}
