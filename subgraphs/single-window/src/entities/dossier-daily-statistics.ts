import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { decimalToNumber } from '@onestop/platform';

/** The counters kept per day; each is moved by the lifecycle step that makes it true, in the same transaction. */
export const COUNTERS = [
  'received', 'receivedOnline', 'receivedPostal',
  'resolved', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedSameDay', 'processingMinutes',
  'stopped', 'withdrawn', 'intakeRejected',
  'returned', 'returnedPostal', 'returnedElectronic',
  'supplementRequests', 'apologies',
  'ratedVerySatisfied', 'ratedSatisfied', 'ratedNotSatisfied',
  'receivedWithFee', 'paidOnline', 'digitised', 'reusedData', 'returnedPaperProcedure', 'electronicResults',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** The counters every rollup table keeps, whatever its grain. */
export abstract class StatisticsCounters {
  @Column({ type: 'integer', default: 0 }) received: number;
  @Column({ type: 'integer', default: 0 }) receivedOnline: number;
  @Column({ type: 'integer', default: 0 }) receivedPostal: number;
  @Column({ type: 'integer', default: 0 }) resolved: number;
  @Column({ type: 'integer', default: 0 }) resolvedEarly: number;
  @Column({ type: 'integer', default: 0 }) resolvedOnTime: number;
  @Column({ type: 'integer', default: 0 }) resolvedLate: number;
  @Column({ type: 'integer', default: 0 }) resolvedSameDay: number;
  @Column({ type: 'integer', default: 0 }) processingMinutes: number;
  @Column({ type: 'integer', default: 0 }) stopped: number;
  @Column({ type: 'integer', default: 0 }) withdrawn: number;
  @Column({ type: 'integer', default: 0 }) intakeRejected: number;
  @Column({ type: 'integer', default: 0 }) returned: number;
  @Column({ type: 'integer', default: 0 }) returnedPostal: number;
  @Column({ type: 'integer', default: 0 }) returnedElectronic: number;
  @Column({ type: 'integer', default: 0 }) supplementRequests: number;
  @Column({ type: 'integer', default: 0 }) apologies: number;
  @Column({ type: 'integer', default: 0 }) ratedVerySatisfied: number;
  @Column({ type: 'integer', default: 0 }) ratedSatisfied: number;
  @Column({ type: 'integer', default: 0 }) ratedNotSatisfied: number;
  @Column({ type: 'integer', default: 0 }) receivedWithFee: number;
  @Column({ type: 'integer', default: 0 }) paidOnline: number;
  @Column({ type: 'integer', default: 0 }) digitised: number;
  @Column({ type: 'integer', default: 0 }) reusedData: number;
  @Column({ type: 'integer', default: 0 }) returnedPaperProcedure: number;
  @Column({ type: 'integer', default: 0 }) electronicResults: number;

  @Column({ type: 'decimal', precision: 18, scale: 0, default: 0, transformer: decimalToNumber })
  feeCollected: number;
}

/**
 * The dossier registry rolled up, at four grains: per local day or month, with or without the procedure. Reports add
 * rows up instead of reading the dossiers: whole months from a monthly table, the days at either end from a daily one,
 * and the tables without the procedure whenever the report neither breaks down nor filters by it.
 */
@Entity('dossier_daily_statistics')
@Index('IDX_dossier_daily_statistics_handling_agency_code_day', ['handlingAgencyCode', 'day'])
@Index('IDX_dossier_daily_statistics_procedure_code_day', ['procedureCode', 'day'])
export class DossierDailyStatistics extends StatisticsCounters {
  @PrimaryColumn({ type: 'varchar', length: 10 }) day: string;
  @PrimaryColumn({ type: 'varchar', length: 10 }) level: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) receivingAgencyCode: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) handlingAgencyCode: string;
  @PrimaryColumn({ type: 'varchar', length: 40 }) procedureCode: string;
}

@Entity('dossier_monthly_statistics')
@Index('IDX_dossier_monthly_statistics_procedure_code_month', ['procedureCode', 'month'])
export class DossierMonthlyStatistics extends StatisticsCounters {
  @PrimaryColumn({ type: 'varchar', length: 7 }) month: string;
  @PrimaryColumn({ type: 'varchar', length: 10 }) level: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) receivingAgencyCode: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) handlingAgencyCode: string;
  @PrimaryColumn({ type: 'varchar', length: 40 }) procedureCode: string;
}

@Entity('agency_daily_statistics')
export class AgencyDailyStatistics extends StatisticsCounters {
  @PrimaryColumn({ type: 'varchar', length: 10 }) day: string;
  @PrimaryColumn({ type: 'varchar', length: 10 }) level: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) receivingAgencyCode: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) handlingAgencyCode: string;
}

@Entity('agency_monthly_statistics')
export class AgencyMonthlyStatistics extends StatisticsCounters {
  @PrimaryColumn({ type: 'varchar', length: 7 }) month: string;
  @PrimaryColumn({ type: 'varchar', length: 10 }) level: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) receivingAgencyCode: string;
  @PrimaryColumn({ type: 'varchar', length: 30 }) handlingAgencyCode: string;
}

export const STATISTICS_ENTITIES = [DossierDailyStatistics, DossierMonthlyStatistics, AgencyDailyStatistics, AgencyMonthlyStatistics];
