import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

export class Initial1763800000000 implements MigrationInterface {
  name = 'Initial1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'enterprise',
        [
          column.key('enterprise_code', 14),
          column.string('name', 255),
          column.string('foreign_name', 255, { nullable: true }),
          column.string('short_name', 100, { nullable: true }),
          column.string('type', 30),
          column.string('status', 12),
          column.string('head_office_address', 255),
          column.string('head_office_commune_code', 5),
          column.decimal('charter_capital', 18, 0, { nullable: true }),
          column.date('registered_on'),
          column.string('legal_representative_personal_number', 12),
          column.string('parent_enterprise_code', 14, { nullable: true }),
          column.string('registration_dossier_code', 40, { nullable: true }),
          column.string('phone', 20, { nullable: true }),
          column.string('email', 120, { nullable: true }),
        ],
        [
          { columns: ['legal_representative_personal_number'] },
          { columns: ['head_office_commune_code'] },
          { columns: ['parent_enterprise_code'] },
          { columns: ['registration_dossier_code'] },
          { columns: ['name'] },
        ],
      ),
    );
    await queryRunner.createTable(
      table(
        'enterprise_business_line',
        [
          column.increments(),
          column.string('enterprise_code', 14),
          column.string('vsic_code', 5),
          column.string('description', 255),
          column.boolean('is_main', { default: false }),
        ],
        [{ columns: ['enterprise_code'] }, { columns: ['vsic_code'] }],
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('enterprise_business_line');
    await queryRunner.dropTable('enterprise');
  }
}
