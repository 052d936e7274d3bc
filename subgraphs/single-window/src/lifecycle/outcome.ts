import { registerEnumType } from 'type-graphql';
import { WorkingCalendar } from '@onestop/platform';

export enum Outcome {
  EARLY = 'EARLY',
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
}
registerEnumType(Outcome, { name: 'Outcome', description: 'Trước hạn, đúng hạn, trễ hạn: fixed when processing ends' });

export interface OutcomeFacts {
  receivedAt: Date;
  /** End of processing: resolved, else returned, else stopped or refused. */
  finishedAt: Date;
  /** The appointment (ngày hẹn trả), already moved on by the working time the clock was paused. */
  appointmentAt: Date | null;
  /** Statutory time, for a dossier without an appointment. */
  processingDays: number;
  /** Working minutes the clock was paused (supplement, financial obligation). */
  pausedMinutes: number;
  supplementRequests: number;
}

/**
 * The national portal's rule (shared/domain.md): on time when processing ended by the appointment, early when it ended
 * on a day before the appointment's day; time waiting for the citizen is not counted (the appointment moved on by it);
 * more than one supplement request is late. Without an appointment: working time used, less the pauses, against the
 * statutory time.
 */
export function decideOutcome(facts: OutcomeFacts, calendar: WorkingCalendar): Outcome {
  if (facts.supplementRequests > 1) return Outcome.LATE;
  if (facts.appointmentAt) {
    if (facts.finishedAt > facts.appointmentAt) return Outcome.LATE;
    return calendar.localDate(facts.finishedAt) < calendar.localDate(facts.appointmentAt) ? Outcome.EARLY : Outcome.ON_TIME;
  }
  const used = calendar.workingMinutesBetween(calendar.clockStart(facts.receivedAt), facts.finishedAt) - facts.pausedMinutes;
  const allowed = facts.processingDays * calendar.minutesPerDay;
  if (used > allowed) return Outcome.LATE;
  return used <= allowed - calendar.minutesPerDay ? Outcome.EARLY : Outcome.ON_TIME;
}
