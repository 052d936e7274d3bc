import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column } from '@onestop/platform';

/** An online registration keeps the handoff it will send once an officer receives it. */
export class OnlineRegistration1765400000000 implements MigrationInterface {
  name = 'OnlineRegistration1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('dossier', new TableColumn(column.text('pending_handoff', { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('dossier', 'pending_handoff');
  }
}
