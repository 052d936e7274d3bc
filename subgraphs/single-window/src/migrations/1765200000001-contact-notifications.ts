import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column, NotificationDelivery1765200000000 } from '@onestop/platform';

/** The applicant's phone and e-mail for status notices, and the notifier's delivery record. */
export class ContactNotifications1765200000001 implements MigrationInterface {
  name = 'ContactNotifications1765200000001';
  private readonly deliveries = new NotificationDelivery1765200000000();

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('dossier', [
      new TableColumn(column.string('contact_phone', 15, { nullable: true })),
      new TableColumn(column.string('contact_email', 120, { nullable: true })),
    ]);
    await this.deliveries.up(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.deliveries.down(queryRunner);
    await queryRunner.dropColumn('dossier', 'contact_email');
    await queryRunner.dropColumn('dossier', 'contact_phone');
  }
}
