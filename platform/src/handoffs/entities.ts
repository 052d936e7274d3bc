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

  /** relayBucket(messageKey): the rows of a dossier share a bucket, published by one relay at a time. */
  @Column({ type: 'integer', default: 0 })
  bucket: number;
}

/** Which relay publishes each outbox bucket, until when (ms since the epoch, the database's clock). */
@Entity('handoff_relay_lease')
export class RelayLease {
  @PrimaryColumn({ type: 'integer' })
  bucket: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  owner: string | null;

  @Column({ type: 'bigint', default: 0 })
  leasedUntil: string;
}

/** The outbox relays running on this database (each renews its row): their count sets each one's fair share of buckets. */
@Entity('handoff_relay')
export class RelayMember {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  owner: string;

  @Column({ type: 'bigint' })
  aliveUntil: string;
}

/**
 * Idempotent inbox: a (sender, message id) recorded in the same transaction as its effects is never applied again.
 * The sender is part of the key: one sender cannot shadow another's message by reusing its id.
 */
@Entity('handoff_inbox')
@Index('IDX_handoff_inbox_correlation_id', ['correlationId'])
export class InboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  messageId: string;

  @Column({ type: 'varchar', length: 60 })
  correlationId: string;

  @PrimaryColumn({ type: 'varchar', length: 40 })
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
  /** Received while an earlier message of the dossier is dead-lettered: applied once that one is replayed or discarded. */
  HELD = 'HELD',
  /** A dead letter an operator marked as handled without applying it (who in officerId, why in reason). */
  DISCARDED = 'DISCARDED',
  /** The recipient refused a message we sent (its signed handoff.refused), with its reason. */
  REFUSED = 'REFUSED',
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

export enum DeadLetterStatus {
  /** Later messages of the dossier are held until it is replayed (and applied) or discarded. */
  OPEN = 'OPEN',
  APPLIED = 'APPLIED',
  DISCARDED = 'DISCARDED',
}

/** The columns that name a verified message: who sent it, its id, its dossier and its type. */
abstract class VerifiedMessageRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 40 })
  sender: string;

  @Column({ type: 'varchar', length: 36 })
  messageId: string;

  @Column({ type: 'varchar', length: 60 })
  correlationId: string;

  @Column({ type: 'varchar', length: 80 })
  messageType: string;
}

/**
 * Verified messages this member dead-lettered (rejected, or failed past the retry window), one row per (sender,
 * message id): while one is OPEN its dossier's later messages are held, so a dossier's messages apply in order.
 */
@Entity('handoff_dead_letter')
@Index('UQ_handoff_dead_letter_sender_message_id', ['sender', 'messageId'], { unique: true })
@Index('IDX_handoff_dead_letter_correlation_id_status', ['correlationId', 'status'])
export class DeadLetterRecord extends VerifiedMessageRow {
  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 12 })
  status: DeadLetterStatus;

  @Column({ type: 'datetime' })
  deadLetteredAt: Date;

  @Column({ type: 'datetime', nullable: true })
  resolvedAt: Date | null;

  /** The operator who discarded it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  resolution: string | null;
}

/** Verified messages waiting, in arrival order (id), for an earlier dead letter of their dossier to be resolved. */
@Entity('handoff_held')
@Index('UQ_handoff_held_sender_message_id', ['sender', 'messageId'], { unique: true })
@Index('IDX_handoff_held_correlation_id', ['correlationId'])
export class HeldMessage extends VerifiedMessageRow {
  /** The record value as received (verified). */
  @Column({ type: 'text' })
  @LargeText()
  envelope: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 120 })
  topic: string;

  @Column({ type: 'integer' })
  partition: number;

  @Column({ type: 'varchar', length: 20 })
  offset: string;

  @Column({ type: 'datetime' })
  heldAt: Date;
}

/**
 * Messages that failed verification (malformed, forged, misaddressed, unauthorised, schema-invalid, stale): kept here
 * for the operators, never in a dossier's message log, where only verified senders' messages belong.
 */
@Entity('handoff_refused')
@Index('IDX_handoff_refused_refused_at', ['refusedAt'])
export class RefusedMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** As the message claims them: only `signed` rows are proven to come from `sender`. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  messageId: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  sender: string | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  correlationId: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  messageType: string | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  /** The signature verified under the sender's key (the sender was sent a handoff.refused). */
  @Column({ type: 'boolean' })
  signed: boolean;

  @Column({ type: 'varchar', length: 120 })
  topic: string;

  @Column({ type: 'integer' })
  partition: number;

  @Column({ type: 'varchar', length: 20 })
  offset: string;

  @Column({ type: 'datetime' })
  refusedAt: Date;
}

export const HANDOFF_ENTITIES = [OutboxMessage, InboxMessage, HandoffLogEntry, DeadLetterRecord, HeldMessage, RefusedMessage, RelayLease, RelayMember];
