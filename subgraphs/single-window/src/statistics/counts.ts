import { WorkingCalendar } from '@onestop/platform';
import { Dossier, Rating, ReturnChannel } from '../entities/dossier';
import type { Counter } from '../entities/dossier-daily-statistics';
import { Channel, DossierStatus as S } from '../entities/dossier-status';
import type { Increments } from './rollup';

/**
 * What each lifecycle event adds to the statistics, from the dossier as it stands after the event: the lifecycle adds
 * these as it goes, and `countsOfDossier` adds the same up again from a dossier's final state.
 */

/** Receipt, on the day of receipt. */
export function receivedCounts(d: Pick<Dossier, 'channel' | 'feeDue' | 'paidOnline' | 'digitised' | 'reusedData'>): Increments {
  return {
    received: 1, receivedOnline: d.channel === Channel.ONLINE ? 1 : 0, receivedPostal: d.channel === Channel.POSTAL ? 1 : 0,
    receivedWithFee: d.feeDue > 0 ? 1 : 0, paidOnline: d.paidOnline ? 1 : 0, digitised: d.digitised ? 1 : 0, reusedData: d.reusedData ? 1 : 0,
  };
}

const OUTCOME_COUNTER: Record<string, Counter> = { EARLY: 'resolvedEarly', ON_TIME: 'resolvedOnTime', LATE: 'resolvedLate' };
const ENDING_COUNTER: Partial<Record<string, Counter>> = { [S.STOPPED]: 'stopped', [S.WITHDRAWN]: 'withdrawn', [S.INTAKE_REJECTED]: 'intakeRejected' };

/** The end of processing, on its day: a resolution with its outcome, same-day flag and working time, or a stop, withdrawal or refusal. */
export function endCounts(
  d: Pick<Dossier, 'status' | 'outcome' | 'receivedAt' | 'resolvedAt' | 'pausedMinutes'>, calendar: WorkingCalendar,
): Increments {
  if (d.status === S.RESOLVED || (d.status === S.RETURNED && d.resolvedAt)) {
    if (!d.resolvedAt || !d.outcome) return {};
    return {
      resolved: 1, [OUTCOME_COUNTER[d.outcome]]: 1,
      resolvedSameDay: calendar.localDate(d.receivedAt) === calendar.localDate(d.resolvedAt) ? 1 : 0,
      processingMinutes: Math.max(0, calendar.workingMinutesBetween(calendar.clockStart(d.receivedAt), d.resolvedAt) - d.pausedMinutes),
    };
  }
  const counter = ENDING_COUNTER[d.status];
  return counter ? { [counter]: 1 } : {};
}

/** The result handed back, on that day. */
export function returnedCounts(d: Pick<Dossier, 'returnChannel' | 'feeCollected' | 'paperResult' | 'electronicResult'>): Increments {
  return {
    returned: 1, returnedPostal: d.returnChannel === ReturnChannel.POSTAL ? 1 : 0, returnedElectronic: d.returnChannel === ReturnChannel.ELECTRONIC ? 1 : 0,
    feeCollected: d.feeCollected ?? 0, returnedPaperProcedure: d.paperResult ? 1 : 0, electronicResults: d.paperResult && d.electronicResult ? 1 : 0,
  };
}

const RATING_COUNTER: Record<Rating, Counter> = { VERY_SATISFIED: 'ratedVerySatisfied', SATISFIED: 'ratedSatisfied', NOT_SATISFIED: 'ratedNotSatisfied' };

/** The applicant's rating, on the day it was given. */
export function ratingCounts(rating: Rating): Increments {
  return { [RATING_COUNTER[rating]]: 1 };
}
