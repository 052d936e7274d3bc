import { Field, Float, ObjectType } from 'type-graphql';
import type { FeedbackSums, ReportRow } from './report';

/**
 * Scoring of the Decision 766/QĐ-TTg indicators this registry can compute (shared/domain.md): points reach the maximum
 * when the ratio reaches the threshold, else ratio × maximum ÷ threshold. The maxima and thresholds below are defaults
 * (the domain brief marks them unverified); a province sets its own with INDEX766_SCORING='{"2.1":{"threshold":0.9,"maxPoints":10}}'.
 */
const DEFAULT_SCORING: Record<string, { group: string; name: string; threshold: number; maxPoints: number }> = {
  '2.1': { group: 'TIMELINESS', name: 'Resolved on time or early, plus still within deadline, ÷ dossiers resolved or in progress', threshold: 0.9, maxPoints: 10 },
  '3.1': { group: 'ONLINE_SERVICES', name: 'Procedures offered online ÷ procedures in the catalogue', threshold: 0.8, maxPoints: 4 },
  '3.2': { group: 'ONLINE_SERVICES', name: 'Online procedures that received an online dossier ÷ online procedures', threshold: 0.5, maxPoints: 4 },
  '3.3': { group: 'ONLINE_SERVICES', name: 'Online dossiers ÷ all dossiers received', threshold: 0.5, maxPoints: 4 },
  '3.6': { group: 'ONLINE_PAYMENT', name: 'Dossiers paid online ÷ dossiers of procedures with a fee', threshold: 0.5, maxPoints: 5 },
  '4.1': { group: 'DIGITISATION', name: 'Results issued electronically ÷ results of procedures with a paper result', threshold: 0.8, maxPoints: 7 },
  '4.2': { group: 'DIGITISATION', name: 'Dossiers digitised at intake ÷ dossiers received', threshold: 0.8, maxPoints: 8 },
  '4.3': { group: 'DIGITISATION', name: 'Dossiers reusing digitised data ÷ dossiers received', threshold: 0.5, maxPoints: 7 },
  '5.2': { group: 'SATISFACTION', name: 'Feedback (phản ánh, kiến nghị) answered on time ÷ feedback received', threshold: 0.9, maxPoints: 4 },
  '5.4': { group: 'SATISFACTION', name: '100 % − (share of late dossiers + share of negative ratings)', threshold: 0.9, maxPoints: 6 },
};

function scoring(): typeof DEFAULT_SCORING {
  const own = process.env.INDEX766_SCORING ? (JSON.parse(process.env.INDEX766_SCORING) as Record<string, Partial<(typeof DEFAULT_SCORING)[string]>>) : {};
  return Object.fromEntries(Object.entries(DEFAULT_SCORING).map(([id, d]) => [id, { ...d, ...own[id] }]));
}

@ObjectType({ description: 'One Decision 766 indicator: the ratio, its parts, and the points it earns' })
export class Indicator766 {
  @Field({ description: 'e.g. 2.1' }) id: string;
  @Field({ description: 'TIMELINESS, ONLINE_SERVICES, ONLINE_PAYMENT, SATISFACTION, DIGITISATION' }) group: string;
  @Field() name: string;
  @Field(() => Float) numerator: number;
  @Field(() => Float) denominator: number;
  @Field(() => Float, { nullable: true, description: 'numerator ÷ denominator, 0–1 (4 decimals); null without a denominator' }) ratio: number | null;
  @Field(() => Float) threshold: number;
  @Field(() => Float) maxPoints: number;
  @Field(() => Float, { nullable: true, description: '2 decimals' }) points: number | null;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The procedure catalogue's side of 3.1 and 3.2. */
export interface CatalogueSums {
  procedures: number;
  onlineProcedures: number;
  onlineProceduresUsed: number;
}

export function indicators766(total: ReportRow, feedback: FeedbackSums, catalogue: CatalogueSums): Indicator766[] {
  const s = total.sums;
  const inProgress = total.inProgress ?? 0;
  const withinDeadline = inProgress - (total.inProgressOverdue ?? 0);
  const ratings = s.ratedVerySatisfied + s.ratedSatisfied + s.ratedNotSatisfied;
  const lateShare = s.resolved ? s.resolvedLate / s.resolved : 0;
  const negativeShare = ratings ? s.ratedNotSatisfied / ratings : 0;
  const parts: Record<string, [number, number]> = {
    '2.1': [s.resolvedEarly + s.resolvedOnTime + withinDeadline, s.resolved + inProgress],
    '3.1': [catalogue.onlineProcedures, catalogue.procedures],
    '3.2': [catalogue.onlineProceduresUsed, catalogue.onlineProcedures],
    '3.3': [s.receivedOnline, s.received],
    '3.6': [s.paidOnline, s.receivedWithFee],
    '4.1': [s.electronicResults, s.returnedPaperProcedure],
    '4.2': [s.digitised, s.received],
    '4.3': [s.reusedData, s.received],
    '5.2': [feedback.answeredOnTime, feedback.received],
    // already a share: 1 − late ÷ resolved − not satisfied ÷ ratings (a part without data counts 0)
    '5.4': s.resolved + ratings > 0 ? [round(Math.max(0, 1 - lateShare - negativeShare), 6), 1] : [0, 0],
  };
  return Object.entries(scoring()).map(([id, rule]) => {
    const [numerator, denominator] = parts[id];
    const exact = denominator > 0 ? numerator / denominator : null;
    return Object.assign(new Indicator766(), {
      id, group: rule.group, name: rule.name, numerator, denominator,
      ratio: exact === null ? null : round(exact, 4), threshold: rule.threshold, maxPoints: rule.maxPoints,
      points: exact === null ? null : round(Math.min(1, exact / rule.threshold) * rule.maxPoints, 2),
    });
  });
}
