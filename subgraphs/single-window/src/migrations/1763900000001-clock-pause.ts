import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column } from '@onestop/platform';

/** Dossiers pause their clock while another agency or the citizen is awaited. */
export class ClockPause1763900000001 implements MigrationInterface {
  name = 'ClockPause1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('dossier', new TableColumn(column.datetime('clock_paused_at', { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('dossier', 'clock_paused_at');
  }
}
