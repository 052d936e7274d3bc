import { Column, Entity, Index, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import { column, table } from '../schema';

/** One notice sent (or not) for a notification message: the record that makes the notifier send each once. */
@Entity('notification_delivery')
@Index('IDX_notification_delivery_reference_at', ['reference', 'at'])
export class NotificationDelivery {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  messageId: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  medium: string;

  @Column({ type: 'varchar', length: 60 })
  reference: string;

  /** SENT, FAILED (after the retries, with the error) or NO_CONTACT (nobody to tell). */
  @Column({ type: 'varchar', length: 12 })
  outcome: string;

  @Column({ type: 'varchar', length: 40 })
  sender: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ type: 'datetime' })
  at: Date;
}

export class NotificationDelivery1765200000000 implements MigrationInterface {
  name = 'NotificationDelivery1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('notification_delivery', [
      column.key('message_id', 36),
      column.key('medium', 8),
      column.string('reference', 60),
      column.string('outcome', 12),
      column.string('sender', 40),
      column.string('error', 500, { nullable: true }),
      column.datetime('at'),
    ], [{ columns: ['reference', 'at'] }]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_delivery');
  }
}
