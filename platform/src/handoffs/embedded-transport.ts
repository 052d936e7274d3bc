import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConsumeOptions, ConsumerLag, IncomingMessage, OutgoingMessage, Subscription, Transport } from './transport';

interface Row {
  offset: number;
  topic: string;
  message_key: string | null;
  value: Buffer | null;
  headers: string;
}

/**
 * The bus of `npm start` without Kafka: an append-only log in one SQLite file that every subgraph process opens.
 * Same contract as Kafka (durable publish, per-group offsets committed after the handler), one partition per topic.
 */
export class EmbeddedTransport implements Transport {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(file: string, private readonly pollMs = 25) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bus_message (
        "offset" INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, message_key TEXT, value BLOB, headers TEXT NOT NULL, at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS bus_message_topic ON bus_message (topic, "offset");
      CREATE TABLE IF NOT EXISTS bus_offset (group_id TEXT NOT NULL, topic TEXT NOT NULL, "offset" INTEGER NOT NULL, PRIMARY KEY (group_id, topic));`);
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    const insert = this.db.prepare('INSERT INTO bus_message (topic, message_key, value, headers, at) VALUES (?, ?, ?, ?, ?)');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const m of messages) insert.run(m.topic, m.key, Buffer.from(m.value), JSON.stringify(m.headers ?? {}), now);
    })();
  }

  async ensureTopics(): Promise<void> {}

  private toIncoming(row: Row): IncomingMessage {
    return { topic: row.topic, partition: 0, offset: String(row.offset), key: row.message_key, value: row.value, headers: JSON.parse(row.headers) };
  }

  async consume(options: ConsumeOptions): Promise<Subscription> {
    const placeholders = options.topics.map(() => '?').join(',');
    const fetch = this.db.prepare(`
      SELECT m."offset", m.topic, m.message_key, m.value, m.headers FROM bus_message m
      LEFT JOIN bus_offset o ON o.group_id = ? AND o.topic = m.topic
      WHERE m.topic IN (${placeholders}) AND m."offset" > COALESCE(o."offset", 0)
      ORDER BY m."offset" LIMIT 500`);
    const commit = this.db.prepare(`INSERT INTO bus_offset (group_id, topic, "offset") VALUES (?, ?, ?)
      ON CONFLICT (group_id, topic) DO UPDATE SET "offset" = MAX("offset", excluded."offset")`);
    if (options.fromLatest) {
      const start = this.db.prepare(`INSERT INTO bus_offset (group_id, topic, "offset")
        SELECT ?, ?, COALESCE(MAX("offset"), 0) FROM bus_message WHERE topic = ? ON CONFLICT (group_id, topic) DO NOTHING`);
      for (const topic of options.topics) start.run(options.groupId, topic, topic);
    }
    let running = true;
    let timer: NodeJS.Timeout;
    const poll = async () => {
      if (!running || this.closed) return;
      let delay = this.pollMs;
      try {
        const rows = fetch.all(options.groupId, ...options.topics) as Row[];
        if (rows.length) {
          await options.handleBatch(rows.map((row) => this.toIncoming(row)));
          const last = new Map<string, number>();
          for (const row of rows) last.set(row.topic, row.offset);
          this.db.transaction(() => {
            for (const [topic, offset] of last) commit.run(options.groupId, topic, offset);
          })();
          delay = 0;
        }
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', msg: 'embedded bus batch failed; will retry', group: options.groupId, error: String(error) }));
        delay = 1000;
      }
      if (running && !this.closed) {
        this.timers.delete(timer);
        timer = setTimeout(poll, delay);
        this.timers.add(timer);
      }
    };
    timer = setTimeout(poll, 0);
    this.timers.add(timer);
    return {
      stop: async () => {
        running = false;
        clearTimeout(timer);
        this.timers.delete(timer);
      },
    };
  }

  /** The bus has one partition per topic; its position is the global offset, so the lag is counted in messages. */
  async lag(groupId: string, topics: string[]): Promise<ConsumerLag[]> {
    const count = this.db.prepare(`SELECT COUNT(*) AS n FROM bus_message m WHERE m.topic = ?
      AND m."offset" > COALESCE((SELECT o."offset" FROM bus_offset o WHERE o.group_id = ? AND o.topic = ?), 0)`);
    return topics.map((topic) => ({ topic, partition: 0, lag: Number((count.get(topic, groupId, topic) as { n: number }).n) }));
  }

  async readAll(topic: string): Promise<IncomingMessage[]> {
    const rows = this.db.prepare('SELECT "offset", topic, message_key, value, headers FROM bus_message WHERE topic = ? ORDER BY "offset"').all(topic) as Row[];
    return rows.map((row) => this.toIncoming(row));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.db.close();
  }
}
