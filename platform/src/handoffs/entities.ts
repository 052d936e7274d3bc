import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { LargeText } from '../schema';

/** Transactional outbox: written in the same transaction as the business change, published by the relay. */
@Entity('handoff_outbox')
@Index('UQ_handoff_outbox_message_id', ['messageId'], { unique: true })
@Index('IDX_handoff_outbox_sent_at_id', ['sentAt', 'id'])
@Index('IDX_handoff_outbox_message_key', ['messageKey'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 36 })
  messageId: string;

  @Column({ type: 'varchar', length: 120 })
  topic: string;

  /** The dossier code (correlation id). */
  @Column({ type: 'varchar', length: 60 })
  messageKey: string;

  @Column({ type: 'varchar', length: 40 })
  recipient: string;

  @Column({ type: 'varchar', length: 80 })
  messageType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  officerId: string | null;

  /** Up to HANDOFF_MAX_MESSAGE_BYTES (1 MB by default): MEDIUMTEXT on MySQL/MariaDB. */
  @Column({ type: 'text' })
  @LargeText()
  envelope: string;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** The request that caused it (sent as the `x-request-id` header, for the logs); null when none did. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;
}

/** Idempotent inbox: a message id recorded in the same transaction as its effects is never applied again. */
@Entity('handoff_inbox')
@Index('IDX_handoff_inbox_correlation_id', ['correlationId'])
export class InboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  messageId: string;

  @Column({ type: 'varchar', length: 60 })
  correlationId: string;

  @Column({ type: 'varchar', length: 40 })
  sender: string;

  @Column({ type: 'varchar', length: 80 })
  messageType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  officerId: string | null;

  @Column({ type: 'datetime' })
  appliedAt: Date;
}

export enum HandoffDirection {
  SENT = 'SENT',
  RECEIVED = 'RECEIVED',
}
registerEnumType(HandoffDirection, { name: 'HandoffDirection' });

export enum HandoffOutcome {
  QUEUED = 'QUEUED',
  PUBLISHED = 'PUBLISHED',
  APPLIED = 'APPLIED',
  DUPLICATE_IGNORED = 'DUPLICATE_IGNORED',
  DEAD_LETTERED = 'DEAD_LETTERED',
  REPLAYED = 'REPLAYED',
}
registerEnumType(HandoffOutcome, { name: 'HandoffOutcome' });

/**
 * The message log, append-only. The outbox (sent) and inbox (applied) rows are the normal steps; this table holds the
 * others (duplicates ignored, dead letters, replays). The graph shows all three merged per dossier.
 */
@ObjectType({ description: 'One step of an inter-agency handoff as recorded by one agency (X-Road message log)' })
@Directive('@shareable')
@Entity('handoff_log')
@Index('IDX_handoff_log_correlation_id', ['correlationId'])
@Index('IDX_handoff_log_message_id', ['messageId'])
export class HandoffLogEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 36 })
  messageId: string;

  @Field({ description: 'The dossier code' })
  @Column({ type: 'varchar', length: 60 })
  correlationId: string;

  @Field({ description: 'The agency that recorded this step' })
  @Column({ type: 'varchar', length: 40 })
  recordedBy: string;

  @Field(() => HandoffDirection)
  @Column({ type: 'varchar', length: 10 })
  direction: HandoffDirection;

  @Field()
  @Column({ type: 'varchar', length: 40 })
  sender: string;

  @Field()
  @Column({ type: 'varchar', length: 40 })
  recipient: string;

  @Field()
  @Column({ type: 'varchar', length: 80 })
  messageType: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  officerId: string | null;

  @Field(() => HandoffOutcome)
  @Column({ type: 'varchar', length: 20 })
  outcome: HandoffOutcome;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Field()
  @Column({ type: 'datetime' })
  at: Date;
}

export const HANDOFF_ENTITIES = [OutboxMessage, InboxMessage, HandoffLogEntry];
