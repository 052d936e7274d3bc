import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

export class Initial1763800000000 implements MigrationInterface {
  name = 'Initial1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'land_parcel',
        [
          column.key('id', 24),
          column.string('commune_code', 5),
          column.int('map_sheet_number'),
          column.int('parcel_number'),
          column.decimal('area', 12, 1),
          column.string('use_purpose', 10),
          column.date('use_term_until', { nullable: true }),
          column.string('origin', 255),
          column.string('address', 255),
        ],
        [
          { columns: ['commune_code', 'map_sheet_number', 'parcel_number'], unique: true, name: 'UQ_land_parcel_sheet_parcel' },
          { columns: ['commune_code'] },
        ],
      ),
    );
    await queryRunner.createTable(
      table(
        'land_use_right',
        [
          column.increments(),
          column.string('parcel_id', 24),
          column.string('holder_personal_number', 12, { nullable: true }),
          column.string('holder_enterprise_code', 14, { nullable: true }),
          column.decimal('share_percent', 5, 2),
          column.string('certificate_serial', 20),
          column.string('certificate_register_number', 20),
          column.date('issued_on'),
          column.date('ended_on', { nullable: true }),
          column.string('status', 10),
        ],
        [{ columns: ['parcel_id'] }, { columns: ['holder_personal_number'] }, { columns: ['holder_enterprise_code'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'land_transaction',
        [
          column.increments(),
          column.string('dossier_code', 40),
          column.string('parcel_id', 24),
          column.string('type', 20),
          column.string('transferor_personal_number', 12, { nullable: true }),
          column.string('transferee_personal_number', 12, { nullable: true }),
          column.decimal('contract_value', 18, 0, { nullable: true }),
          column.string('status', 32),
          column.datetime('submitted_at'),
          column.datetime('completed_at', { nullable: true }),
        ],
        [{ columns: ['dossier_code'], unique: true }, { columns: ['parcel_id'] }],
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['land_transaction', 'land_use_right', 'land_parcel']) await queryRunner.dropTable(name);
  }
}
