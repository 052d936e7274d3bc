import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column } from '@onestop/platform';

/** The applicant of an enterprise founding dossier: a citizen reads the application only as its applicant. */
export class RegistrationApplicant1766100000000 implements MigrationInterface {
  name = 'RegistrationApplicant1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('enterprise_registration', new TableColumn(column.string('applicant_personal_number', 12, { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('enterprise_registration', 'applicant_personal_number');
  }
}
