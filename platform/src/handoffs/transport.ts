/** What the outbox relay and the inbox need from a message bus: Kafka in production, an embedded log locally. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface ConsumeOptions {
  groupId: string;
  topics: string[];
  /** A new group starts at the end of the topics (live events only) instead of their beginning. */
  fromLatest?: boolean;
  /**
   * Offsets are committed only after this resolves; if it throws, the batch is delivered again. `heartbeat` tells the
   * bus the consumer is alive during a long batch (Kafka's eachBatch heartbeat; nothing on the embedded bus).
   */
  handleBatch(messages: IncomingMessage[], heartbeat?: () => Promise<void>): Promise<void>;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface Transport {
  readonly kind: 'kafka' | 'embedded';
  /** Resolves once the bus has durably accepted every message (Kafka: acks = all). */
  publish(messages: OutgoingMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Subscription>;
  ensureTopics(topics: string[]): Promise<void>;
  /** Every message on a topic from its beginning: dead-letter inspection and replay. */
  readAll(topic: string): Promise<IncomingMessage[]>;
  /** Messages a consumer group has not committed yet, per topic and partition (metrics; collected on scrape). */
  lag?(groupId: string, topics: string[]): Promise<ConsumerLag[]>;
  close(): Promise<void>;
}

export interface ConsumerLag {
  topic: string;
  partition: number;
  /** Kafka: the partition's end offset minus the group's committed offset; embedded bus: messages after its offset. */
  lag: number;
}

export function headersToStrings(headers: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    result[name] = Array.isArray(value) ? String(value[0]) : Buffer.isBuffer(value) ? value.toString() : String(value);
  }
  return result;
}
