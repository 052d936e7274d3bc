import { EntityManager } from 'typeorm';
import { BadUserInputError, ConflictError } from '@onestop/platform';
import { Dossier, Rating } from '../entities/dossier';
import { DossierEvent } from '../entities/dossier-event';
import { DossierStatus as S, FINISHED_STATUSES } from '../entities/dossier-status';
import { workingCalendar } from '../intake';
import { ratingCounts } from '../statistics/counts';
import { addToStatistics } from '../statistics/rollup';

/** Apologies with a new appointment (form 04) a dossier may get; once only unless configured (shared/domain.md: unverified). */
const apologyLimit = () => Number(process.env.APOLOGY_LIMIT || 1);

export interface Apology {
  newAppointmentAt: Date;
  reason: string;
  at: Date;
  agencyCode: string | null;
  officerId: string | null;
}

/** Form 04: the status stays; the new appointment is what the citizen is told, the outcome is still judged on the old. */
export async function issueApology(manager: EntityManager, dossier: Dossier, apology: Apology): Promise<Dossier> {
  const calendar = workingCalendar();
  if (FINISHED_STATUSES.has(dossier.status)) {
    throw new ConflictError(`Dossier ${dossier.code} is ${dossier.status}: nothing to apologise for any more`, { reason: 'ILLEGAL_TRANSITION', from: dossier.status });
  }
  const given = await manager.getRepository(DossierEvent).countBy({ dossierCode: dossier.code, action: 'APOLOGY_ISSUED' });
  if (given >= apologyLimit()) {
    throw new ConflictError(`Dossier ${dossier.code} already had ${given} apology letter(s); the limit is ${apologyLimit()}`, { reason: 'APOLOGY_LIMIT' });
  }
  const current = dossier.apologyAppointmentAt ?? dossier.appointmentAt;
  if (apology.newAppointmentAt <= apology.at || (current && apology.newAppointmentAt <= current)) {
    throw new BadUserInputError('input.newAppointmentAt', 'must be later than now and than the current appointment');
  }
  if (!calendar.isWorkingDay(calendar.localDate(apology.newAppointmentAt))) throw new BadUserInputError('input.newAppointmentAt', 'must fall on a working day');
  dossier.apologyAppointmentAt = apology.newAppointmentAt;
  await manager.getRepository(Dossier).update({ code: dossier.code }, { apologyAppointmentAt: dossier.apologyAppointmentAt });
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at: apology.at, action: 'APOLOGY_ISSUED', status: dossier.status, statusCode: dossier.statusCode,
    agencyCode: apology.agencyCode, officerId: apology.officerId,
    note: `Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04): ${apology.reason}; hẹn lại ${apology.newAppointmentAt.toISOString()}`.slice(0, 500),
  });
  await addToStatistics(manager, dossier, calendar.localDate(apology.at), { apologies: 1 });
  return dossier;
}

/** The applicant's rating, once, after the result; counted on the day it was given. */
export async function rateDossier(manager: EntityManager, dossier: Dossier, rating: Rating, reason: string | null | undefined, at: Date): Promise<Dossier> {
  if (dossier.status !== S.RESOLVED && dossier.status !== S.RETURNED) {
    throw new ConflictError(`Dossier ${dossier.code} is ${dossier.status}; it can be rated once resolved`, { reason: 'NOT_YET_RESOLVED' });
  }
  if (dossier.rating) throw new ConflictError(`Dossier ${dossier.code} was already rated`, { reason: 'ALREADY_RATED' });
  const why = reason?.trim() || null;
  if (rating === Rating.NOT_SATISFIED && !why) throw new BadUserInputError('input.reason', 'say why you are not satisfied');
  Object.assign(dossier, { rating, ratingReason: why, ratedAt: at });
  await manager.getRepository(Dossier).update({ code: dossier.code }, { rating, ratingReason: why, ratedAt: at });
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at, action: 'RATED', status: dossier.status, statusCode: dossier.statusCode, agencyCode: null, officerId: null,
    note: `${rating}${why ? `: ${why}` : ''}`.slice(0, 500),
  });
  await addToStatistics(manager, dossier, workingCalendar().localDate(at), ratingCounts(rating));
  return dossier;
}
