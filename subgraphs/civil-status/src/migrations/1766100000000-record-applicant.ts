import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column } from '@onestop/platform';

/** The applicant of the dossier an entry was registered through: a citizen reads a dossier's entries only as its applicant. */
export class RecordApplicant1766100000000 implements MigrationInterface {
  name = 'RecordApplicant1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('civil_status_record', new TableColumn(column.string('applicant_personal_number', 12, { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('civil_status_record', 'applicant_personal_number');
  }
}
