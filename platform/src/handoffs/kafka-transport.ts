import { Admin, Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { ConsumeOptions, headersToStrings, IncomingMessage, OutgoingMessage, Subscription, Transport } from './transport';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  partitions?: number;
}

/** kafkajs underneath: acks = all, one request in flight (order per key), offsets committed by hand after the DB commit. */
export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();
  private readonly knownTopics = new Set<string>();

  constructor(private readonly options: KafkaTransportOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: process.env.KAFKA_LOG_LEVEL === 'debug' ? logLevel.DEBUG : logLevel.NOTHING,
      retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
      connectionTimeout: 3000,
    });
  }

  private async connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })().catch((error) => {
      this.producer = undefined;
      throw error;
    });
    return this.producer;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    await producer.sendBatch({
      acks: -1,
      timeout: 10_000,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  async ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (!missing.length) return;
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const toCreate = missing.filter((t) => !existing.has(t));
      if (toCreate.length) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: toCreate.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 6, replicationFactor: 1 })),
        });
      }
      for (const topic of missing) this.knownTopics.add(topic);
    } finally {
      await admin.disconnect();
    }
  }

  async consume(options: ConsumeOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumers.add(consumer);
    consumer.on(consumer.events.CRASH, (event) => {
      console.error(JSON.stringify({ level: 'error', msg: 'handoff consumer crashed', group: options.groupId, error: String(event.payload.error), restart: event.payload.restart }));
    });
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || !batch.messages.length) return;
        const messages: IncomingMessage[] = batch.messages.map((m) => ({
          topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value,
          headers: headersToStrings(m.headers),
        }));
        await options.handleBatch(messages);
        const last = batch.messages[batch.messages.length - 1].offset;
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
      },
    });
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async readAll(topic: string): Promise<IncomingMessage[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Map<number, bigint>;
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
    const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
    const messages: IncomingMessage[] = [];
    if (!pending.size) return messages;
    const consumer = this.kafka.consumer({ groupId: `onestop-reader-${process.pid}-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 30_000);
        consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (!pending.has(partition)) return;
            messages.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers: headersToStrings(message.headers) });
            if (BigInt(message.offset) + 1n >= ends.get(partition)!) pending.delete(partition);
            if (!pending.size) {
              clearTimeout(timer);
              resolve();
            }
          },
        }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return messages;
  }

  async close(): Promise<void> {
    for (const consumer of this.consumers) await consumer.disconnect().catch(() => undefined);
    this.consumers.clear();
    if (this.producer) await (await this.producer.catch(() => undefined))?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }
}
