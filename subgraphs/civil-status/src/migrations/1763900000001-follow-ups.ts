import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

/** Partner agencies' answers to births and deaths (liên thông with police and social insurance). */
export class FollowUps1763900000001 implements MigrationInterface {
  name = 'FollowUps1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('civil_status_follow_up', [
      column.increments(),
      column.int('record_id'),
      column.string('agency', 40),
      column.string('result', 80),
      column.string('reference', 40, { nullable: true }),
      column.datetime('at'),
    ], [{ columns: ['record_id', 'agency'], unique: true }]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('civil_status_follow_up');
  }
}
