import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

/** Applications in flight between the service center, business registration and tax. */
export class EnterpriseRegistration1763900000001 implements MigrationInterface {
  name = 'EnterpriseRegistration1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('enterprise_registration', [
      column.key('dossier_code', 40),
      column.string('name', 255),
      column.string('type', 30),
      column.string('address', 300),
      column.string('commune_code', 5),
      column.string('legal_representative_personal_number', 12),
      column.decimal('charter_capital', 18, 0),
      column.text('business_lines'),
      column.string('status', 20),
      column.string('enterprise_code', 14, { nullable: true }),
      column.string('reason', 1000, { nullable: true }),
      column.datetime('received_at'),
      column.datetime('decided_at', { nullable: true }),
    ], [{ columns: ['status'] }]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('enterprise_registration');
  }
}
