import { EntityManager } from 'typeorm';
import { BadUserInputError, ConflictError, NotFoundError } from '@onestop/platform';
import { Agency } from '../entities/agency';
import { Dossier } from '../entities/dossier';
import { Feedback, FeedbackKind, FeedbackStatus } from '../entities/feedback';
import { nextSequence, workingCalendar } from '../intake';

/** Working days an agency has to answer (shared/domain.md, 766 indicator 5.2: 15 by default; configurable). */
export const feedbackDays = () => Number(process.env.FEEDBACK_DAYS || 15);

export interface NewFeedback {
  kind: FeedbackKind;
  content: string;
  submitterName: string;
  submitterPersonalNumber: string | null;
  dossierCode?: string | null;
  /** Without a dossier: the agency the feedback is about. */
  agencyCode?: string | null;
}

/** Receives feedback: numbered per day, addressed to the dossier's handling agency (or the one named), due in working days. */
export async function receiveFeedback(manager: EntityManager, input: NewFeedback, at: Date): Promise<Feedback> {
  let agencyCode = input.agencyCode ?? null;
  if (input.dossierCode) {
    const dossier = await manager.getRepository(Dossier).findOneBy({ code: input.dossierCode });
    if (!dossier) throw new BadUserInputError('input.dossierCode', `no dossier ${input.dossierCode}`);
    agencyCode ??= dossier.handlingAgencyCode;
  }
  if (!agencyCode) throw new BadUserInputError('input.agencyCode', 'name the dossier or the agency the feedback is about');
  const agency = await manager.getRepository(Agency).findOneBy({ code: agencyCode });
  if (!agency) throw new BadUserInputError('input.agencyCode', `no agency ${agencyCode}`);
  const calendar = workingCalendar();
  const day = calendar.localDate(at).slice(2).replace(/-/g, '');
  const sequence = await nextSequence(manager, 'PAKN', day);
  const feedback = manager.getRepository(Feedback).create({
    code: `PAKN-${day}-${String(sequence).padStart(4, '0')}`, kind: input.kind, dossierCode: input.dossierCode ?? null, agencyCode: agency.code, level: agency.level,
    submitterName: input.submitterName.trim(), submitterPersonalNumber: input.submitterPersonalNumber, content: input.content.trim(),
    receivedAt: at, dueAt: calendar.appointment(at, feedbackDays()), status: FeedbackStatus.RECEIVED,
    answer: null, answeredAt: null, answeredBy: null, answeredOnTime: null,
  });
  await manager.getRepository(Feedback).insert(feedback);
  return feedback;
}

/** Answers feedback once; on time when answered by its due date. */
export async function answerFeedback(manager: EntityManager, feedback: Feedback | null, code: string, answer: string, answeredBy: string | null, at: Date): Promise<Feedback> {
  if (!feedback) throw new NotFoundError('Feedback', code);
  if (feedback.status === FeedbackStatus.ANSWERED) throw new ConflictError(`Feedback ${code} was answered on ${feedback.answeredAt?.toISOString()}`, { reason: 'ALREADY_ANSWERED' });
  Object.assign(feedback, { status: FeedbackStatus.ANSWERED, answer: answer.trim(), answeredAt: at, answeredBy, answeredOnTime: at <= feedback.dueAt });
  await manager.getRepository(Feedback).update({ code }, {
    status: feedback.status, answer: feedback.answer, answeredAt: at, answeredBy, answeredOnTime: feedback.answeredOnTime,
  });
  return feedback;
}
