import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { column, table } from '../schema';
import { RELAY_BUCKETS, relayBucket } from './relay';

/** The outbox, inbox and message log every subgraph keeps in its own database. */
export class HandoffTables1763900000000 implements MigrationInterface {
  name = 'HandoffTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('handoff_outbox', [
      column.increments(),
      column.string('message_id', 36),
      column.string('topic', 120),
      column.string('message_key', 60),
      column.string('recipient', 40),
      column.string('message_type', 80),
      column.string('officer_id', 64, { nullable: true }),
      column.text('envelope'),
      column.datetime('created_at'),
      column.datetime('sent_at', { nullable: true }),
      column.int('attempts', { default: 0 }),
    ], [
      { columns: ['message_id'], unique: true },
      { columns: ['sent_at', 'id'] },
      { columns: ['message_key'] },
    ]));
    await queryRunner.createTable(table('handoff_inbox', [
      column.key('message_id', 36),
      column.string('correlation_id', 60),
      column.string('sender', 40),
      column.string('message_type', 80),
      column.string('officer_id', 64, { nullable: true }),
      column.datetime('applied_at'),
    ], [{ columns: ['correlation_id'] }]));
    await queryRunner.createTable(table('handoff_log', [
      column.increments(),
      column.string('message_id', 36),
      column.string('correlation_id', 60),
      column.string('recorded_by', 40),
      column.string('direction', 10),
      column.string('sender', 40),
      column.string('recipient', 40),
      column.string('message_type', 80),
      column.string('officer_id', 64, { nullable: true }),
      column.string('outcome', 20),
      column.string('reason', 500, { nullable: true }),
      column.datetime('at'),
    ], [
      { columns: ['correlation_id'] },
      { columns: ['message_id'] },
    ]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('handoff_log');
    await queryRunner.dropTable('handoff_inbox');
    await queryRunner.dropTable('handoff_outbox');
  }
}

/** The request id of each outbox row, published as the `x-request-id` header (one request id end to end in the logs). */
export class HandoffOutboxRequestId1764800000000 implements MigrationInterface {
  name = 'HandoffOutboxRequestId1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('handoff_outbox', new TableColumn(column.string('request_id', 128, { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('handoff_outbox', 'request_id');
  }
}

/**
 * The inbox keyed by (message id, sender): one sender cannot shadow another's message id. Dead letters that hold a
 * dossier, the messages held behind them, and the log of refused messages (outside any dossier's message log).
 */
export class HandoffDeadLettersHeldRefused1766100000000 implements MigrationInterface {
  name = 'HandoffDeadLettersHeldRefused1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rebuildInbox(queryRunner, true);
    await queryRunner.createTable(table('handoff_dead_letter', [
      column.increments(),
      column.string('sender', 40),
      column.string('message_id', 36),
      column.string('correlation_id', 60),
      column.string('message_type', 80),
      column.string('reason', 500),
      column.string('status', 12),
      column.datetime('dead_lettered_at'),
      column.datetime('resolved_at', { nullable: true }),
      column.string('resolved_by', 64, { nullable: true }),
      column.string('resolution', 500, { nullable: true }),
    ], [
      { columns: ['sender', 'message_id'], unique: true },
      { columns: ['correlation_id', 'status'] },
    ]));
    await queryRunner.createTable(table('handoff_held', [
      column.increments(),
      column.string('sender', 40),
      column.string('message_id', 36),
      column.string('correlation_id', 60),
      column.string('message_type', 80),
      column.text('envelope'),
      column.string('request_id', 128, { nullable: true }),
      column.string('topic', 120),
      column.int('partition'),
      column.string('offset', 20),
      column.datetime('held_at'),
    ], [
      { columns: ['sender', 'message_id'], unique: true },
      { columns: ['correlation_id'] },
    ]));
    await queryRunner.createTable(table('handoff_refused', [
      column.increments(),
      column.string('message_id', 36, { nullable: true }),
      column.string('sender', 40, { nullable: true }),
      column.string('correlation_id', 60, { nullable: true }),
      column.string('message_type', 80, { nullable: true }),
      column.string('reason', 500),
      column.boolean('signed'),
      column.string('topic', 120),
      column.int('partition'),
      column.string('offset', 20),
      column.datetime('refused_at'),
    ], [{ columns: ['refused_at'] }]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('handoff_refused');
    await queryRunner.dropTable('handoff_held');
    await queryRunner.dropTable('handoff_dead_letter');
    await rebuildInbox(queryRunner, false);
  }
}

/** Copies the inbox into a table keyed by (message_id, sender), or by message_id alone: the same on SQLite and MariaDB. */
async function rebuildInbox(queryRunner: QueryRunner, withSender: boolean): Promise<void> {
  await queryRunner.dropIndex('handoff_inbox', 'IDX_handoff_inbox_correlation_id');
  await queryRunner.renameTable('handoff_inbox', 'handoff_inbox_old');
  await queryRunner.createTable(table('handoff_inbox', [
    column.key('message_id', 36),
    column.string('correlation_id', 60),
    withSender ? column.key('sender', 40) : column.string('sender', 40),
    column.string('message_type', 80),
    column.string('officer_id', 64, { nullable: true }),
    column.datetime('applied_at'),
  ], [{ columns: ['correlation_id'] }]));
  const columns = 'message_id, correlation_id, sender, message_type, officer_id, applied_at';
  await queryRunner.query(`INSERT INTO handoff_inbox (${columns}) SELECT ${columns} FROM handoff_inbox_old`);
  await queryRunner.dropTable('handoff_inbox_old');
}

/** Outbox and held envelopes up to the largest message allowed (HANDOFF_MAX_MESSAGE_BYTES): MySQL's TEXT stops at 64 KB. */
export class HandoffOutboxLargeEnvelope1766200000000 implements MigrationInterface {
  name = 'HandoffOutboxLargeEnvelope1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!isMysql(queryRunner)) return;
    for (const table of ['handoff_outbox', 'handoff_held']) await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`envelope\` MEDIUMTEXT NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!isMysql(queryRunner)) return;
    for (const table of ['handoff_outbox', 'handoff_held']) await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`envelope\` TEXT NOT NULL`);
  }
}

function isMysql(queryRunner: QueryRunner): boolean {
  return ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
}

/**
 * Several outbox relays per database: each outbox row's bucket (by message key), the lease of each bucket (which relay
 * publishes it, until when) and the relays alive. Unsent rows get their bucket here; sent ones keep 0 (never read again).
 */
export class HandoffRelayLeases1766300000000 implements MigrationInterface {
  name = 'HandoffRelayLeases1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('handoff_outbox', new TableColumn(column.int('bucket', { default: 0 })));
    const unsent: { id: number; message_key: string }[] = await queryRunner.query('SELECT id, message_key FROM handoff_outbox WHERE sent_at IS NULL');
    const byBucket = new Map<number, number[]>();
    for (const row of unsent) {
      const bucket = relayBucket(row.message_key);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), Number(row.id)]);
    }
    for (const [bucket, ids] of byBucket) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        await queryRunner.query(`UPDATE handoff_outbox SET bucket = ? WHERE id IN (${chunk.map(() => '?').join(', ')})`, [bucket, ...chunk]);
      }
    }
    await queryRunner.createTable(table('handoff_relay_lease', [
      { ...column.int('bucket'), isPrimary: true },
      column.string('owner', 100, { nullable: true }),
      column.bigint('leased_until', { default: 0 }),
    ]));
    const buckets = Array.from({ length: RELAY_BUCKETS }, (_, bucket) => bucket);
    await queryRunner.query(`INSERT INTO handoff_relay_lease (bucket, owner, leased_until) VALUES ${buckets.map(() => '(?, NULL, 0)').join(', ')}`, buckets);
    await queryRunner.createTable(table('handoff_relay', [
      column.key('owner', 100),
      column.bigint('alive_until'),
    ]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('handoff_relay');
    await queryRunner.dropTable('handoff_relay_lease');
    await queryRunner.dropColumn('handoff_outbox', 'bucket');
  }
}

/** What a member's database needs for handoffs (subgraphs add theirs; the partner stand-ins and benches use these). */
export const HANDOFF_MIGRATIONS = [
  HandoffTables1763900000000, HandoffOutboxRequestId1764800000000, HandoffDeadLettersHeldRefused1766100000000, HandoffOutboxLargeEnvelope1766200000000,
  HandoffRelayLeases1766300000000,
];
