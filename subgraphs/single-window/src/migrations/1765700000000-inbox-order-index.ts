import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const INBOX_ORDER = new TableIndex({
  name: 'IDX_dossier_handling_agency_code_received_at',
  columnNames: ['handling_agency_code', 'received_at', 'code'],
});

/**
 * An agency's inbox in its own order: `dossiers(handlingAgencyCode)` newest first reads one page of the index instead
 * of sorting all the agency's dossiers for every page.
 */
export class InboxOrderIndex1765700000000 implements MigrationInterface {
  name = 'InboxOrderIndex1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('dossier', INBOX_ORDER);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('dossier', INBOX_ORDER.name!);
  }
}
