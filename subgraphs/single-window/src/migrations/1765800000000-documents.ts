import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column, table } from '@onestop/platform';

/** Dossier documents: stored content, the papers and results of each dossier, one-time uploads, procedures' papers. */
export class Documents1765800000000 implements MigrationInterface {
  name = 'Documents1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('document_content', [
      column.key('hash', 64), column.string('media_type', 40), column.int('size'), column.datetime('stored_at'),
    ]));
    await queryRunner.createTable(table('dossier_document', [
      column.increments(), column.string('dossier_code', 40), column.string('hash', 64), column.string('media_type', 40), column.int('size'),
      column.string('kind', 60), column.string('origin', 10), column.boolean('reused', { default: false }),
      column.string('owner_personal_number', 12, { nullable: true }), column.string('added_by_role', 16),
      column.string('added_by_agency', 40, { nullable: true }), column.string('added_by', 64), column.datetime('added_at'),
      column.string('issuer', 40, { nullable: true }), column.string('issuing_agency_code', 40, { nullable: true }),
      column.string('signature', 120, { nullable: true }),
    ], [{ columns: ['dossier_code'] }, { columns: ['owner_personal_number'] }, { columns: ['hash'] }]));
    await queryRunner.createTable(table('document_upload', [
      column.key('token_hash', 64), column.string('requested_by_role', 16), column.string('requested_by', 64),
      column.string('requested_by_agency', 40, { nullable: true }), column.datetime('expires_at'),
      column.string('hash', 64, { nullable: true }), column.datetime('uploaded_at', { nullable: true }),
    ], [{ columns: ['requested_by', 'hash'] }]));
    await queryRunner.addColumn('procedure_catalogue', new TableColumn(column.text('required_papers', { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('procedure_catalogue', 'required_papers');
    await queryRunner.dropTable('document_upload');
    await queryRunner.dropTable('dossier_document');
    await queryRunner.dropTable('document_content');
  }
}
