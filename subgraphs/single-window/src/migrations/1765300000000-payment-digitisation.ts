import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column } from '@onestop/platform';

const DOSSIER = [
  column.decimal('fee_due', 18, 0, { default: 0 }),
  column.boolean('paid_online', { default: false }),
  column.boolean('digitised', { default: false }),
  column.boolean('reused_data', { default: false }),
  column.boolean('paper_result', { default: true }),
  column.boolean('electronic_result', { default: false }),
];
const COUNTERS = ['received_with_fee', 'paid_online', 'digitised', 'reused_data', 'returned_paper_procedure', 'electronic_results'];

/** Online payment and digitisation, on the dossier and in the daily statistics (766 indicators 3.6, 4.1–4.3). */
export class PaymentDigitisation1765300000000 implements MigrationInterface {
  name = 'PaymentDigitisation1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('dossier', DOSSIER.map((c) => new TableColumn(c)));
    await queryRunner.addColumns('dossier_daily_statistics', COUNTERS.map((c) => new TableColumn(column.int(c, { default: 0 }))));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [...COUNTERS].reverse()) await queryRunner.dropColumn('dossier_daily_statistics', name);
    for (const c of [...DOSSIER].reverse()) await queryRunner.dropColumn('dossier', c.name);
  }
}
