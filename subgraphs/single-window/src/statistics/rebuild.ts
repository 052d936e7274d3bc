import { WorkingCalendar } from '@onestop/platform';
import type { Dossier } from '../entities/dossier';
import { DossierStatus as S } from '../entities/dossier-status';
import { endCounts, ratingCounts, receivedCounts, returnedCounts } from './counts';
import type { Increments } from './rollup';

type Facts = Pick<Dossier, 'status' | 'channel' | 'receivedAt' | 'resolvedAt' | 'returnedAt' | 'finishedAt' | 'outcome' | 'pausedMinutes' | 'returnChannel' | 'feeCollected' | 'rating' | 'ratedAt'
  | 'feeDue' | 'paidOnline' | 'digitised' | 'reusedData' | 'paperResult' | 'electronicResult'>;
/** The timeline, oldest first. */
type Step = { action: string; status: S | string; at: Date };


/**
 * The day counters a dossier contributed, from its final state and timeline: what the lifecycle adds step by step,
 * recomputed. For seeding, for rebuilding a rollup after an outage of the rules, and to check the one against the other.
 */
export function countsOfDossier(d: Facts, timeline: Step[], calendar: WorkingCalendar): { day: string; increments: Increments }[] {
  const out: { day: string; increments: Increments }[] = [];
  const add = (at: Date, increments: Increments) => out.push({ day: calendar.localDate(at), increments });
  if (timeline.some((e) => e.status === S.RECEIVED)) add(d.receivedAt, receivedCounts(d));
  // each entry into SUPPLEMENT_REQUESTED is one request (it cannot follow itself); other steps keep the status
  timeline.forEach((step, i) => {
    if (step.status === S.SUPPLEMENT_REQUESTED && timeline[i - 1]?.status !== S.SUPPLEMENT_REQUESTED) add(step.at, { supplementRequests: 1 });
    if (step.action === 'APOLOGY_ISSUED') add(step.at, { apologies: 1 });
  });
  const end = d.resolvedAt ?? d.finishedAt;
  if (end) add(end, endCounts(d, calendar));
  if (d.returnedAt) add(d.returnedAt, returnedCounts(d));
  if (d.rating && d.ratedAt) add(d.ratedAt, ratingCounts(d.rating));
  return out;
}
