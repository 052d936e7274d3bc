import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column, table } from '@onestop/platform';

/** The counters as this migration created them (later ones add their own). */
const COUNTERS = [
  'received', 'received_online', 'received_postal',
  'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late', 'resolved_same_day', 'processing_minutes',
  'stopped', 'withdrawn', 'intake_rejected',
  'returned', 'returned_postal', 'returned_electronic',
  'supplement_requests', 'apologies',
  'rated_very_satisfied', 'rated_satisfied', 'rated_not_satisfied',
];

/** The lifecycle's outcome, return, rating and level on the dossier; the daily statistics rollup. */
export class LifecycleStatistics1765000000000 implements MigrationInterface {
  name = 'LifecycleStatistics1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('dossier', [
      new TableColumn(column.string('level', 10, { default: 'PROVINCE' })),
      new TableColumn(column.int('paused_minutes', { default: 0 })),
      new TableColumn(column.int('supplement_requests', { default: 0 })),
      new TableColumn(column.datetime('apology_appointment_at', { nullable: true })),
      new TableColumn(column.datetime('finished_at', { nullable: true })),
      new TableColumn(column.string('outcome', 8, { nullable: true })),
      new TableColumn(column.string('return_channel', 12, { nullable: true })),
      new TableColumn(column.decimal('fee_collected', 18, 0, { nullable: true })),
      new TableColumn(column.string('rating', 16, { nullable: true })),
      new TableColumn(column.string('rating_reason', 500, { nullable: true })),
      new TableColumn(column.datetime('rated_at', { nullable: true })),
    ]);
    // dossiers received before this migration: the level of their handling agency
    await queryRunner.query('UPDATE dossier SET level = (SELECT a.level FROM agency a WHERE a.code = dossier.handling_agency_code) WHERE EXISTS (SELECT 1 FROM agency a WHERE a.code = dossier.handling_agency_code)');
    await queryRunner.createTable(table('dossier_daily_statistics', [
      column.key('day', 10),
      column.key('level', 10),
      column.key('receiving_agency_code', 30),
      column.key('handling_agency_code', 30),
      column.key('procedure_code', 40),
      ...COUNTERS.map((c) => column.int(c, { default: 0 })),
      column.decimal('fee_collected', 18, 0, { default: 0 }),
    ], [{ columns: ['handling_agency_code', 'day'] }, { columns: ['procedure_code', 'day'] }]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dossier_daily_statistics');
    for (const name of ['rated_at', 'rating_reason', 'rating', 'fee_collected', 'return_channel', 'outcome', 'finished_at', 'apology_appointment_at', 'supplement_requests', 'paused_minutes', 'level']) {
      await queryRunner.dropColumn('dossier', name);
    }
  }
}
