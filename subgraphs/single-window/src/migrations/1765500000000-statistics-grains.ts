import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

/** The counters as they are at this migration (a later one adds its own). */
const COUNTERS = [
  'received', 'received_online', 'received_postal',
  'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late', 'resolved_same_day', 'processing_minutes',
  'stopped', 'withdrawn', 'intake_rejected',
  'returned', 'returned_postal', 'returned_electronic',
  'supplement_requests', 'apologies',
  'rated_very_satisfied', 'rated_satisfied', 'rated_not_satisfied',
  'received_with_fee', 'paid_online', 'digitised', 'reused_data', 'returned_paper_procedure', 'electronic_results',
];
const AGENCY = [column.key('level', 10), column.key('receiving_agency_code', 30), column.key('handling_agency_code', 30)];
const counters = () => [...COUNTERS.map((c) => column.int(c, { default: 0 })), column.decimal('fee_collected', 18, 0, { default: 0 })];

/**
 * Monthly and procedure-less rollups next to the daily one, filled from it: a year's report reads twelve months of
 * agencies instead of every day of every procedure.
 */
export class StatisticsGrains1765500000000 implements MigrationInterface {
  name = 'StatisticsGrains1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('dossier_monthly_statistics', [column.key('month', 7), ...AGENCY, column.key('procedure_code', 40), ...counters()],
      [{ columns: ['procedure_code', 'month'] }]));
    await queryRunner.createTable(table('agency_daily_statistics', [column.key('day', 10), ...AGENCY, ...counters()]));
    await queryRunner.createTable(table('agency_monthly_statistics', [column.key('month', 7), ...AGENCY, ...counters()]));
    const sums = [...COUNTERS, 'fee_collected'].map((c) => `SUM(${c})`).join(', ');
    const names = [...COUNTERS, 'fee_collected'].join(', ');
    const agency = 'level, receiving_agency_code, handling_agency_code';
    await queryRunner.query(`INSERT INTO dossier_monthly_statistics (month, ${agency}, procedure_code, ${names})
      SELECT SUBSTR(day, 1, 7), ${agency}, procedure_code, ${sums} FROM dossier_daily_statistics GROUP BY SUBSTR(day, 1, 7), ${agency}, procedure_code`);
    await queryRunner.query(`INSERT INTO agency_daily_statistics (day, ${agency}, ${names})
      SELECT day, ${agency}, ${sums} FROM dossier_daily_statistics GROUP BY day, ${agency}`);
    await queryRunner.query(`INSERT INTO agency_monthly_statistics (month, ${agency}, ${names})
      SELECT SUBSTR(day, 1, 7), ${agency}, ${sums} FROM dossier_daily_statistics GROUP BY SUBSTR(day, 1, 7), ${agency}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['agency_monthly_statistics', 'agency_daily_statistics', 'dossier_monthly_statistics']) await queryRunner.dropTable(name);
  }
}
