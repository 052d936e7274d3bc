import { DataSource, EntityManager } from 'typeorm';
import {
  BadUserInputError, formatDossierCode, Identity, required, validateEnterpriseCode, validatePersonalNumber,
} from '@onestop/platform';
import { workingCalendar } from './calendar';
import { attachDocuments, DocumentReference, receiptNote } from './documents/attach';
import { Agency } from './entities/agency';
import { Dossier } from './entities/dossier';
import { DossierCodeCounter } from './entities/dossier-code-counter';
import { DossierEvent } from './entities/dossier-event';
import { Channel, DossierStatus, NATIONAL_STATUS_CODE, ruleSetAt } from './entities/dossier-status';
import { OnlineService, Procedure, ResultForm } from './entities/procedure';
import { receivedCounts } from './statistics/counts';
import { addToStatistics } from './statistics/rollup';
import { assertTransition } from './lifecycle/transitions';

export interface IntakeRequest {
  procedureCode: string;
  receivingAgencyCode: string;
  channel: Channel;
  applicantName: string;
  applicantPersonalNumber?: string | null;
  applicantEnterpriseCode?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  /** Fee paid through the online payment platform (online dossiers of procedures with a fee). */
  paidOnline?: boolean | null;
  officerId?: string | null;
  /** Papers handed in: content the caller uploaded, or documents the applicant already has (reused). */
  documents?: DocumentReference[] | null;
  /** Who files it: the documents' uploader or reuser. */
  identity?: Identity | null;
}

const PHONE = /^(0|\+84)\d{9,10}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export { workingCalendar };

/** Next sequence for a unit and day, inside the caller's transaction (row lock on MySQL, single writer on SQLite). */
export async function nextSequence(manager: EntityManager, unitCode: string, day: string): Promise<number> {
  const counters = manager.getRepository(DossierCodeCounter);
  const updated = await counters
    .createQueryBuilder()
    .update()
    .set({ lastSequence: () => 'last_sequence + 1' })
    .where('unit_code = :unitCode AND day = :day', { unitCode, day })
    .execute();
  if (!updated.affected) {
    await counters.insert({ unitCode, day, lastSequence: 1 });
    return 1;
  }
  const row = await counters.findOneByOrFail({ unitCode, day });
  return row.lastSequence;
}

/** The agency of the procedure's sector closest to the receiving unit: same administrative unit first, then the province's. */
function pickHandlingAgency(candidates: Agency[], receiving: Agency): Agency | undefined {
  return (
    candidates.find((a) => a.administrativeUnitCode === receiving.administrativeUnitCode) ??
    candidates.find((a) => a.level === 'PROVINCE') ??
    candidates[0]
  );
}

/** Runs in the intake transaction once the dossier exists, e.g. to queue its first handoff. */
export type AfterIntake = (manager: EntityManager, dossier: Dossier, procedure: Procedure) => Promise<void>;

/**
 * Receives a dossier: checks the request, numbers it, sets the appointment and records the first timeline step.
 * With `draft`, an online registration instead (status 1): numbered, but received, with its appointment, only when an
 * officer accepts it (acceptDraft) or refused (form 03).
 */
export async function receiveDossier(db: DataSource, request: IntakeRequest, now = new Date(), afterIntake?: AfterIntake, draft = false): Promise<Dossier> {
  const personal = request.applicantPersonalNumber ?? null;
  const enterprise = request.applicantEnterpriseCode ?? null;
  if ((personal === null) === (enterprise === null)) {
    throw new BadUserInputError('input.applicantPersonalNumber', 'give exactly one of applicantPersonalNumber or applicantEnterpriseCode');
  }
  const applicantPersonalNumber = personal === null ? null : required(validatePersonalNumber(personal), 'input.applicantPersonalNumber');
  const applicantEnterpriseCode = enterprise === null ? null : required(validateEnterpriseCode(enterprise), 'input.applicantEnterpriseCode');

  const contactPhone = request.contactPhone?.replace(/[\s.-]/g, '') || null;
  if (contactPhone && !PHONE.test(contactPhone)) throw new BadUserInputError('input.contactPhone', 'a Vietnamese phone number: 0 or +84 and 9–10 digits');
  const contactEmail = request.contactEmail?.trim() || null;
  if (contactEmail && (contactEmail.length > 120 || !EMAIL.test(contactEmail))) throw new BadUserInputError('input.contactEmail', 'an e-mail address');
  const procedure = await db.getRepository(Procedure).findOneBy({ code: request.procedureCode });
  if (!procedure || !procedure.active) throw new BadUserInputError('input.procedureCode', `unknown or withdrawn procedure ${request.procedureCode}`);
  const receiving = await db.getRepository(Agency).findOneBy({ code: request.receivingAgencyCode });
  if (!receiving || !receiving.receivesDossiers) {
    throw new BadUserInputError('input.receivingAgencyCode', `${request.receivingAgencyCode} is not a unit that receives dossiers`);
  }
  if (request.channel === Channel.ONLINE && procedure.onlineService === OnlineService.NONE) {
    throw new BadUserInputError('input.channel', `procedure ${procedure.code} is not offered online`);
  }
  if (request.paidOnline && (request.channel !== Channel.ONLINE || !(procedure.feeAmount > 0))) {
    throw new BadUserInputError('input.paidOnline', 'only an online dossier of a procedure with a fee is paid online');
  }
  const handling = pickHandlingAgency(await db.getRepository(Agency).findBy({ sector: procedure.handlingSector }), receiving);
  if (!handling) throw new BadUserInputError('input.procedureCode', `no agency handles ${procedure.handlingSector} procedures`);

  if (draft && request.channel !== Channel.ONLINE) throw new BadUserInputError('input.channel', 'only an online dossier is registered before it is received');
  const appointmentAt = draft ? null : workingCalendar().appointment(now, procedure.processingDays);
  const localDay = workingCalendar().localDate(now);
  const dayKey = localDay.slice(2).replace(/-/g, '');

  return db.transaction(async (manager) => {
    const sequence = await nextSequence(manager, receiving.code, dayKey);
    const dossier = manager.getRepository(Dossier).create({
      code: formatDossierCode(receiving.code, new Date(`${localDay}T00:00:00Z`), sequence),
      procedureCode: procedure.code,
      applicantName: request.applicantName.trim(),
      applicantPersonalNumber,
      applicantEnterpriseCode,
      contactPhone,
      contactEmail,
      feeDue: procedure.feeAmount,
      paidOnline: !!request.paidOnline,
      // from the documents linked below, never from input
      digitised: false,
      reusedData: false,
      paperResult: procedure.resultForm !== ResultForm.ELECTRONIC,
      electronicResult: false,
      pendingHandoff: null,
      receivingAgencyCode: receiving.code,
      handlingAgencyCode: handling.code,
      channel: request.channel,
      status: draft ? DossierStatus.DRAFT : DossierStatus.RECEIVED,
      statusCode: draft ? NATIONAL_STATUS_CODE.DRAFT : NATIONAL_STATUS_CODE.RECEIVED,
      receivedAt: now,
      appointmentAt,
      resolvedAt: null,
      returnedAt: null,
      ruleSet: ruleSetAt(now),
      clockPausedAt: null,
      level: handling.level,
      pausedMinutes: 0,
      supplementRequests: 0,
      apologyAppointmentAt: null,
      finishedAt: null,
      outcome: null,
      returnChannel: null,
      feeCollected: null,
      rating: null,
      ratingReason: null,
      ratedAt: null,
    });
    await manager.getRepository(Dossier).insert(dossier);
    if (request.documents?.length) await attachDocuments(manager, request.identity ?? null, dossier, request.documents, 'input.documents', now, false);
    await manager.getRepository(DossierEvent).insert({
      dossierCode: dossier.code,
      at: now,
      action: draft ? 'SUBMITTED_ONLINE' : 'RECEIVED',
      status: dossier.status,
      statusCode: dossier.statusCode,
      agencyCode: receiving.code,
      officerId: request.officerId ?? null,
      note: draft ? 'Đăng ký trực tuyến, chờ tiếp nhận' : await receiptNote(manager, dossier),
    });
    if (!draft) await addToStatistics(manager, dossier, localDay, receivedCounts(dossier));
    await afterIntake?.(manager, dossier, procedure);
    return dossier;
  });
}

/**
 * An officer receives an online registration (form 01): from now on it is a received dossier, with its appointment
 * counted from this moment, in the day's statistics. The caller queues what comes next (its handoff, the notification).
 */
export async function acceptDraft(manager: EntityManager, dossier: Dossier, at: Date, agencyCode: string | null, officerId: string | null): Promise<Dossier> {
  assertTransition(dossier.code, dossier.status, DossierStatus.RECEIVED);
  const procedure = await manager.getRepository(Procedure).findOneByOrFail({ code: dossier.procedureCode });
  Object.assign(dossier, {
    status: DossierStatus.RECEIVED, statusCode: NATIONAL_STATUS_CODE.RECEIVED, receivedAt: at,
    appointmentAt: workingCalendar().appointment(at, procedure.processingDays), ruleSet: ruleSetAt(at),
  });
  await manager.getRepository(Dossier).update({ code: dossier.code }, {
    status: dossier.status, statusCode: dossier.statusCode, receivedAt: at, appointmentAt: dossier.appointmentAt, ruleSet: dossier.ruleSet, pendingHandoff: null,
  });
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at, action: 'RECEIVED', status: dossier.status, statusCode: dossier.statusCode, agencyCode, officerId,
    note: await receiptNote(manager, dossier),
  });
  await addToStatistics(manager, dossier, workingCalendar().localDate(at), receivedCounts(dossier));
  return dossier;
}
