import { Admin, AssignerProtocol, Consumer, ISocketFactory, Kafka, logLevel, Producer } from 'kafkajs';
import { entryLog, logger } from '../observability/logger';
import { KafkaSecurity } from './kafka-security';
import { ConsumeOptions, ConsumerLag, headersToStrings, IncomingMessage, OutgoingMessage, Subscription, Transport } from './transport';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  partitions?: number;
  /**
   * Partitions a consumer applies at once (each in its own transaction; one dossier stays in one partition); default:
   * all of a topic's (the apply path waits on the database, not the CPU, so partitions in parallel fill the wait).
   */
  concurrency?: number;
  /** Copies of each new topic (HANDOFF_REPLICATION_FACTOR); default min(3, brokers in the cluster). */
  replicationFactor?: number;
  /** How long dead letters are kept (HANDOFF_DEAD_LETTER_RETENTION_DAYS); default for ever: they are the only copy. */
  deadLetterRetentionMs?: number;
  /** A consumer that has not fetched for this long, outside a batch, is replaced (HANDOFF_CONSUMER_STALL_MS; 45 s). */
  consumerStallMs?: number;
  /** TLS and SASL (kafkaSecurityFromEnv); none: plaintext. */
  security?: KafkaSecurity;
  /** kafkajs's socket factory (tests wrap it to inject network faults). */
  socketFactory?: ISocketFactory;
}

/**
 * The configuration a new topic is created with: `replicationFactor` copies, and `min.insync.replicas` one less (at
 * least 1) so that, with acks = all, a write survives the loss of any one broker and one broker may be down for
 * maintenance without stopping producers. Dead-letter topics keep their records for `deadLetterRetentionMs`
 * (-1: for ever) and are never compacted.
 */
export function topicSettings(topic: string, replicationFactor: number, deadLetterRetentionMs = -1): { replicationFactor: number; configEntries: { name: string; value: string }[] } {
  const configEntries = [{ name: 'min.insync.replicas', value: String(Math.max(1, replicationFactor - 1)) }];
  if (topic.endsWith('.dead-letter')) configEntries.push({ name: 'retention.ms', value: String(deadLetterRetentionMs) }, { name: 'retention.bytes', value: '-1' });
  return { replicationFactor, configEntries };
}

/** A consumer group member missing for this long is dropped by the coordinator; a commit stuck as long is hopeless. */
const SESSION_TIMEOUT_MS = 10_000;

/** True when `promise` resolved within `ms`; rejects as it does; false when it is still pending then. */
/** Kafka's partition of __consumer_offsets for a group: Utils.abs(groupId.hashCode()) % partitions. */
export function groupPartition(groupId: string, partitions: number): number {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(hash, 31) + groupId.charCodeAt(i)) | 0;
  return (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(() => true);
  settled.catch(() => undefined); // a failure after the deadline is no one's to hear (and must not crash the process)
  try {
    return await Promise.race([settled, new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * kafkajs underneath: an idempotent producer (a retried send is written once: the broker drops a batch whose producer
 * id and sequence it already has), acks = all, one request in flight (order per key), offsets committed by hand after
 * the DB commit.
 */
export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();
  private readonly knownTopics = new Set<string>();
  private lagAdmin?: Promise<Admin>;
  private replication?: number;

  constructor(private readonly options: KafkaTransportOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: process.env.KAFKA_LOG_LEVEL === 'debug' ? logLevel.DEBUG : logLevel.NOTHING,
      retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
      connectionTimeout: 3000,
      ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
      ...options.security,
    });
  }

  private async connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      // Retries stay bounded (kafkajs's idempotent default is for ever) so that the relay hears of a broker that is
      // gone; its later resend of the same outbox rows is a new batch, which the receivers' inbox deduplicates.
      const producer = this.kafka.producer({
        idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false,
        retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
      });
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

  /** Creates missing topics (other members may race us to it) and waits until every partition has a leader. */
  async ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (!missing.length) return;
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const toCreate = missing.filter((t) => !existing.has(t));
      if (toCreate.length) {
        this.replication ??= this.options.replicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
        // Several subgraphs create the same topics at once; the loser's create fails or its metadata lags
        // (UNKNOWN_TOPIC_OR_PARTITION), so leaders are awaited below rather than by kafkajs.
        try {
          await admin.createTopics({
            waitForLeaders: false,
            topics: toCreate.map((topic) => ({
              topic, numPartitions: this.options.partitions ?? 6, ...topicSettings(topic, this.replication!, this.options.deadLetterRetentionMs),
            })),
          });
        } catch (error) {
          if (isAuthorizationFailure(error)) {
            throw new Error(`Kafka topic(s) ${toCreate.join(', ')} missing, and ${this.options.clientId} may not create topics: create them with \`npm run kafka:acls\` (as admin)`);
          }
          if (!isTopicRace(error)) throw error;
        }
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const { topics: metadata } = await admin.fetchTopicMetadata({ topics: missing });
          if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) break;
        } catch (error) {
          if (attempt >= 50) throw error;
        }
        if (attempt >= 50) throw new Error(`topics ${missing.join(', ')} have no leaders after 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      for (const topic of missing) this.knownTopics.add(topic);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * A consumer group member that outlives broker restarts: kafkajs restarts itself on retriable errors; on the others
   * (e.g. the coordinator forgot the member after a broker crash) a new consumer joins in its place.
   */
  async consume(options: ConsumeOptions): Promise<Subscription> {
    let stopped = false;
    let current: Consumer | undefined;
    let restartTimer: NodeJS.Timeout | undefined;
    // Liveness: kafkajs starts a fetch at least every maxWaitTime (5 s) while it runs; after a broker of a cluster is
    // killed its loop can stop for good without a crash, e.g. in an offset commit that never returns (seen with
    // kafkajs 2.2.4 and Kafka 3.9). A member that has not fetched or committed for `stallMs`, while not applying a
    // batch of ours, is replaced like a crashed one.
    const stallMs = this.options.consumerStallMs ?? 45_000;
    let lastSign = Date.now();
    let inBatch = false;
    /** Drops the current member and has a new one join in its place (after 1 s, then every 2 s until it joins). */
    const replace = (consumer: Consumer) => {
      if (stopped || current !== consumer) return;
      current = undefined;
      this.consumers.delete(consumer);
      void consumer.disconnect().catch(() => undefined);
      const again = () => {
        if (stopped) return;
        begin().catch((error) => {
          this.log({ level: 'error', msg: 'handoff consumer could not rejoin; retrying', group: options.groupId, error: String(error) });
          restartTimer = setTimeout(again, 2000);
        });
      };
      restartTimer = setTimeout(again, 1000);
    };
    const watchdog = setInterval(() => {
      if (stopped || !current || inBatch || Date.now() - lastSign < stallMs) return;
      this.log({ level: 'warn', msg: 'handoff consumer stalled: no fetch for a while; a new member replaces it', group: options.groupId, seconds: Math.round((Date.now() - lastSign) / 1000) });
      lastSign = Date.now();
      replace(current);
    }, Math.min(5000, stallMs));
    watchdog.unref();
    const begin = async (): Promise<void> => {
      const consumer = this.kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: SESSION_TIMEOUT_MS,
        heartbeatInterval: 1000,
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
      });
      current = consumer;
      lastSign = Date.now();
      this.consumers.add(consumer);
      for (const event of [consumer.events.FETCH_START, consumer.events.GROUP_JOIN, consumer.events.REBALANCING]) {
        consumer.on(event, () => void (lastSign = Date.now()));
      }
      consumer.on(consumer.events.CRASH, (event) => {
        const restart = event.payload.restart;
        this.log({ level: 'error', msg: 'handoff consumer crashed', group: options.groupId, error: String(event.payload.error), restart: restart ? 'by kafkajs' : 'new member' });
        // a member already replaced that kafkajs would restart by itself: it must not come back beside its successor
        if (current !== consumer) {
          void consumer.disconnect().catch(() => undefined);
          return;
        }
        if (restart || stopped) return;
        replace(consumer);
      });
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: !options.fromLatest });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.concurrency ?? this.options.partitions ?? 6,
        eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
          if (!isRunning() || isStale() || !batch.messages.length) return;
          // a replaced member (its commit stuck) that kept its loop: it leaves, its successor has the partitions
          if (current !== consumer) {
            void consumer.disconnect().catch(() => undefined);
            return;
          }
          const messages: IncomingMessage[] = batch.messages.map((m) => ({
            topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value,
            headers: headersToStrings(m.headers),
          }));
          inBatch = true;
          try {
            await options.handleBatch(messages, async () => {
              await heartbeat();
            });
          } finally {
            inBatch = false;
            lastSign = Date.now();
          }
          const last = batch.messages[batch.messages.length - 1].offset;
          // Both, only now: the fetch position moves on (resolve) and the group's offset is stored (commit).
          resolveOffset(last);
          // kafkajs retries a commit to the coordinator it has cached, and when that broker died ("Broker N not found
          // in the cached metadata") it never looks the coordinator up again: the member stops fetching until the
          // watchdog. A commit that has not returned within the session timeout (by then the group dropped this member
          // anyway) ends the member now; the new one resumes from the last commit and the inbox ignores what comes twice.
          const commit = consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
          if (!(await settlesWithin(commit, SESSION_TIMEOUT_MS))) {
            this.log({ level: 'warn', msg: 'handoff consumer: offset commit did not return (its coordinator is gone?); a new member replaces it', group: options.groupId, partition: batch.partition });
            replace(consumer);
            return;
          }
          await heartbeat();
          lastSign = Date.now();
        },
      });
    };
    // A topic just created may not be known yet to every broker of a cluster (UNKNOWN_TOPIC_OR_PARTITION, retriable).
    for (let attempt = 1; ; attempt++) {
      try {
        await begin();
        break;
      } catch (error) {
        const failed = current;
        current = undefined;
        if (failed) {
          this.consumers.delete(failed);
          await failed.disconnect().catch(() => undefined);
        }
        if (!(error as { retriable?: boolean }).retriable || attempt >= 30) {
          clearInterval(watchdog);
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    return {
      stop: async () => {
        stopped = true;
        clearTimeout(restartTimer);
        clearInterval(watchdog);
        if (current) {
          this.consumers.delete(current);
          await current.disconnect();
        }
      },
    };
  }

  /** A consumer group's state and members, each with the partitions assigned to it (diagnostics: a member that holds
   * partitions and makes no progress). */
  async groupMembers(groupId: string): Promise<{ state: string; members: { clientId: string; memberId: string; partitions: Record<string, number[]> }[] }> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups: [group] } = await admin.describeGroups([groupId]);
      return {
        state: group.state,
        members: group.members.map((m) => ({
          clientId: m.clientId, memberId: m.memberId,
          partitions: (m.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment : undefined) ?? {},
        })),
      };
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The node id of the broker coordinating a consumer group: the leader of the group's partition of __consumer_offsets
   * (Kafka's rule: abs(Java hashCode of the group id) modulo that topic's partition count). Needs the right to
   * describe __consumer_offsets (the cluster's admin). Operations and fault tests: which broker a group depends on.
   */
  async groupCoordinator(groupId: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // On a new cluster __consumer_offsets exists only once a client has looked for a coordinator: describeGroups does
      // (a FindCoordinator request), and the broker creates the topic; its leaders are elected soon after.
      for (let attempt = 1; ; attempt++) {
        try {
          const { topics } = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
          const partitions = topics[0].partitions;
          const partition = partitions.find((p) => p.partitionId === groupPartition(groupId, partitions.length));
          if (partition && partition.leader >= 0) return partition.leader;
          if (attempt >= 30) throw new Error(`no leader for the partition of group ${groupId} in __consumer_offsets`);
        } catch (error) {
          if (attempt >= 30) throw error;
        }
        await admin.describeGroups([groupId]).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Per partition, its end offset minus the group's committed offset (its earliest offset when the group committed
   * none). One admin connection is kept for it; a failure drops it and the next call connects again.
   */
  async lag(groupId: string, topics: string[]): Promise<ConsumerLag[]> {
    this.lagAdmin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error) => {
      this.lagAdmin = undefined;
      throw error;
    });
    const admin = await this.lagAdmin;
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      const result: ConsumerLag[] = [];
      for (const topic of topics) {
        const group = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
        for (const end of await admin.fetchTopicOffsets(topic)) {
          const at = group.get(end.partition);
          const from = at !== undefined && at >= 0n ? at : BigInt(end.low);
          const lag = BigInt(end.high) - from;
          result.push({ topic, partition: end.partition, lag: lag > 0n ? Number(lag) : 0 });
        }
      }
      return result;
    } catch (error) {
      this.lagAdmin = undefined;
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** The process's logger, named after the member (clientId `onestop-<member>`). */
  private log(entry: Record<string, unknown>): void {
    entryLog(logger(this.options.clientId.replace(/^onestop-/, '')))(entry);
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
    // under the client's own name: on a secured bus a member may only use groups named after it (onestop-<member>…)
    const consumer = this.kafka.consumer({ groupId: `${this.options.clientId}-reader-${process.pid}-${Date.now()}` });
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
    if (this.lagAdmin) await (await this.lagAdmin.catch(() => undefined))?.disconnect().catch(() => undefined);
    this.lagAdmin = undefined;
  }
}

function isAuthorizationFailure(error: unknown): boolean {
  const described = JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})) + String(error);
  return /AUTHORIZATION_FAILED|not authorized/i.test(described);
}

function isTopicRace(error: unknown): boolean {
  const described = JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})) + String(error);
  return /TOPIC_ALREADY_EXISTS|already exists|UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/.test(described);
}
