import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { DataSource, In, IsNull } from 'typeorm';
import { OutboxMessage, RelayLease, RelayMember } from './entities';
import { Transport } from './transport';

/** Outbox rows are spread over this many buckets by message key; a bucket is published by one relay at a time. */
export const RELAY_BUCKETS = 64;

/** The bucket of a message key (the dossier code): FNV-1a of its UTF-8 bytes, mod RELAY_BUCKETS. Stable forever. */
export function relayBucket(messageKey: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(messageKey, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % RELAY_BUCKETS;
}

/** HANDOFF_RELAY_LEASE_MS: how long a relay's claim on its buckets lasts unless renewed (default 15 s, at least 1 s). */
export function relayLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HANDOFF_RELAY_LEASE_MS;
  if (raw === undefined || raw === '') return 15_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1000 || value > 600_000) throw new Error(`HANDOFF_RELAY_LEASE_MS must be an integer from 1000 to 600000 (ms), not "${raw}"`);
  return value;
}

export interface RelayedRow {
  messageId: string;
  messageKey: string;
  messageType: string;
  recipient: string;
  requestId: string | null;
}

export interface OutboxRelayOptions {
  member: string;
  dataSource: DataSource;
  transport: Transport;
  /** The lease on a bucket (HANDOFF_RELAY_LEASE_MS): renewed every third of it; a dead relay's buckets move after it. */
  leaseMs?: number;
  batchSize?: number;
  /** This relay's name in the lease table (unique per instance: a restarted relay is a new owner). */
  owner?: string;
  log?: (entry: Record<string, unknown>) => void;
  /** Told what went out, after the bus acknowledged it. */
  published?: (rows: RelayedRow[]) => void;
}

/**
 * The outbox relay. Several may run on one agency database (replicas of a subgraph): each registers in
 * handoff_relay, claims a fair share of the RELAY_BUCKETS buckets in handoff_relay_lease (free ones, or those whose
 * lease expired: a relay that died), renews its leases, and publishes only its buckets' unsent rows, in id order.
 * All the rows of a dossier share a bucket, so one relay at a time publishes them, in order. Marking rows sent is
 * fenced: only while this relay still holds the bucket's lease.
 *
 * A relay that stalls past its lease while publishing can overlap with the bucket's next owner: a row may then go out
 * twice, each copy after the dossier's earlier rows. The receiver's inbox ignores the second (sender, message id): it
 * is the last line of defence, and what keeps "exactly once" exact.
 *
 * Claims use `SELECT … FOR UPDATE SKIP LOCKED` on MySQL/MariaDB (≥ 10.6), so relays claiming together take different
 * buckets; on SQLite (one writer) the claim's conditional UPDATE in a transaction is enough. Lease times are the
 * database's clock, so relays on hosts whose clocks differ agree.
 */
export class OutboxRelay {
  readonly owner: string;
  readonly leaseMs: number;
  private held: number[] = [];
  /** Local (monotonic) time until which the held leases surely last. */
  private validUntil = 0;
  private maintainedAt = -Infinity;
  private readonly mysql: boolean;
  private readonly log: (entry: Record<string, unknown>) => void;

  constructor(private readonly options: OutboxRelayOptions) {
    this.leaseMs = options.leaseMs ?? relayLeaseMs();
    this.owner = (options.owner ?? `${options.member}@${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`).slice(0, 100);
    this.mysql = ['mysql', 'mariadb'].includes(options.dataSource.options.type);
    this.log = options.log ?? (() => undefined);
  }

  /** The buckets this relay holds, as of its last lease renewal. */
  get buckets(): number[] {
    return [...this.held];
  }

  /** The database's clock in ms since the epoch, as SQL. */
  private get now(): string {
    return this.mysql ? 'CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)' : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
  }

  /**
   * Registers this relay, renews its leases, then gives back buckets over its fair share or claims free and expired
   * ones up to it (fair share: RELAY_BUCKETS / live relays, rounded up).
   */
  async maintain(): Promise<void> {
    const started = performance.now();
    const db = this.options.dataSource;
    const alive = await db.createQueryBuilder().update(RelayMember).set({ aliveUntil: () => `${this.now} + ${this.leaseMs}` })
      .where('owner = :owner', { owner: this.owner }).execute();
    if (!alive.affected) {
      await db.query(`INSERT INTO handoff_relay (owner, alive_until) VALUES (?, ${this.now} + ${this.leaseMs})`, [this.owner]);
    }
    await db.query(`UPDATE handoff_relay_lease SET leased_until = ${this.now} + ${this.leaseMs} WHERE owner = ?`, [this.owner]);
    const [{ live }] = await db.query(`SELECT COUNT(*) AS live FROM handoff_relay WHERE alive_until > ${this.now}`);
    const share = Math.ceil(RELAY_BUCKETS / Math.max(1, Number(live)));
    let mine = await this.owned();
    if (mine.length > share) {
      const excess = mine.slice(share);
      await db.query(`UPDATE handoff_relay_lease SET owner = NULL, leased_until = 0 WHERE owner = ? AND bucket IN (${excess.map(() => '?').join(', ')})`, [this.owner, ...excess]);
      this.log({ level: 'info', msg: 'outbox relay gave back buckets over its share', owner: this.owner, buckets: excess.length, share });
      mine = mine.slice(0, share);
    } else if (mine.length < share) {
      const claimed = await this.claim(share - mine.length);
      if (claimed) {
        this.log({ level: 'info', msg: 'outbox relay claimed buckets', owner: this.owner, buckets: claimed, share });
        mine = await this.owned();
      }
    }
    // relays gone for good (stopped uncleanly long ago) leave the count
    await db.query(`DELETE FROM handoff_relay WHERE alive_until < ${this.now} - ${10 * this.leaseMs}`);
    this.held = mine;
    this.validUntil = started + this.leaseMs;
    this.maintainedAt = started;
  }

  private async owned(): Promise<number[]> {
    const rows: { bucket: number | string }[] = await this.options.dataSource.query('SELECT bucket FROM handoff_relay_lease WHERE owner = ? ORDER BY bucket', [this.owner]);
    return rows.map((row) => Number(row.bucket));
  }

  /** Takes up to `count` free or expired buckets; returns how many. */
  private async claim(count: number): Promise<number> {
    return this.options.dataSource.transaction(async (manager) => {
      const expired = `(owner IS NULL OR leased_until <= ${this.now})`;
      const candidates: { bucket: number | string }[] = await manager.query(
        `SELECT bucket FROM handoff_relay_lease WHERE ${expired} ORDER BY bucket LIMIT ${Math.trunc(count)}${this.mysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      );
      if (!candidates.length) return 0;
      const buckets = candidates.map((row) => Number(row.bucket));
      // checked again under the lock: a bucket renewed or taken meanwhile stays with its owner
      const result = await manager.createQueryBuilder().update(RelayLease)
        .set({ owner: this.owner, leasedUntil: () => `${this.now} + ${this.leaseMs}` })
        .where({ bucket: In(buckets) }).andWhere(expired).execute();
      return result.affected ?? buckets.length;
    });
  }

  /**
   * Publishes the oldest unsent rows of this relay's buckets in id order, then marks them sent while it still holds
   * their leases. Returns how many were published.
   */
  async relayOnce(): Promise<number> {
    if (performance.now() >= this.maintainedAt + this.leaseMs / 3) await this.maintain();
    // publishing must end well before the leases could lapse
    if (!this.held.length || performance.now() >= this.validUntil - this.leaseMs / 3) return 0;
    if (!(await this.anythingToRelay())) return 0;
    const repository = this.options.dataSource.getRepository(OutboxMessage);
    const rows = await repository.find({
      where: this.held.length === RELAY_BUCKETS ? { sentAt: IsNull() } : { sentAt: IsNull(), bucket: In(this.held) },
      order: { id: 'ASC' }, take: this.options.batchSize ?? 500,
    });
    if (!rows.length) return 0;
    const topics = [...new Set(rows.map((r) => r.topic))];
    await this.options.transport.ensureTopics(topics);
    await this.options.transport.publish(rows.map((row) => ({
      topic: row.topic, key: row.messageKey, value: row.envelope,
      headers: { 'x-message-id': row.messageId, 'x-sender': this.options.member, ...(row.requestId ? { 'x-request-id': row.requestId } : {}) },
    })));
    const marked = await this.options.dataSource.createQueryBuilder().update(OutboxMessage)
      .set({ sentAt: new Date(), attempts: () => 'attempts + 1' })
      .where({ id: In(rows.map((r) => r.id)) })
      .andWhere(`bucket IN (SELECT l.bucket FROM handoff_relay_lease l WHERE l.owner = :owner AND l.leased_until > ${this.now})`, { owner: this.owner })
      .execute();
    if (marked.affected !== undefined && marked.affected < rows.length) {
      // fenced: the lease went to another relay, which publishes these rows again (the receiver's inbox ignores the copies)
      this.log({ level: 'warn', msg: 'outbox relay lost its lease while publishing; the new owner republishes', owner: this.owner, published: rows.length, marked: marked.affected });
      this.maintainedAt = -Infinity;
    }
    this.options.published?.(rows);
    return rows.length;
  }

  /**
   * `SELECT 1 … WHERE sent_at IS NULL LIMIT 1` (an index lookup), built once. The relay polls every 100 ms and mostly
   * finds nothing; a TypeORM find builds its SQL through the query builder every time, which was ~5 % of the
   * subgraphs' CPU under the portal mix (none of whose requests writes to the outbox).
   */
  private pendingProbe?: string;

  private async anythingToRelay(): Promise<boolean> {
    const { dataSource } = this.options;
    if (!this.pendingProbe) {
      const metadata = dataSource.getMetadata(OutboxMessage);
      const sentAt = metadata.findColumnWithPropertyName('sentAt')!.databaseName;
      this.pendingProbe = `SELECT 1 AS pending FROM ${dataSource.driver.escape(metadata.tableName)} WHERE ${dataSource.driver.escape(sentAt)} IS NULL LIMIT 1`;
    }
    const rows: unknown[] = await dataSource.query(this.pendingProbe);
    return rows.length > 0;
  }

  /** Gives back this relay's buckets and leaves the relay count (a clean stop): others take over at once. */
  async release(): Promise<void> {
    const db = this.options.dataSource;
    if (!db.isInitialized) return;
    try {
      await db.query('UPDATE handoff_relay_lease SET owner = NULL, leased_until = 0 WHERE owner = ?', [this.owner]);
      await db.query('DELETE FROM handoff_relay WHERE owner = ?', [this.owner]);
    } catch (error) {
      // the leases lapse on their own
      this.log({ level: 'warn', msg: 'outbox relay could not give back its buckets; they move when the leases lapse', error: String(error) });
    } finally {
      this.held = [];
      this.validUntil = 0;
      this.maintainedAt = -Infinity;
    }
  }
}
