import { test } from '@jest/globals';
import { mysqlTestUrl, testWith } from '@onestop/platform/testing';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import { Database, databaseConfig, DatabaseConfig, dropMysqlDatabase, entitiesOf, Identity, migrationsOf, openDatabase, rowLock } from '@onestop/platform';
import { singleWindow } from '../index';
import { Agency } from '../entities/agency';
import { Dossier, Rating, ReturnChannel } from '../entities/dossier';
import { COUNTERS } from '../entities/dossier-daily-statistics';
import { DossierEvent } from '../entities/dossier-event';
import { Channel, DossierStatus as S } from '../entities/dossier-status';
import { Procedure } from '../entities/procedure';
import { DocumentContent, DocumentOrigin, DocumentUpload, DossierDocument } from '../entities/document';
import { attachDocuments } from '../documents/attach';
import { Feedback, FeedbackKind } from '../entities/feedback';
import { answerFeedback, receiveFeedback } from '../feedback/feedback';
import { receiveDossier, workingCalendar } from '../intake';
import { rateDossier } from '../lifecycle/after-result';
import { moveDossier } from '../lifecycle/move';
import { IllegalTransitionError } from '../lifecycle/transitions';
import { indicators766 } from './index766';
import { countsOfDossier } from './rebuild';
import { accumulate, ROLLUPS, RollupRow } from './rollup';
import { catalogueStatistics, feedbackStatistics, periodSegments, statisticsReport, totalOf } from './report';

/**
 * A hand-checked month: February 2026, with the Tết holidays Mon 16 – Fri 20 (platform/data/vn-holidays.json), working
 * hours 08–12 and 13–17 (480 minutes a day), intake after 15:00 counted from the next working day. Every appointment and
 * outcome below is worked out by hand in its comment; the statistics must then add up to exactly those.
 */
const t = (local: string) => new Date(`2026-${local}:00+07:00`);
const CENTER = '000.00.00.H99';
const COMMUNE_DESK = '000.00.31.H99';
const LAND = 'H99.LAND.00';
const COMMUNE_CIVIL_STATUS = 'H99.CS.31';
const LAND_3_DAYS = '1.004227.000.00.00.H99';
const LAND_SAME_DAY = '1.001990.000.00.00.H99';
const BIRTH_1_DAY = '1.001193.000.00.00.H99';

type Plan = {
  name: string;
  procedure: string;
  desk?: string;
  channel?: Channel;
  received: string;
  /** Steps after receipt: [status, local time] */
  steps: [S, string][];
  returned?: [ReturnChannel, string, number];
  paidOnline?: boolean;
  /** Papers at receipt: digitised at the counter (an officer's upload), uploaded by the applicant, or reused from their store. */
  papers?: ('DIGITISED' | 'UPLOADED' | 'REUSED')[];
  /** A paper digitised later, when the supplement came in: [local time]. */
  paperLater?: string;
  /** Its result issued electronically (a signed result document) before it was returned. */
  issued?: boolean;
  rated?: [Rating, string];
  /** The outcome worked out by hand; null while processing has not ended or did not end in a resolution. */
  expect: 'EARLY' | 'ON_TIME' | 'LATE' | null;
};

const PLANS: Plan[] = [
  // Mon 2 Feb 09:00 + 3 working days = Thu 5 Feb 09:00
  { name: 'A1', procedure: LAND_3_DAYS, channel: Channel.ONLINE, received: '02-02T09:00', steps: [[S.RESOLVED, '02-04T10:00']], rated: [Rating.VERY_SATISFIED, '02-05T08:00'], expect: 'EARLY', paidOnline: true, papers: ['REUSED'] }, // Wed 4 < Thu 5
  { name: 'A2', procedure: LAND_3_DAYS, received: '02-02T09:00', steps: [[S.RESOLVED, '02-05T08:30']], returned: [ReturnChannel.COUNTER, '02-05T10:00', 50_000], issued: true, rated: [Rating.SATISFIED, '02-05T10:05'], expect: 'ON_TIME', papers: ['DIGITISED'] }, // same day, before 09:00
  { name: 'A3', procedure: LAND_3_DAYS, received: '02-02T09:00', steps: [[S.RESOLVED, '02-05T10:00']], rated: [Rating.NOT_SATISFIED, '02-05T10:30'], expect: 'LATE', papers: ['DIGITISED', 'DIGITISED'] }, // 10:00 > 09:00
  // 15:30 is after the cut-off: the clock starts Tue 3 Feb 08:00; + 1,440 min = Thu 5 Feb 17:00
  { name: 'B1', procedure: LAND_3_DAYS, channel: Channel.ONLINE, received: '02-02T15:30', steps: [[S.RESOLVED, '02-05T16:00']], expect: 'ON_TIME', paidOnline: true, papers: ['UPLOADED'] },
  // Fri 13 Feb 10:00: 360 min that day, Tết skipped, Mon 23 480, Tue 24 480, Wed 25 120 → Wed 25 Feb 10:00
  { name: 'C1', procedure: LAND_3_DAYS, channel: Channel.ONLINE, received: '02-13T10:00', steps: [[S.RESOLVED, '02-24T15:00']], expect: 'EARLY' },
  { name: 'C2', procedure: LAND_3_DAYS, channel: Channel.POSTAL, received: '02-13T10:00', steps: [[S.RESOLVED, '02-25T11:00']], expect: 'LATE' },
  // Mon 9 Feb 08:00 → Thu 12 Feb 08:00; paused Tue 10 08:00 → Wed 11 08:00 = 480 min → Thu 12 Feb 17:00. Resolved
  // Thu 16:00: on time, where the clock without the pause would say late
  // D's paper is digitised when the supplement comes in (Wed 11): it counts on D's day of receipt, Mon 9
  { name: 'D', procedure: LAND_3_DAYS, received: '02-09T08:00', steps: [[S.SUPPLEMENT_REQUESTED, '02-10T08:00'], [S.IN_APPRAISAL, '02-11T08:00'], [S.RESOLVED, '02-12T16:00']], paperLater: '02-11T08:00', expect: 'ON_TIME' },
  // two supplement requests: late whatever the dates
  { name: 'E', procedure: LAND_3_DAYS, papers: ['REUSED', 'DIGITISED'], received: '02-09T08:00', steps: [[S.SUPPLEMENT_REQUESTED, '02-10T09:00'], [S.IN_APPRAISAL, '02-10T10:00'], [S.SUPPLEMENT_REQUESTED, '02-10T11:00'], [S.IN_APPRAISAL, '02-10T14:00'], [S.RESOLVED, '02-11T09:00']], expect: 'LATE' },
  // Thu 12 Feb 08:00 → Thu 480, Fri 480, (Tết), Mon 23 480 → Mon 23 Feb 17:00. Tax pause Fri 13 09:00 → Tue 24 09:00:
  // Fri 180 + 240, Mon 480, Tue 60 = 960 min → Tue 24 480 + Wed 25 480 → Wed 25 Feb 17:00; resolved 16:00
  { name: 'F', procedure: LAND_3_DAYS, received: '02-12T08:00', steps: [[S.IN_APPRAISAL, '02-12T09:00'], [S.FINANCIAL_OBLIGATION, '02-13T09:00'], [S.APPROVAL, '02-24T09:00'], [S.RESOLVED, '02-25T16:00']], expect: 'ON_TIME' },
  { name: 'G', procedure: LAND_3_DAYS, received: '02-03T10:00', steps: [[S.IN_APPRAISAL, '02-03T11:00'], [S.STOPPED, '02-04T10:00']], expect: null },
  { name: 'H', procedure: LAND_3_DAYS, channel: Channel.ONLINE, received: '02-03T10:00', steps: [[S.WITHDRAWN, '02-03T14:00']], expect: null },
  // open on 26 Feb 12:00: I's appointment is Mon 2 Mar 09:00 (within), J's Thu 5 Feb 17:00 (overdue)
  { name: 'I', procedure: LAND_3_DAYS, channel: Channel.ONLINE, received: '02-25T09:00', steps: [[S.IN_APPRAISAL, '02-25T10:00']], expect: null },
  { name: 'J', procedure: LAND_3_DAYS, received: '02-03T08:00', steps: [[S.IN_APPRAISAL, '02-03T09:00']], expect: null },
  // a same-day procedure: by 17:00 that day
  { name: 'K', procedure: LAND_SAME_DAY, received: '02-04T09:00', steps: [[S.RESOLVED, '02-04T11:00']], expect: 'ON_TIME' },
  // commune level, 1 working day: Tue 10 14:00 → Wed 11 Feb 14:00
  { name: 'L1', procedure: BIRTH_1_DAY, desk: COMMUNE_DESK, received: '02-10T14:00', steps: [[S.RESOLVED, '02-11T10:00']], expect: 'ON_TIME' },
  { name: 'L2', procedure: BIRTH_1_DAY, desk: COMMUNE_DESK, channel: Channel.ONLINE, received: '02-10T14:00', steps: [[S.RESOLVED, '02-12T09:00']], expect: 'LATE' },
  // Thu 12 16:00 is after the cut-off: Fri 13 08:00 + 480 = Fri 13 Feb 17:00; resolved after Tết
  { name: 'L3', procedure: BIRTH_1_DAY, desk: COMMUNE_DESK, channel: Channel.ONLINE, received: '02-12T16:00', steps: [[S.RESOLVED, '02-23T09:00']], expect: 'LATE' },
  // asked to supplement, never did: stopped
  { name: 'M', procedure: LAND_3_DAYS, received: '02-02T10:00', steps: [[S.SUPPLEMENT_REQUESTED, '02-03T10:00'], [S.STOPPED, '02-26T10:00']], expect: null },
  // Mon 23 Feb 08:00 → Wed 25 Feb 17:00
  ...[1, 2, 3].map((i): Plan => ({ name: `N${i}`, procedure: LAND_3_DAYS, received: '02-23T08:00', steps: [[S.RESOLVED, '02-24T10:00']], expect: 'EARLY' })),
  ...[1, 2].map((i): Plan => ({ name: `O${i}`, procedure: LAND_3_DAYS, received: '02-23T08:00', steps: [[S.RESOLVED, '02-25T16:00']], expect: 'ON_TIME' })),
  { name: 'P', procedure: LAND_3_DAYS, received: '02-23T08:00', steps: [[S.RESOLVED, '02-26T09:00']], expect: 'LATE' },
];

async function seedReference(db: DataSource) {
  const agency = (code: string, sector: string, level: string, unit: string, receives: boolean) =>
    ({ code, name: code, sector, level, administrativeUnitCode: unit, receivesDossiers: receives }) as Agency;
  await db.getRepository(Agency).insert([
    agency(CENTER, 'SERVICE_CENTER', 'PROVINCE', '99', true), agency(COMMUNE_DESK, 'SERVICE_CENTER', 'COMMUNE', '31', true),
    agency(LAND, 'LAND', 'PROVINCE', '99', false), agency(COMMUNE_CIVIL_STATUS, 'CIVIL_STATUS', 'COMMUNE', '31', false),
  ]);
  const procedure = (code: string, sector: string, level: string, processingDays: number, feeAmount: number, onlineService: string) =>
    ({ code, name: code, fieldName: sector, handlingSector: sector, level, processingDays, feeAmount, onlineService, resultForm: 'PAPER', active: true }) as unknown as Procedure;
  await db.getRepository(Procedure).insert([
    procedure(LAND_3_DAYS, 'LAND', 'PROVINCE', 3, 50_000, 'FULL'), procedure(LAND_SAME_DAY, 'LAND', 'PROVINCE', 0, 0, 'NONE'), procedure(BIRTH_1_DAY, 'CIVIL_STATUS', 'COMMUNE', 1, 0, 'FULL'),
  ]);
}

const APPLICANT = '001090000001';
const OFFICER: Identity = { role: 'officer', subject: 'mc.fixture', agency: CENTER, sector: 'SERVICE_CENTER' };
const CITIZEN: Identity = { role: 'citizen', subject: APPLICANT };
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');
const EARLIER = hashOf('an extract issued to the applicant in 2025');

/** Content as an upload by `who` leaves it (document_content and the used upload URL); the applicant's earlier extract in their store. */
async function seedDocuments(db: DataSource) {
  const content = (hash: string) => ({ hash, mediaType: 'application/pdf', size: 1000, storedAt: t('02-01T08:00') });
  await db.getRepository(DocumentContent).insert(content(EARLIER));
  await db.getRepository(DossierDocument).insert({
    dossierCode: '000.00.00.H99-251201-0001', hash: EARLIER, mediaType: 'application/pdf', size: 1000, kind: 'LAND_USE_CERTIFICATE',
    origin: DocumentOrigin.ISSUED, reused: false, ownerPersonalNumber: APPLICANT, addedByRole: 'officer', addedBy: 'x', addedByAgency: LAND,
    addedAt: new Date('2025-12-01T03:00:00Z'), issuer: 'single-window', issuingAgencyCode: LAND, signature: null,
  });
}

async function uploaded(db: DataSource, who: Identity, text: string): Promise<string> {
  const hash = hashOf(text);
  await db.getRepository(DocumentContent).insert({ hash, mediaType: 'application/pdf', size: 1000, storedAt: t('02-01T08:00') });
  await db.getRepository(DocumentUpload).insert({
    tokenHash: hashOf(`token ${text}`), requestedByRole: who.role, requestedBy: who.subject, requestedByAgency: who.agency ?? null,
    expiresAt: t('03-01T08:00'), hash, uploadedAt: t('02-01T08:00'),
  });
  return hash;
}

async function play(db: DataSource): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  await seedDocuments(db);
  const inTransaction = (code: string, work: (manager: import('typeorm').EntityManager, dossier: Dossier) => Promise<unknown>) =>
    db.transaction(async (manager) => work(manager, (await manager.getRepository(Dossier).findOne({ where: { code }, lock: rowLock(manager) }))!));
  for (const plan of PLANS) {
    const online = plan.channel === Channel.ONLINE;
    const documents = await Promise.all((plan.papers ?? []).map(async (origin, i) => ({
      kind: 'TRANSFER_CONTRACT',
      hash: origin === 'REUSED' ? EARLIER : await uploaded(db, origin === 'UPLOADED' ? CITIZEN : OFFICER, `${plan.name} paper ${i}`),
    })));
    const dossier = await receiveDossier(db, {
      procedureCode: plan.procedure, receivingAgencyCode: plan.desk ?? CENTER, channel: plan.channel ?? Channel.COUNTER,
      applicantName: `Người nộp ${plan.name}`, applicantPersonalNumber: APPLICANT, paidOnline: plan.paidOnline, documents,
      identity: online && plan.papers?.includes('UPLOADED') ? CITIZEN : OFFICER,
    }, t(plan.received));
    codes.set(plan.name, dossier.code);
    for (const [to, at] of plan.steps) {
      if (plan.paperLater === at) {
        const hash = await uploaded(db, OFFICER, `${plan.name} supplement`);
        await inTransaction(dossier.code, (manager, d) => attachDocuments(manager, OFFICER, d, [{ kind: 'TRANSFER_CONTRACT', hash }], 'documents', t(at)));
      }
      await inTransaction(dossier.code, (manager, d) => moveDossier(manager, d, { to, at: t(at), action: 'STATUS_REPORTED', agencyCode: null, officerId: null }, async () => undefined));
    }
    if (plan.issued) {
      const hash = await uploaded(db, OFFICER, `${plan.name} result`);
      await db.getRepository(DossierDocument).insert({
        dossierCode: dossier.code, hash, mediaType: 'application/pdf', size: 1000, kind: 'LAND_USE_CERTIFICATE', origin: DocumentOrigin.ISSUED, reused: false,
        ownerPersonalNumber: APPLICANT, addedByRole: 'officer', addedBy: OFFICER.subject, addedByAgency: CENTER, addedAt: t(plan.returned![1]),
        issuer: 'single-window', issuingAgencyCode: LAND, signature: null,
      });
    }
    if (plan.returned) {
      const [channel, at, fee] = plan.returned;
      await inTransaction(dossier.code, (manager, d) => moveDossier(manager, d, {
        to: S.RETURNED, at: t(at), action: 'RESULT_RETURNED', agencyCode: CENTER, officerId: null, returnChannel: channel, feeCollected: fee,
      }, async () => undefined));
    }
    if (plan.rated) {
      const [rating, at] = plan.rated;
      await inTransaction(dossier.code, (manager, d) => rateDossier(manager, d, rating, rating === Rating.NOT_SATISFIED ? 'Trễ hẹn' : null, t(at)));
    }
  }
  return codes;
}

async function checkFixture(config: DatabaseConfig) {
  const database: Database = await openDatabase({ config, entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  const db = database.dataSource;
  try {
    await seedReference(db);
    const codes = await play(db);
    const dossiers = new Map((await db.getRepository(Dossier).find()).map((d) => [d.code, d]));

    // every outcome as worked out by hand
    for (const plan of PLANS) {
      const dossier = dossiers.get(codes.get(plan.name)!)!;
      assert.equal(dossier.status === S.RESOLVED || dossier.status === S.RETURNED ? dossier.outcome : null, plan.expect, `${plan.name}: outcome`);
    }
    const appointment = (name: string) => dossiers.get(codes.get(name)!)!.appointmentAt!.toISOString();
    assert.equal(appointment('B1'), t('02-05T17:00').toISOString(), 'B1: after the cut-off');
    assert.equal(appointment('C1'), t('02-25T10:00').toISOString(), 'C1: over Tết');
    assert.equal(appointment('D'), t('02-12T17:00').toISOString(), 'D: moved on by the 480 minutes paused');
    assert.equal(appointment('F'), t('02-25T17:00').toISOString(), 'F: moved on by the 960 minutes of the tax pause');
    assert.equal(appointment('I'), t('03-02T09:00').toISOString());
    assert.equal(appointment('K'), t('02-04T17:00').toISOString(), 'K: same day');
    assert.equal(dossiers.get(codes.get('F')!)!.pausedMinutes, 960);
    assert.equal(dossiers.get(codes.get('E')!)!.supplementRequests, 2);

    // the month, as a center reports it
    const now = t('02-26T12:00');
    const [total] = await statisticsReport(db, { from: '2026-02-01', to: '2026-02-28' }, [], now);
    const s = total.sums;
    // 24 received: 7 online (A1 B1 C1 H I L2 L3), 1 by post (C2)
    assert.deepEqual([s.received, s.receivedOnline, s.receivedPostal], [24, 7, 1]);
    // 19 resolved: early A1 C1 N1–3 (5), on time A2 B1 D F K L1 O1–2 (8), late A3 C2 E L2 L3 P (6)
    assert.deepEqual([s.resolved, s.resolvedEarly, s.resolvedOnTime, s.resolvedLate], [19, 5, 8, 6]);
    assert.deepEqual([s.stopped, s.withdrawn, s.returned, s.feeCollected, s.supplementRequests, s.resolvedSameDay], [2, 1, 1, 50_000, 4, 1]);
    assert.deepEqual([s.ratedVerySatisfied, s.ratedSatisfied, s.ratedNotSatisfied], [1, 1, 1]);
    assert.deepEqual([total.inProgress, total.inProgressOverdue], [2, 1], 'open now: I within its deadline, J past it');

    // per level: the commune's three birth registrations, the province's 21 others
    const byLevel = await statisticsReport(db, { from: '2026-02-01', to: '2026-02-28' }, ['LEVEL'], now);
    assert.deepEqual(byLevel.map((r) => [r.level, r.sums.received, r.sums.resolved, r.sums.resolvedEarly, r.sums.resolvedOnTime, r.sums.resolvedLate]),
      [['COMMUNE', 3, 3, 0, 1, 2], ['PROVINCE', 21, 16, 5, 7, 4]]);
    // the total of a broken-down report is the undivided one, open counts included, also when the rows are months
    assert.deepEqual(await totalOf(db, { from: '2026-02-01', to: '2026-02-28' }, byLevel, now), total);
    const byMonth = await statisticsReport(db, { from: '2026-02-01', to: '2026-02-28' }, ['MONTH'], now);
    assert.deepEqual(await totalOf(db, { from: '2026-02-01', to: '2026-02-28' }, byMonth, now), total);
    // a period only counts what happened in it: 1–13 Feb, before Tết
    const [early] = await statisticsReport(db, { from: '2026-02-01', to: '2026-02-13' }, [], now);
    assert.deepEqual([early.sums.received, early.sums.resolved], [17, 9]);

    // feedback: due 15 working days on (Tết excluded), answered or not
    const feedback = async (kind: FeedbackKind, received: string, about: { dossier?: string; agency?: string }, answered?: string) => {
      const code = await db.transaction(async (manager) => (await receiveFeedback(manager, {
        kind, content: 'Nội dung phản ánh', submitterName: 'Người phản ánh', submitterPersonalNumber: '001090000001',
        dossierCode: about.dossier ? codes.get(about.dossier) : null, agencyCode: about.agency ?? null,
      }, t(received))).code);
      if (answered) await db.transaction(async (manager) => answerFeedback(manager, await manager.getRepository(Feedback).findOneBy({ code }), code, 'Trả lời', 'dd.answer', t(answered)));
      return (await db.getRepository(Feedback).findOneByOrFail({ code }));
    };
    // Thu 5 Feb 11:00 + 15 working days: Feb 6, 9–13, (Tết), 23–27, Mar 2–4 are 14, then Thu 5 Mar 11:00; answered Mar 4: on time
    const q1 = await feedback(FeedbackKind.REFLECTION, '02-05T11:00', { dossier: 'A3' }, '03-04T10:00');
    assert.equal(q1.dueAt.toISOString(), t('03-05T11:00').toISOString());
    assert.deepEqual([q1.agencyCode, q1.answeredOnTime], [LAND, true]);
    await feedback(FeedbackKind.REFLECTION, '02-25T12:00', { dossier: 'C2' });
    // Mon 2 Feb 08:00 + 15 working days = Fri 27 Feb 17:00; answered Mon 2 Mar: late
    const q3 = await feedback(FeedbackKind.RECOMMENDATION, '02-02T08:00', { agency: LAND }, '03-02T09:00');
    assert.deepEqual([q3.dueAt.toISOString(), q3.answeredOnTime], [t('02-27T17:00').toISOString(), false]);
    // Tue 3 Feb 09:00 → Tue 3 Mar 09:00, never answered: overdue by 10 March
    const q4 = await feedback(FeedbackKind.REFLECTION, '02-03T09:00', { agency: LAND });
    assert.equal(q4.dueAt.toISOString(), t('03-03T09:00').toISOString());
    const month = { from: '2026-02-01', to: '2026-02-28' };
    assert.deepEqual(await feedbackStatistics(db, month, now), { received: 4, answered: 2, answeredOnTime: 1, openOverdue: 0 });
    assert.deepEqual(await feedbackStatistics(db, month, t('03-10T08:00')), { received: 4, answered: 2, answeredOnTime: 1, openOverdue: 1 });

    // Decision 766, on the month's totals
    const catalogue = await catalogueStatistics(db, month);
    // 3 procedures, 2 offered online (the same-day one is counter only), both received online dossiers in February
    assert.deepEqual(catalogue, { procedures: 3, onlineProcedures: 2, onlineProceduresUsed: 2 });
    const indicators = Object.fromEntries(indicators766(total, await feedbackStatistics(db, month, now), catalogue).map((i) => [i.id, i]));
    assert.deepEqual([indicators['3.1'].ratio, indicators['3.1'].points, indicators['3.2'].ratio, indicators['3.2'].points], [0.6667, 3.33, 1, 4]); // 0.6667 ÷ 0.8 × 4
    // 3.6: A1 and B1 paid online ÷ the 20 dossiers of the procedure with a fee (all but K and L1–L3)
    assert.deepEqual([indicators['3.6'].numerator, indicators['3.6'].denominator, indicators['3.6'].points], [2, 20, 1]); // 0.1 ÷ 0.5 × 5
    // 4.1: A2's result issued electronically ÷ 1 result returned of a paper-result procedure
    assert.deepEqual([indicators['4.1'].ratio, indicators['4.1'].points], [1, 7]);
    // 4.2, from the documents: papers in electronic form for A1 (reused), A2, A3 (digitised at the counter), B1 (uploaded
    // online), D (digitised at the supplement, counted on its day of receipt) and E (reused + digitised) = 6 ÷ 24 = 0.25,
    // 0.25 ÷ 0.8 × 8 = 2.5 points; 4.3: A1 and E reused a document of the applicant's store = 2 ÷ 24 = 0.0833, ÷ 0.5 × 7 = 1.17
    assert.deepEqual([indicators['4.2'].numerator, indicators['4.2'].ratio, indicators['4.2'].points], [6, 0.25, 2.5]);
    assert.deepEqual([indicators['4.3'].numerator, indicators['4.3'].ratio, indicators['4.3'].points], [2, 0.0833, 1.17]);
    // 2.1: (5 + 8 resolved early or on time + 1 still within deadline) ÷ (19 resolved + 2 in progress) = 14/21
    assert.deepEqual([indicators['2.1'].numerator, indicators['2.1'].denominator, indicators['2.1'].ratio], [14, 21, 0.6667]);
    assert.equal(indicators['2.1'].points, 7.41); // 0.6667 ÷ 0.9 × 10
    // 3.3: 7 online ÷ 24 received
    assert.deepEqual([indicators['3.3'].ratio, indicators['3.3'].points], [0.2917, 2.33]); // 0.2917 ÷ 0.5 × 4
    // 5.2: 1 answered on time ÷ 4 received
    assert.deepEqual([indicators['5.2'].ratio, indicators['5.2'].points], [0.25, 1.11]); // 0.25 ÷ 0.9 × 4
    // 5.4: 1 − 6/19 late − 1/3 not satisfied = 0.3509
    assert.deepEqual([indicators['5.4'].ratio, indicators['5.4'].points], [0.3509, 2.34]); // 0.3509 ÷ 0.9 × 6

    // every rollup kept step by step equals the one recomputed from the dossiers and their timelines
    const rebuilt = new Map<string, Map<string, RollupRow>>();
    for (const dossier of dossiers.values()) {
      const timeline = await db.getRepository(DossierEvent).find({ where: { dossierCode: dossier.code }, order: { at: 'ASC', id: 'ASC' } });
      for (const { day, increments } of countsOfDossier(dossier, timeline, workingCalendar())) accumulate(rebuilt, dossier, day, increments);
    }
    for (const rollup of ROLLUPS) {
      const nonZero = (row: RollupRow) => Object.entries(row).filter(([k, v]) => v !== 0 && v !== null && (typeof v !== 'string' || !(COUNTERS as readonly string[]).includes(k))).sort();
      const kept = (await db.getRepository(rollup.entity).find()).map((row) => JSON.stringify(nonZero(row as RollupRow))).sort();
      const expected = [...(rebuilt.get(rollup.entity.name)?.values() ?? [])].map((row) => JSON.stringify(nonZero(row))).sort();
      assert.deepEqual(kept, expected, rollup.entity.name);
    }

    // an illegal move is an error naming both ends, and changes nothing
    const resolved = codes.get('A1')!;
    await assert.rejects(
      db.transaction(async (manager) => moveDossier(manager, (await manager.getRepository(Dossier).findOneBy({ code: resolved }))!,
        { to: S.IN_APPRAISAL, at: t('02-27T09:00'), action: 'STATUS_REPORTED', agencyCode: null, officerId: null }, async () => undefined)),
      (error: unknown) => error instanceof IllegalTransitionError && /is RESOLVED; it cannot move to IN_APPRAISAL/.test(error.message) && error.extensions.code === 'CONFLICT',
    );
    assert.equal((await db.getRepository(Dossier).findOneBy({ code: resolved }))!.status, S.RESOLVED);
  } finally {
    await db.destroy();
  }
}

test('statistics: a hand-checked month with Tết, supplements and a tax pause adds up exactly (SQLite)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-fixture-'));
  try {
    await checkFixture({ kind: 'sqlite', file: path.join(dir, 'single-window.sqlite') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

testWith(['mysql'], 'statistics: the same month on MariaDB', async () => {
  const url = mysqlTestUrl()!;
  const config = databaseConfig('single-window', { DB_URL: url, DB_PREFIX: `fixture_${process.pid}` });
  await dropMysqlDatabase(config);
  try {
    await checkFixture(config);
  } finally {
    await dropMysqlDatabase(config);
  }
});

test('statistics: a period is read as whole months and the days at either end', () => {
  assert.deepEqual(periodSegments('2026-02-01', '2026-02-28'), [{ grain: 'month', from: '2026-02', to: '2026-02' }]);
  assert.deepEqual(periodSegments('2026-02-01', '2026-02-13'), [{ grain: 'day', from: '2026-02-01', to: '2026-02-13' }]);
  assert.deepEqual(periodSegments('2026-01-15', '2026-04-10'), [
    { grain: 'day', from: '2026-01-15', to: '2026-01-31' }, { grain: 'month', from: '2026-02', to: '2026-03' }, { grain: 'day', from: '2026-04-01', to: '2026-04-10' },
  ]);
  assert.deepEqual(periodSegments('2024-02-10', '2024-03-05'), [{ grain: 'day', from: '2024-02-10', to: '2024-03-05' }]);
  assert.deepEqual(periodSegments('2024-01-01', '2026-12-31'), [{ grain: 'month', from: '2024-01', to: '2026-12' }]);
  assert.deepEqual(periodSegments('2024-02-29', '2024-12-31'), [{ grain: 'day', from: '2024-02-29', to: '2024-02-29' }, { grain: 'month', from: '2024-03', to: '2024-12' }]);
});
