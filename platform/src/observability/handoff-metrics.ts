import { Counter, Gauge, Registry } from 'prom-client';
import { CONTRACTS } from '../handoffs/contracts';
import type { Envelope } from '../handoffs/envelope';
import type { HandoffObserver } from '../handoffs/node';
import type { ConsumerLag } from '../handoffs/transport';
import { cached, METRIC_PREFIX } from './metrics';

/** What the collectors ask on scrape (HandoffNode has both). */
export interface HandoffMetricsSource {
  outboxBacklog(): Promise<number>;
  consumerLag(): Promise<ConsumerLag[]>;
  /** Messages held behind open dead letters of their dossier (an operator must replay or discard those). */
  heldMessages?(): Promise<number>;
}

export interface HandoffMetricsOptions {
  /** How long a backlog count is reused (default 2 s). */
  backlogTtlMs?: number;
  /** How long consumer lag is reused (default 5 s: a broker round trip). */
  lagTtlMs?: number;
  /** Told when a collection fails (the series then keep their last value). */
  onError?: (what: string, error: unknown) => void;
}

const KNOWN_TYPES = new Set(CONTRACTS.map((c) => c.messageType));

/** A message type as a label: a contract's type, else `other` (forged or garbage messages cannot grow the series). */
export function messageTypeLabel(messageType: string | undefined): string {
  if (!messageType) return 'unknown';
  return KNOWN_TYPES.has(messageType) ? messageType : 'other';
}

/**
 * The handoff series of one member: messages sent (published by the relay), applied, ignored as duplicates and
 * dead-lettered by message type; the outbox backlog and the consumer lag, computed on scrape with a short cache.
 */
export class HandoffMetrics implements HandoffObserver {
  private readonly sent: Counter<'message_type'>;
  private readonly appliedCount: Counter<'message_type'>;
  private readonly duplicateCount: Counter<'message_type'>;
  private readonly deadLetterCount: Counter<'message_type'>;

  constructor(registry: Registry, source: HandoffMetricsSource, options: HandoffMetricsOptions = {}) {
    const registers = [registry];
    const counter = (name: string, help: string) => new Counter({ name: `${METRIC_PREFIX}${name}`, help, labelNames: ['message_type'], registers });
    this.sent = counter('handoff_messages_sent_total', 'Handoffs published by the outbox relay (acknowledged by the bus), by message type');
    this.appliedCount = counter('handoff_messages_applied_total', 'Handoffs applied (inbox committed), by message type');
    this.duplicateCount = counter('handoff_messages_duplicate_total', 'Handoffs delivered again and ignored (already in the inbox), by message type');
    this.deadLetterCount = counter('handoff_messages_dead_lettered_total', 'Handoffs refused and published to the dead-letter topic, by message type');

    const onError = options.onError ?? (() => undefined);
    const backlog = cached(options.backlogTtlMs ?? 2000, () => source.outboxBacklog());
    const lag = cached(options.lagTtlMs ?? 5000, () => source.consumerLag());
    new Gauge({
      name: `${METRIC_PREFIX}handoff_outbox_backlog`, help: 'Outbox rows not yet published (counted on scrape, cached 2 s)', registers,
      async collect() {
        try {
          this.set(await backlog());
        } catch (error) {
          onError('outbox backlog', error);
        }
      },
    });
    if (source.heldMessages) {
      const held = cached(options.backlogTtlMs ?? 2000, () => source.heldMessages!());
      new Gauge({
        name: `${METRIC_PREFIX}handoff_held_messages`,
        help: 'Handoffs held behind a dead letter of their dossier, waiting for an operator to replay or discard it (counted on scrape, cached 2 s)',
        registers,
        async collect() {
          try {
            this.set(await held());
          } catch (error) {
            onError('held messages', error);
          }
        },
      });
    }
    new Gauge({
      name: `${METRIC_PREFIX}handoff_consumer_lag`,
      help: 'Messages on the inbox topic the consumer group has not committed, per partition (asked on scrape, cached 5 s)',
      labelNames: ['topic', 'partition'], registers,
      async collect() {
        try {
          const samples = await lag();
          this.reset();
          for (const sample of samples) this.set({ topic: sample.topic, partition: String(sample.partition) }, sample.lag);
        } catch (error) {
          onError('consumer lag', error);
        }
      },
    });
  }

  private count(counter: Counter<'message_type'>, types: (string | undefined)[]): void {
    const counts = new Map<string, number>();
    for (const type of types) {
      const label = messageTypeLabel(type);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    for (const [message_type, n] of counts) counter.inc({ message_type }, n);
  }

  published(messageTypes: string[]): void {
    this.count(this.sent, messageTypes);
  }

  applied(envelopes: Envelope[]): void {
    this.count(this.appliedCount, envelopes.map((e) => e.messageType));
  }

  duplicates(envelopes: Envelope[]): void {
    this.count(this.duplicateCount, envelopes.map((e) => e.messageType));
  }

  deadLettered(messageType: string | undefined): void {
    this.count(this.deadLetterCount, [messageType]);
  }
}
