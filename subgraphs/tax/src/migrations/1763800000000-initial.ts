import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

export class Initial1763800000000 implements MigrationInterface {
  name = 'Initial1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'tax_obligation',
        [
          column.increments(),
          column.string('taxpayer_personal_number', 12, { nullable: true }),
          column.string('taxpayer_enterprise_code', 14, { nullable: true }),
          column.string('parcel_id', 24, { nullable: true }),
          column.string('dossier_code', 40, { nullable: true }),
          column.int('notice_id', { nullable: true }),
          column.string('kind', 30),
          column.string('period', 7),
          column.decimal('amount', 18, 0),
          column.date('due_date'),
          column.string('status', 8),
        ],
        [
          { columns: ['taxpayer_personal_number'] },
          { columns: ['taxpayer_enterprise_code'] },
          { columns: ['parcel_id'] },
          { columns: ['dossier_code'] },
          { columns: ['notice_id'] },
        ],
      ),
    );
    await queryRunner.createTable(
      table(
        'tax_notice',
        [
          column.increments(),
          column.string('notice_number', 30),
          column.string('dossier_code', 40, { nullable: true }),
          column.string('taxpayer_personal_number', 12, { nullable: true }),
          column.string('taxpayer_enterprise_code', 14, { nullable: true }),
          column.string('tax_office_code', 10),
          column.date('issued_on'),
          column.date('due_date'),
          column.string('treasury_account', 30),
          column.string('payment_reference', 40),
        ],
        [{ columns: ['notice_number'], unique: true }, { columns: ['dossier_code'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'tax_payment',
        [
          column.increments(),
          column.int('obligation_id'),
          column.string('receipt_number', 30),
          column.decimal('amount', 18, 0),
          column.datetime('paid_at'),
          column.string('channel', 32),
        ],
        [{ columns: ['obligation_id'] }, { columns: ['receipt_number'], unique: true }],
      ),
    );
    await queryRunner.createTable(
      table('tax_profile', [
        column.key('enterprise_code', 14),
        column.string('tax_office_code', 10),
        column.string('managing_tax_office', 150),
        column.date('registered_on'),
        column.string('status', 10),
      ]),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['tax_profile', 'tax_payment', 'tax_notice', 'tax_obligation']) await queryRunner.dropTable(name);
  }
}
