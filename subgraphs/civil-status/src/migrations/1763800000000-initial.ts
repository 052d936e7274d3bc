import { MigrationInterface, QueryRunner } from 'typeorm';
import { column, table } from '@onestop/platform';

export class Initial1763800000000 implements MigrationInterface {
  name = 'Initial1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'citizen',
        [
          column.key('personal_number', 12),
          column.string('full_name', 120),
          column.date('birth_date'),
          column.string('sex', 6),
          column.string('ethnicity', 40, { default: 'Kinh' }),
          column.string('nationality', 2, { default: 'VN' }),
          column.string('place_of_origin', 200),
          column.string('permanent_address', 255),
          column.string('residence_commune_code', 5),
          column.string('father_personal_number', 12, { nullable: true }),
          column.string('mother_personal_number', 12, { nullable: true }),
          column.date('death_date', { nullable: true }),
        ],
        [{ columns: ['residence_commune_code'] }, { columns: ['full_name'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'civil_status_record',
        [
          column.increments(),
          column.string('type', 10),
          column.string('book_number', 20),
          column.int('entry_number'),
          column.date('registered_on'),
          column.string('registering_unit_code', 20),
          column.string('subject_personal_number', 12),
          column.string('second_personal_number', 12, { nullable: true }),
          column.string('dossier_code', 40, { nullable: true }),
          column.string('note', 500, { nullable: true }),
        ],
        [
          { columns: ['subject_personal_number'] },
          { columns: ['second_personal_number'] },
          { columns: ['dossier_code'] },
          { columns: ['registering_unit_code', 'book_number', 'entry_number'], unique: true, name: 'UQ_civil_status_record_book_entry' },
        ],
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('civil_status_record');
    await queryRunner.dropTable('citizen');
  }
}
