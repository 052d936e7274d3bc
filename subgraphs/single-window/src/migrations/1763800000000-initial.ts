import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

export class Initial1763800000000 implements MigrationInterface {
  name = 'Initial1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'administrative_unit',
        [
          column.key('code', 10),
          column.string('name', 120),
          column.string('level', 10),
          column.string('parent_code', 10, { nullable: true }),
          column.date('valid_from'),
          column.date('valid_to', { nullable: true }),
          column.string('successor_code', 10, { nullable: true }),
        ],
        [{ columns: ['parent_code'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'agency',
        [
          column.key('code', 30),
          column.string('name', 200),
          column.string('sector', 30),
          column.string('level', 10),
          column.string('administrative_unit_code', 10),
          column.boolean('receives_dossiers', { default: false }),
        ],
        [{ columns: ['administrative_unit_code'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'procedure_catalogue',
        [
          column.key('code', 40),
          column.string('name', 500),
          column.string('field_name', 120),
          column.string('handling_sector', 30),
          column.string('level', 10),
          column.decimal('processing_days', 5, 1),
          column.decimal('fee_amount', 18, 0, { default: 0 }),
          column.string('online_service', 10),
          column.string('result_form', 24),
          column.boolean('active', { default: true }),
        ],
        [{ columns: ['handling_sector'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'dossier',
        [
          column.key('code', 40),
          column.string('procedure_code', 40),
          column.string('applicant_name', 120),
          column.string('applicant_personal_number', 12, { nullable: true }),
          column.string('applicant_enterprise_code', 14, { nullable: true }),
          column.string('receiving_agency_code', 30),
          column.string('handling_agency_code', 30),
          column.string('channel', 8),
          column.string('status', 24),
          column.int('status_code'),
          column.datetime('received_at'),
          column.datetime('appointment_at', { nullable: true }),
          column.datetime('resolved_at', { nullable: true }),
          column.datetime('returned_at', { nullable: true }),
          column.string('rule_set', 20),
        ],
        [
          { columns: ['applicant_personal_number'] },
          { columns: ['applicant_enterprise_code'] },
          { columns: ['receiving_agency_code', 'received_at'] },
          { columns: ['handling_agency_code', 'status'] },
          { columns: ['procedure_code'] },
          { columns: ['status', 'appointment_at'] },
        ],
      ),
    );
    await queryRunner.createTable(
      table(
        'dossier_event',
        [
          column.increments(),
          column.string('dossier_code', 40),
          column.datetime('at'),
          column.string('action', 40),
          column.string('status', 24),
          column.int('status_code'),
          column.string('agency_code', 30, { nullable: true }),
          column.string('officer_id', 64, { nullable: true }),
          column.string('note', 500, { nullable: true }),
        ],
        [{ columns: ['dossier_code', 'at'] }],
      ),
    );
    await queryRunner.createTable(
      table('dossier_code_counter', [
        column.key('unit_code', 30),
        column.key('day', 6),
        column.int('last_sequence'),
      ]),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['dossier_code_counter', 'dossier_event', 'dossier', 'procedure_catalogue', 'agency', 'administrative_unit']) {
      await queryRunner.dropTable(name);
    }
  }
}
