import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '../schema';

/** The personal data access log every subgraph keeps in its own database. */
export class PersonalDataAccessLog1764300000000 implements MigrationInterface {
  name = 'PersonalDataAccessLog1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('personal_data_access', [
      column.increments(),
      column.string('subject', 12),
      column.string('recorded_by', 40),
      column.string('action', 5),
      column.string('accessor_role', 16),
      column.string('accessor_agency', 40, { nullable: true }),
      column.string('accessor', 64),
      column.string('fields', 500),
      column.string('request_id', 64),
      column.datetime('at'),
    ], [{ columns: ['subject', 'at'] }]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('personal_data_access');
  }
}
