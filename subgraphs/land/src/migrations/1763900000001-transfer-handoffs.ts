import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column } from '@onestop/platform';

/** What the land office learns from tax about a transaction's financial obligations. */
export class TransferHandoffs1763900000001 implements MigrationInterface {
  name = 'TransferHandoffs1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('land_transaction', [
      new TableColumn(column.string('tax_notice_number', 30, { nullable: true })),
      new TableColumn(column.decimal('tax_amount', 18, 0, { nullable: true })),
      new TableColumn(column.datetime('tax_paid_at', { nullable: true })),
      new TableColumn(column.string('note', 1000, { nullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['note', 'tax_paid_at', 'tax_amount', 'tax_notice_number']) await queryRunner.dropColumn('land_transaction', name);
  }
}
