import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column } from '@onestop/platform';

/** The agency handling a land transaction, so that only its officers act on it. */
export class TransactionAgency1766000000000 implements MigrationInterface {
  name = 'TransactionAgency1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('land_transaction', new TableColumn(column.string('handling_agency_code', 30, { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('land_transaction', 'handling_agency_code');
  }
}
