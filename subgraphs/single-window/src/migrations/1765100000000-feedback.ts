import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

/** Phản ánh, kiến nghị: citizens' feedback with its due date and answer. */
export class Feedback1765100000000 implements MigrationInterface {
  name = 'Feedback1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('feedback', [
      column.key('code', 40),
      column.string('kind', 16),
      column.string('dossier_code', 40, { nullable: true }),
      column.string('agency_code', 30),
      column.string('level', 10),
      column.string('submitter_name', 120),
      column.string('submitter_personal_number', 12, { nullable: true }),
      column.string('content', 2000),
      column.datetime('received_at'),
      column.datetime('due_at'),
      column.string('status', 10),
      column.string('answer', 2000, { nullable: true }),
      column.datetime('answered_at', { nullable: true }),
      column.string('answered_by', 64, { nullable: true }),
      column.boolean('answered_on_time', { nullable: true }),
    ], [{ columns: ['received_at'] }, { columns: ['agency_code', 'received_at'] }, { columns: ['status', 'due_at'] }, { columns: ['submitter_personal_number'] }]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('feedback');
  }
}
