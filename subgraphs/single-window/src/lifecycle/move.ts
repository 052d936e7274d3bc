import { EntityManager } from 'typeorm';
import { ConflictError, Notification } from '@onestop/platform';
import { DocumentOrigin, DossierDocument } from '../entities/document';
import { Dossier, ReturnChannel } from '../entities/dossier';
import { DossierEvent } from '../entities/dossier-event';
import { DossierStatus as S, NATIONAL_STATUS_CODE } from '../entities/dossier-status';
import { Procedure } from '../entities/procedure';
import { workingCalendar } from '../calendar';
import { statusNotification } from '../notifications';
import { endCounts, returnedCounts } from '../statistics/counts';
import { addToStatistics, Increments } from '../statistics/rollup';
import { decideOutcome, Outcome } from './outcome';
import { assertTransition } from './transitions';

/** While in these the clock does not run: the citizen's supplement or payment is awaited. */
export const PAUSING = new Set<S>([S.FINANCIAL_OBLIGATION, S.SUPPLEMENT_REQUESTED]);

/** Processing ends here; the outcome is fixed (national rule: resolved, else returned, else stopped or refused). */
const ENDING = new Set<S>([S.RESOLVED, S.STOPPED, S.WITHDRAWN, S.INTAKE_REJECTED]);

export interface Step {
  to: S;
  at: Date;
  /** The timeline's action, e.g. STATUS_REPORTED or SUPPLEMENT_REQUESTED */
  action: string;
  agencyCode: string | null;
  officerId: string | null;
  note?: string | null;
  returnChannel?: ReturnChannel;
  feeCollected?: number | null;
}

/**
 * One lifecycle step, in the caller's transaction: checks the transition, runs or stops the clock, fixes the outcome
 * when processing ends, adds to the day's statistics, writes the timeline and queues the status notification.
 * The dossier should have been read with a row lock.
 */
export async function moveDossier(manager: EntityManager, dossier: Dossier, step: Step, notify: (n: Notification) => Promise<void>): Promise<Dossier> {
  assertTransition(dossier.code, dossier.status, step.to);
  const calendar = workingCalendar();
  const at = step.at;
  const notes: string[] = step.note ? [step.note] : [];
  const counts: Increments = {};
  const day = calendar.localDate(at);

  if (dossier.clockPausedAt && !PAUSING.has(step.to)) {
    const paused = calendar.workingMinutesBetween(dossier.clockPausedAt, at);
    dossier.pausedMinutes += paused;
    if (dossier.appointmentAt && paused > 0) {
      dossier.appointmentAt = calendar.addWorkingMinutes(dossier.appointmentAt, paused);
      notes.push(`clock resumed after ${paused} working minutes; new appointment ${dossier.appointmentAt.toISOString()}`);
    }
    dossier.clockPausedAt = null;
  } else if (!dossier.clockPausedAt && PAUSING.has(step.to)) {
    dossier.clockPausedAt = at;
    notes.push('clock paused');
  }
  if (step.to === S.SUPPLEMENT_REQUESTED) {
    dossier.supplementRequests += 1;
    counts.supplementRequests = 1;
  }

  if (ENDING.has(step.to)) {
    dossier.finishedAt = at;
    const processingDays = dossier.appointmentAt ? 0 : ((await manager.getRepository(Procedure).findOneBy({ code: dossier.procedureCode }))?.processingDays ?? 0);
    dossier.outcome = decideOutcome({
      receivedAt: dossier.receivedAt, finishedAt: at, appointmentAt: dossier.appointmentAt, processingDays,
      pausedMinutes: dossier.pausedMinutes, supplementRequests: dossier.supplementRequests,
    }, calendar);
    if (step.to === S.RESOLVED) dossier.resolvedAt = at;
    Object.assign(counts, endCounts({ ...dossier, status: step.to }, calendar));
    notes.push(`processing ended: ${dossier.outcome === Outcome.LATE ? 'late' : dossier.outcome === Outcome.EARLY ? 'early' : 'on time'}`);
  }
  if (step.to === S.RETURNED) {
    dossier.returnedAt = at;
    dossier.returnChannel = step.returnChannel ?? ReturnChannel.COUNTER;
    dossier.feeCollected = step.feeCollected ?? null;
    // from the records: a result document this agency issued and signed (issueResultDocument), never a flag
    dossier.electronicResult = await manager.getRepository(DossierDocument).existsBy({ dossierCode: dossier.code, origin: DocumentOrigin.ISSUED, reused: false });
    if (dossier.returnChannel === ReturnChannel.ELECTRONIC && !dossier.electronicResult) {
      throw new ConflictError(`Dossier ${dossier.code} has no electronic result to return: issue it first (issueResultDocument)`, { reason: 'NO_ELECTRONIC_RESULT' });
    }
    Object.assign(counts, returnedCounts(dossier));
  }

  dossier.status = step.to;
  dossier.statusCode = NATIONAL_STATUS_CODE[step.to];
  await manager.getRepository(Dossier).update({ code: dossier.code }, {
    status: dossier.status, statusCode: dossier.statusCode, appointmentAt: dossier.appointmentAt, clockPausedAt: dossier.clockPausedAt,
    pausedMinutes: dossier.pausedMinutes, supplementRequests: dossier.supplementRequests, finishedAt: dossier.finishedAt, outcome: dossier.outcome,
    resolvedAt: dossier.resolvedAt, returnedAt: dossier.returnedAt, returnChannel: dossier.returnChannel, feeCollected: dossier.feeCollected,
    electronicResult: dossier.electronicResult,
  });
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at, action: step.action, status: dossier.status, statusCode: dossier.statusCode,
    agencyCode: step.agencyCode?.slice(0, 30) ?? null, officerId: step.officerId, note: notes.join('; ').slice(0, 500) || null,
  });
  await addToStatistics(manager, dossier, day, counts);
  await notify(statusNotification(dossier, at, step.officerId));
  return dossier;
}
