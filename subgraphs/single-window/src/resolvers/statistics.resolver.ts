import { Arg, Authorized, Ctx, Field, FieldResolver, Float, InputType, Int, ObjectType, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { BadUserInputError, ForbiddenError, RequestContext } from '@onestop/platform';
import { workingCalendar } from '../intake';
import { Agency } from '../entities/agency';
import { agencyByCode } from '../loaders';
import { catalogueStatistics, Dimension, feedbackStatistics, ReportRow, statisticsReport, totalOf } from '../statistics/report';
import { Indicator766, indicators766 } from '../statistics/index766';

enum StatisticsDimension {
  LEVEL = 'LEVEL',
  HANDLING_AGENCY = 'HANDLING_AGENCY',
  RECEIVING_UNIT = 'RECEIVING_UNIT',
  PROCEDURE = 'PROCEDURE',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}
registerEnumType(StatisticsDimension, { name: 'StatisticsDimension', description: 'What a statistics report is broken down by' });

@InputType({ description: 'A reporting period and what to count in it' })
class StatisticsFilter {
  @Field({ description: 'First local day, YYYY-MM-DD' })
  from: string;

  @Field({ description: 'Last local day, YYYY-MM-DD (included)' })
  to: string;

  @Field(() => [String], { nullable: true, description: 'PROVINCE, DISTRICT (older data), COMMUNE' })
  @ArrayMaxSize(3)
  levels?: string[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(200)
  handlingAgencyCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(200)
  receivingAgencyCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(500)
  procedureCodes?: string[] | null;
}

const pct = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 100 : null);

@ObjectType({ description: 'Counts and shares (percent, 2 decimals) of one row of a statistics report' })
class DossierStatistics {
  row: ReportRow;

  @Field(() => String, { nullable: true }) level: string | null;
  @Field(() => String, { nullable: true }) handlingAgencyCode: string | null;
  @Field(() => String, { nullable: true }) receivingAgencyCode: string | null;
  @Field(() => String, { nullable: true }) procedureCode: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM, YYYY-Qn or YYYY when broken down by time' }) period: string | null;

  @Field(() => Int, { description: 'Tiếp nhận' }) received: number;
  @Field(() => Int) receivedOnline: number;
  @Field(() => Float, { nullable: true, description: 'Online dossiers ÷ received (766: 3.3)' }) onlineShare: number | null;
  @Field(() => Int) receivedPostal: number;
  @Field(() => Int, { description: 'Đã giải quyết' }) resolved: number;
  @Field(() => Float, { nullable: true, description: 'Resolved ÷ received' }) resolvedShare: number | null;
  @Field(() => Int, { description: 'Trước hạn' }) early: number;
  @Field(() => Float, { nullable: true, description: 'Early ÷ resolved' }) earlyShare: number | null;
  @Field(() => Int, { description: 'Đúng hạn' }) onTime: number;
  @Field(() => Float, { nullable: true }) onTimeShare: number | null;
  @Field(() => Int, { description: 'Trễ hạn' }) late: number;
  @Field(() => Float, { nullable: true }) lateShare: number | null;
  @Field(() => Int, { description: 'Resolved on the day of receipt (giải quyết trong ngày)' }) sameDay: number;
  @Field(() => Float, { nullable: true, description: 'Average working days from the clock start to resolution, pauses excluded (766: 2.2)' }) averageProcessingDays: number | null;
  @Field(() => Int) stopped: number;
  @Field(() => Int) withdrawn: number;
  @Field(() => Int) intakeRejected: number;
  @Field(() => Int) returned: number;
  @Field(() => Float, { nullable: true, description: 'Returned by public postal service ÷ returned' }) postalReturnShare: number | null;
  @Field(() => Float, { nullable: true, description: 'Returned electronically ÷ returned' }) electronicReturnShare: number | null;
  @Field(() => Int) supplementRequests: number;
  @Field(() => Int) apologies: number;
  @Field(() => Float, { description: 'Fees and charges collected on site, in đồng' }) feeCollected: number;
  @Field(() => Float, { nullable: true, description: 'Paid online ÷ dossiers of procedures with a fee (766: 3.6)' }) paidOnlineShare: number | null;
  @Field(() => Float, { nullable: true, description: 'Digitised at intake ÷ received (766: 4.2)' }) digitisedShare: number | null;
  @Field(() => Float, { nullable: true, description: 'Reusing digitised data ÷ received (766: 4.3)' }) reusedDataShare: number | null;
  @Field(() => Float, { nullable: true, description: 'Electronic results ÷ results of paper-result procedures (766: 4.1)' }) electronicResultShare: number | null;
  @Field(() => Int) ratings: number;
  @Field(() => Float, { nullable: true, description: 'Rất hài lòng ÷ ratings' }) verySatisfiedShare: number | null;
  @Field(() => Float, { nullable: true, description: 'Hài lòng ÷ ratings' }) satisfiedShare: number | null;
  @Field(() => Float, { nullable: true, description: 'Không hài lòng ÷ ratings' }) notSatisfiedShare: number | null;
  @Field(() => Int, { nullable: true, description: 'Open now (not for a row of a time period)' }) inProgress: number | null;
  @Field(() => Int, { nullable: true, description: 'Open now and within the appointment' }) inProgressWithinDeadline: number | null;
  @Field(() => Int, { nullable: true, description: 'Open now and past the appointment' }) inProgressOverdue: number | null;

  static of(row: ReportRow, minutesPerDay: number): DossierStatistics {
    const s = row.sums;
    const ratings = s.ratedVerySatisfied + s.ratedSatisfied + s.ratedNotSatisfied;
    return Object.assign(new DossierStatistics(), {
      row, level: row.level, handlingAgencyCode: row.handlingAgencyCode, receivingAgencyCode: row.receivingAgencyCode, procedureCode: row.procedureCode, period: row.period,
      received: s.received, receivedOnline: s.receivedOnline, onlineShare: pct(s.receivedOnline, s.received), receivedPostal: s.receivedPostal,
      resolved: s.resolved, resolvedShare: pct(s.resolved, s.received),
      early: s.resolvedEarly, earlyShare: pct(s.resolvedEarly, s.resolved), onTime: s.resolvedOnTime, onTimeShare: pct(s.resolvedOnTime, s.resolved),
      late: s.resolvedLate, lateShare: pct(s.resolvedLate, s.resolved), sameDay: s.resolvedSameDay,
      averageProcessingDays: s.resolved ? Math.round((s.processingMinutes / s.resolved / minutesPerDay) * 100) / 100 : null,
      stopped: s.stopped, withdrawn: s.withdrawn, intakeRejected: s.intakeRejected, returned: s.returned,
      postalReturnShare: pct(s.returnedPostal, s.returned), electronicReturnShare: pct(s.returnedElectronic, s.returned),
      supplementRequests: s.supplementRequests, apologies: s.apologies, feeCollected: s.feeCollected, ratings,
      paidOnlineShare: pct(s.paidOnline, s.receivedWithFee), digitisedShare: pct(s.digitised, s.received), reusedDataShare: pct(s.reusedData, s.received),
      electronicResultShare: pct(s.electronicResults, s.returnedPaperProcedure),
      verySatisfiedShare: pct(s.ratedVerySatisfied, ratings), satisfiedShare: pct(s.ratedSatisfied, ratings), notSatisfiedShare: pct(s.ratedNotSatisfied, ratings),
      inProgress: row.inProgress, inProgressOverdue: row.inProgressOverdue,
      inProgressWithinDeadline: row.inProgress === null ? null : row.inProgress - (row.inProgressOverdue ?? 0),
    });
  }
}

@ObjectType({ description: 'Phản ánh, kiến nghị received in the period, and what became of them' })
class FeedbackStatistics {
  @Field(() => Int) received: number;
  @Field(() => Int) answered: number;
  @Field(() => Int) answeredOnTime: number;
  @Field(() => Float, { nullable: true, description: 'Answered on time ÷ received (766: 5.2)' }) answeredOnTimeShare: number | null;
  @Field(() => Int, { description: 'Open now and past due' }) openOverdue: number;
}

@ObjectType({ description: 'A report in the shape of the centers\' own: totals, then one row per group' })
class StatisticsReport {
  @Field() from: string;
  @Field() to: string;
  @Field(() => [StatisticsDimension]) groupBy: StatisticsDimension[];
  @Field(() => DossierStatistics) total: DossierStatistics;
  @Field(() => [DossierStatistics]) rows: DossierStatistics[];
  @Field(() => FeedbackStatistics, { description: 'For the levels and handling agencies filtered on' }) feedback: FeedbackStatistics;
  @Field(() => [Indicator766], { description: 'The Decision 766 indicators this registry can compute, on the totals' }) indicators: Indicator766[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

@Resolver(() => DossierStatistics)
export class StatisticsResolver {
  @Authorized('analyst', 'staff')
  @Query(() => StatisticsReport, { description: 'Dossier statistics over a period, broken down as asked; staff see their own agency\'s only' })
  async dossierStatistics(
    @Arg('filter') filter: StatisticsFilter,
    @Arg('groupBy', () => [StatisticsDimension], { defaultValue: [] }) groupBy: StatisticsDimension[],
    @Ctx() ctx: RequestContext,
  ): Promise<StatisticsReport> {
    for (const field of ['from', 'to'] as const) {
      if (!DAY.test(filter[field]) || Number.isNaN(Date.parse(`${filter[field]}T00:00:00Z`))) throw new BadUserInputError(`filter.${field}`, 'a local date, YYYY-MM-DD');
    }
    if (filter.from > filter.to) throw new BadUserInputError('filter.from', 'must not be after filter.to');
    if (groupBy.filter((d) => ['MONTH', 'QUARTER', 'YEAR'].includes(d)).length > 1) throw new BadUserInputError('groupBy', 'one of MONTH, QUARTER, YEAR at most');
    const identity = ctx.identity;
    if (!ctx.securityOff && (identity?.role === 'officer' || identity?.role === 'agency-system')) {
      const own = [identity.agency!];
      const asked = [...(filter.handlingAgencyCodes ?? []), ...(filter.receivingAgencyCodes ?? [])];
      if (!asked.length || asked.some((code) => code !== identity.agency)) {
        throw new ForbiddenError(`Staff see their own agency's statistics only: filter by handlingAgencyCodes or receivingAgencyCodes [${own}]`, { role: identity.role });
      }
    }
    const minutesPerDay = workingCalendar().minutesPerDay;
    const now = new Date();
    const [rows, feedback, catalogue] = await Promise.all([
      statisticsReport(ctx.db, filter, groupBy as Dimension[], now),
      feedbackStatistics(ctx.db, filter, now),
      catalogueStatistics(ctx.db, filter),
    ]);
    const total = DossierStatistics.of(await totalOf(ctx.db, filter, rows, now), minutesPerDay);
    return {
      from: filter.from, to: filter.to, groupBy, total,
      rows: groupBy.length ? rows.map((r) => DossierStatistics.of(r, minutesPerDay)) : [],
      feedback: { ...feedback, answeredOnTimeShare: pct(feedback.answeredOnTime, feedback.received) },
      indicators: indicators766(total.row, feedback, catalogue),
    };
  }

  @FieldResolver(() => Agency, { nullable: true })
  handlingAgency(@Root() row: DossierStatistics, @Ctx() ctx: RequestContext): Promise<Agency | null> | null {
    return row.handlingAgencyCode ? agencyByCode(ctx).load(row.handlingAgencyCode) : null;
  }

  @FieldResolver(() => Agency, { nullable: true })
  receivingUnit(@Root() row: DossierStatistics, @Ctx() ctx: RequestContext): Promise<Agency | null> | null {
    return row.receivingAgencyCode ? agencyByCode(ctx).load(row.receivingAgencyCode) : null;
  }
}
