import { afterAll, describe, expect, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, IsNull, Not } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../config';
import { dropMysqlDatabase, openDatabase } from '../database';
import { describeWith, mysqlTestUrl, runId, tempDir } from '../testing';
import { EmbeddedTransport } from './embedded-transport';
import { HANDOFF_ENTITIES, OutboxMessage, RelayLease } from './entities';
import { fastInsert } from './fast-insert';
import { HANDOFF_MIGRATIONS } from './migration';
import { OutboxRelay, RELAY_BUCKETS, relayBucket, relayLeaseMs } from './relay';
import { OutgoingMessage, Transport } from './transport';

const dir = tempDir('relays');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TOPIC = 'relay-test.single-window';

test('the bucket of a key is stable, spreads keys over every bucket, and HANDOFF_RELAY_LEASE_MS is checked', () => {
  // pinned: rows already in a database carry these numbers
  expect([relayBucket(''), relayBucket('a')]).toEqual([0x811c9dc5 % 64, 0xe40c292c % 64]);
  const used = new Set(Array.from({ length: 2000 }, (_, i) => relayBucket(`000.00.31.H99-260701-${String(i).padStart(4, '0')}`)));
  expect(used.size).toBe(RELAY_BUCKETS);
  expect(relayLeaseMs({})).toBe(15_000);
  expect(relayLeaseMs({ HANDOFF_RELAY_LEASE_MS: '4000' })).toBe(4000);
  for (const bad of ['10', 'soon', '1.5', '9999999']) expect(() => relayLeaseMs({ HANDOFF_RELAY_LEASE_MS: bad })).toThrow(/HANDOFF_RELAY_LEASE_MS/);
});

test('the migration puts the unsent rows already queued in their buckets', async () => {
  const file = path.join(dir, 'backfill.sqlite');
  const before = await openDatabase({ config: { kind: 'sqlite', file }, entities: [], migrations: HANDOFF_MIGRATIONS.slice(0, -1) });
  const insert = 'INSERT INTO handoff_outbox (message_id, topic, message_key, recipient, message_type, envelope, created_at, sent_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)';
  for (let i = 0; i < 30; i++) {
    await before.dataSource.query(insert, [`m-${i}`, TOPIC, `K-${i}`, 'single-window', 't', '{}', '2026-01-01 00:00:00', i < 5 ? '2026-01-01 00:00:01' : null]);
  }
  await before.dataSource.destroy();
  const after = await openDatabase({ config: { kind: 'sqlite', file }, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  try {
    const rows = await after.dataSource.getRepository(OutboxMessage).find({ where: { sentAt: IsNull() } });
    expect(rows).toHaveLength(25);
    for (const row of rows) expect(row.bucket).toBe(relayBucket(row.messageKey));
    expect(await after.dataSource.getRepository(RelayLease).count({ where: { owner: IsNull() } })).toBe(RELAY_BUCKETS);
  } finally {
    await after.dataSource.destroy();
  }
});

/** A bus that records what was published, and can run something while a publish is in flight. */
class RecordingTransport implements Transport {
  readonly kind = 'embedded' as const;
  duringPublish?: () => Promise<void>;
  constructor(private readonly bus: EmbeddedTransport, readonly name: string) {}
  async publish(messages: OutgoingMessage[]): Promise<void> {
    const hook = this.duringPublish;
    this.duringPublish = undefined;
    await hook?.();
    await this.bus.publish(messages.map((m) => ({ ...m, headers: { ...m.headers, 'x-relay': this.name } })));
  }
  consume = this.bus.consume.bind(this.bus);
  ensureTopics = this.bus.ensureTopics.bind(this.bus);
  readAll = this.bus.readAll.bind(this.bus);
  async close(): Promise<void> {}
}

/** The message ids on the bus in publish order, and which relay published each. */
async function wire(bus: EmbeddedTransport): Promise<{ id: string; key: string; relay: string }[]> {
  return (await bus.readAll(TOPIC)).map((m) => ({ id: m.headers['x-message-id'], key: m.key!, relay: m.headers['x-relay'] }));
}

/** Every id once, or at most `copies` times; the first copies of a key's messages in the order they were queued. */
function assertDelivery(published: { id: string; key: string }[], queued: { id: string; key: string }[], copies = 1) {
  const counts = new Map<string, number>();
  for (const { id } of published) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const { id } of queued) {
    assert.ok((counts.get(id) ?? 0) >= 1, `${id} never published`);
    assert.ok(counts.get(id)! <= copies, `${id} published ${counts.get(id)} times`);
  }
  assert.equal(counts.size, queued.length, 'nothing else published');
  const position = new Map<string, number>();
  published.forEach(({ id }, index) => { if (!position.has(id)) position.set(id, index); });
  const perKey = new Map<string, number[]>();
  for (const { id, key } of queued) perKey.set(key, [...(perKey.get(key) ?? []), position.get(id)!]);
  for (const [key, positions] of perKey) assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `order of ${key}`);
}

function relaysSuite(kind: 'sqlite' | 'mysql') {
  let seq = 0;
  const config = (): DatabaseConfig => kind === 'sqlite'
    ? { kind: 'sqlite', file: path.join(dir, `relays-${seq}.sqlite`) }
    : databaseConfig('relays', { DB_URL: mysqlTestUrl(), DB_PREFIX: `relays${seq}_${runId()}` });

  /** One database and `count` relays, each with its own connection (as separate processes would have). */
  async function setUp(count: number, leaseMs: number) {
    seq++;
    const cfg = config();
    const sources: DataSource[] = [];
    for (let i = 0; i <= count; i++) sources.push((await openDatabase({ config: cfg, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS })).dataSource);
    const bus = new EmbeddedTransport(path.join(dir, `bus-${kind}-${seq}.sqlite`), 5);
    const transports = sources.slice(1).map((_, i) => new RecordingTransport(bus, `r${i}`));
    const relays = transports.map((transport, i) => new OutboxRelay({ member: 'land', dataSource: sources[i + 1], transport, leaseMs, batchSize: 50, owner: `r${i}` }));
    const queued: { id: string; key: string }[] = [];
    /** Queues `n` rows over `keys` dossiers, as HandoffNode.send does (bucket by key), in small transactions. */
    const queue = async (n: number, keys: number) => {
      for (let i = 0; i < n; i += 10) {
        const rows = Array.from({ length: Math.min(10, n - i) }, (_, j) => {
          const index = queued.length + j;
          const key = `000.00.31.H99-260701-${String(index % keys).padStart(4, '0')}`;
          return { messageId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, topic: TOPIC, messageKey: key, recipient: 'single-window', messageType: 't',
            officerId: null, envelope: '{}', createdAt: new Date(), sentAt: null, attempts: 0, requestId: null, bucket: relayBucket(key) };
        });
        await sources[0].transaction((manager) => fastInsert(manager, OutboxMessage, rows));
        queued.push(...rows.map((r) => ({ id: r.messageId, key: r.messageKey })));
      }
    };
    const unsent = () => sources[0].getRepository(OutboxMessage).count({ where: { sentAt: IsNull() } });
    const tearDown = async () => {
      for (const source of sources) await source.destroy();
      await bus.close();
      if (cfg.kind === 'mysql') await dropMysqlDatabase(cfg);
    };
    return { sources, bus, transports, relays, queue, queued, unsent, tearDown };
  }

  /** Runs relays until the outbox is empty (or `until` says stop). */
  async function drain(relays: OutboxRelay[], unsent: () => Promise<number>, until = async () => (await unsent()) === 0) {
    const deadline = Date.now() + 60_000;
    let done = false;
    await Promise.all(relays.map(async (relay) => {
      while (!done && Date.now() < deadline) {
        if ((await relay.relayOnce()) === 0) {
          if (await until()) done = true;
          else await sleep(10);
        }
      }
    }));
    assert.ok(done, 'relays finished in time');
  }

  test('three relays share the buckets fairly, and publish every row exactly once, each dossier in order, while rows keep coming', async () => {
    const { relays, queue, queued, unsent, bus, tearDown } = await setUp(3, 10_000);
    try {
      // the first takes all; once it sees three relays alive it gives back down to its share, the others claim theirs
      for (const relay of [...relays, ...relays]) await relay.maintain();
      const held = relays.map((r) => r.buckets);
      expect(held.map((b) => b.length)).toEqual([22, 22, 20]);
      expect(new Set(held.flat()).size).toBe(RELAY_BUCKETS);
      let writing = true;
      const writer = (async () => {
        for (let round = 0; round < 6; round++) {
          await queue(100, 120);
          await sleep(20);
        }
        writing = false;
      })();
      await drain(relays, unsent, async () => !writing && (await unsent()) === 0);
      await writer;
      expect(await unsent()).toBe(0);
      const published = await wire(bus);
      assertDelivery(published, queued);
      // each relay published rows of its own buckets only
      for (const [i, relay] of relays.entries()) {
        const mine = published.filter((m) => m.relay === `r${i}`);
        expect(mine.length).toBeGreaterThan(0);
        for (const m of mine) expect(relay.buckets).toContain(relayBucket(m.key));
      }
    } finally {
      await tearDown();
    }
  }, 90_000);

  test('a relay killed without giving back its buckets: the other takes them over once the leases lapse, and nothing is published twice', async () => {
    const leaseMs = 3000;
    const { relays: [killed, survivor], queue, queued, unsent, bus, tearDown } = await setUp(2, leaseMs);
    try {
      for (const relay of [killed, survivor]) await relay.maintain();
      // the killed relay's last renewal is no earlier than this: its buckets may move only a lease later
      const renewed = Date.now();
      for (const relay of [killed, survivor]) await relay.maintain();
      expect([killed.buckets.length, survivor.buckets.length]).toEqual([32, 32]);
      await queue(300, 90);
      // the killed relay published one batch, then died without giving its buckets back
      expect(await killed.relayOnce()).toBe(50);
      // the survivor publishes its own buckets only, while the dead relay's leases last
      while ((await survivor.relayOnce()) > 0);
      const orphaned = await unsent();
      expect(orphaned).toBeGreaterThan(0);
      const left = await bus.readAll(TOPIC);
      for (const m of left.filter((x) => x.headers['x-relay'] === 'r1')) expect(survivor.buckets).toContain(relayBucket(m.key!));
      await drain([survivor], unsent);
      expect(Date.now() - renewed).toBeGreaterThanOrEqual(leaseMs - 50);
      expect(survivor.buckets).toHaveLength(RELAY_BUCKETS);
      assertDelivery(await wire(bus), queued);
    } finally {
      await tearDown();
    }
  }, 60_000);

  test('fencing: a relay that stalled past its lease cannot mark its rows sent, and publishes nothing more; the new owner publishes them again', async () => {
    const { sources, relays: [stalled, next], transports, queue, queued, unsent, bus, tearDown } = await setUp(2, 3000);
    try {
      await stalled.maintain();
      expect(stalled.buckets).toHaveLength(RELAY_BUCKETS);
      await queue(40, 15);
      // while its publish is in flight, the stalled relay's leases and registration lapse, and the next relay takes over
      transports[0].duringPublish = async () => {
        await sources[0].query('UPDATE handoff_relay_lease SET leased_until = 0');
        await sources[0].query("UPDATE handoff_relay SET alive_until = 0 WHERE owner = 'r0'");
        await next.maintain();
        expect(next.buckets).toHaveLength(RELAY_BUCKETS);
      };
      expect(await stalled.relayOnce()).toBe(40);
      expect(await unsent()).toBe(40);
      expect(await sources[0].getRepository(OutboxMessage).count({ where: { sentAt: Not(IsNull()) } })).toBe(0);
      expect(await stalled.relayOnce()).toBe(0);
      expect(stalled.buckets).toEqual([]);
      expect(await next.relayOnce()).toBe(40);
      expect(await unsent()).toBe(0);
      const published = await wire(bus);
      expect(published).toHaveLength(80);
      // every row twice (the receiver's inbox applies the first copy only); first copies in each dossier's order
      assertDelivery(published, queued, 2);
      expect(published.slice(40).every((m) => m.relay === 'r1')).toBe(true);
      // a relay that stops cleanly gives its buckets back at once
      await next.release();
      expect(await sources[0].getRepository(RelayLease).count({ where: { owner: IsNull() } })).toBe(RELAY_BUCKETS);
    } finally {
      await tearDown();
    }
  }, 60_000);
}

describe('outbox relays on SQLite', () => relaysSuite('sqlite'));
describeWith(['mysql'], 'outbox relays on MariaDB', () => relaysSuite('mysql'));
