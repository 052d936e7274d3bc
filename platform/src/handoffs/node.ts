import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AccessTable } from './access';
import { contractFor, deadLetterTopicFor, Member, topicFor } from './contracts';
import { Envelope, newMessageId, signEnvelope } from './envelope';
import { HandoffDirection, HandoffLogEntry, HandoffOutcome, InboxMessage, OutboxMessage } from './entities';
import { KeyRing } from './keys';
import { IncomingMessage, Subscription, Transport } from './transport';
import { EnvelopeVerifier } from './verify';

export interface SendRequest<P = Record<string, unknown>> {
  messageType: string;
  recipient: Member | string;
  /** The dossier code. */
  correlationId: string;
  payload: P;
  officerId?: string | null;
}

export interface HandoffContext<P = any> {
  envelope: Envelope<P>;
  /** The transaction the inbox record is written in: effects go through it, or not at all. */
  manager: EntityManager;
  /** Queues a message in the same transaction. */
  send(request: SendRequest): Promise<void>;
}

export type HandoffHandler<P = any> = (context: HandoffContext<P>) => Promise<void>;
export type HandoffHandlers = Record<string, HandoffHandler>;

/** A handler's refusal that no retry can fix: the message is dead-lettered with this reason. */
export class HandoffRejection extends Error {}

export interface HandoffNodeOptions {
  member: Member | string;
  dataSource: DataSource;
  transport: Transport;
  keys: KeyRing;
  access?: AccessTable;
  handlers: HandoffHandlers;
  /** Attempts for a handler that throws something else than HandoffRejection, before the message is dead-lettered. */
  maxAttempts?: number;
  relayIntervalMs?: number;
  relayBatchSize?: number;
  log?: (entry: Record<string, unknown>) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One agency on the bus: queues outgoing handoffs in its outbox (same transaction as the business change), relays
 * them in order once the bus acknowledged, and applies incoming ones exactly once through its inbox.
 */
export class HandoffNode {
  readonly member: string;
  readonly verifier: EnvelopeVerifier;
  private subscription?: Subscription;
  private relayTimer?: NodeJS.Timeout;
  private relaying?: Promise<void>;
  private relayAgain = false;
  private stopped = true;
  private readonly maxAttempts: number;
  private readonly log: (entry: Record<string, unknown>) => void;

  constructor(private readonly options: HandoffNodeOptions) {
    this.member = options.member;
    this.verifier = new EnvelopeVerifier(options.keys, options.access ?? AccessTable.load());
    this.maxAttempts = options.maxAttempts ?? 5;
    this.log = options.log ?? ((entry) => console.log(JSON.stringify({ level: 'info', member: this.member, ...entry })));
  }

  get transport(): Transport {
    return this.options.transport;
  }

  get inboxTopic(): string {
    return topicFor(this.member);
  }

  // ---- sending ----------------------------------------------------------------------------------------------------

  /** Signs and queues a handoff inside the caller's transaction; the relay publishes it after commit. */
  async send(manager: EntityManager, request: SendRequest): Promise<Envelope> {
    const contract = contractFor(request.messageType, 1);
    if (!contract) throw new Error(`No contract for message type ${request.messageType}`);
    const envelope = signEnvelope({
      messageId: newMessageId(),
      correlationId: request.correlationId,
      sender: this.member,
      recipient: request.recipient,
      messageType: request.messageType,
      schemaVersion: contract.schemaVersion,
      issuedAt: new Date().toISOString(),
      officerId: request.officerId ?? null,
      payload: request.payload as Record<string, unknown>,
    }, this.options.keys.privateKey);
    const now = new Date();
    await manager.insert(OutboxMessage, {
      messageId: envelope.messageId, topic: topicFor(envelope.recipient), messageKey: envelope.correlationId,
      envelope: JSON.stringify(envelope), createdAt: now, sentAt: null, attempts: 0,
    });
    await manager.insert(HandoffLogEntry, this.logRow(envelope, HandoffDirection.SENT, HandoffOutcome.QUEUED, null, now));
    this.nudgeRelay();
    return envelope;
  }

  private logRow(envelope: Envelope, direction: HandoffDirection, outcome: HandoffOutcome, reason: string | null, at = new Date()) {
    return {
      messageId: envelope.messageId, correlationId: envelope.correlationId.slice(0, 60), recordedBy: this.member, direction,
      sender: envelope.sender.slice(0, 40), recipient: envelope.recipient.slice(0, 40), messageType: envelope.messageType.slice(0, 80),
      officerId: envelope.officerId?.slice(0, 64) ?? null, outcome, reason: reason?.slice(0, 500) ?? null, at,
    };
  }

  /** Wakes the relay soon (after the current transaction commits, the next poll finds the row). */
  nudgeRelay(): void {
    if (this.stopped) return;
    if (this.relaying) {
      this.relayAgain = true;
      return;
    }
    clearTimeout(this.relayTimer);
    this.relayTimer = setTimeout(() => this.runRelay(), 1);
  }

  private runRelay(): void {
    if (this.stopped || this.relaying) return;
    this.relaying = (async () => {
      let delay = this.options.relayIntervalMs ?? 100;
      try {
        const published = await this.relayOnce();
        if (published > 0) delay = 0;
      } catch (error) {
        this.log({ level: 'warn', msg: 'outbox relay failed; retrying', error: String(error) });
        delay = 1000;
      } finally {
        this.relaying = undefined;
      }
      if (this.relayAgain) {
        this.relayAgain = false;
        delay = 0;
      }
      if (!this.stopped) this.relayTimer = setTimeout(() => this.runRelay(), delay);
    })();
  }

  /** Publishes the oldest unsent rows in id order; marks them sent only after the bus acknowledged. */
  async relayOnce(): Promise<number> {
    const rows = await this.options.dataSource.getRepository(OutboxMessage).find({
      where: { sentAt: IsNull() }, order: { id: 'ASC' }, take: this.options.relayBatchSize ?? 500,
    });
    if (!rows.length) return 0;
    const topics = [...new Set(rows.map((r) => r.topic))];
    await this.options.transport.ensureTopics(topics);
    await this.options.transport.publish(rows.map((row) => ({
      topic: row.topic, key: row.messageKey, value: row.envelope,
      headers: { 'x-message-id': row.messageId, 'x-sender': this.member },
    })));
    const now = new Date();
    await this.options.dataSource.transaction(async (manager) => {
      await manager.update(OutboxMessage, { id: In(rows.map((r) => r.id)) }, { sentAt: now, attempts: () => 'attempts + 1' });
      await manager.insert(HandoffLogEntry, rows.map((row) => this.logRow(JSON.parse(row.envelope), HandoffDirection.SENT, HandoffOutcome.PUBLISHED, null, now)));
    });
    return rows.length;
  }

  // ---- receiving --------------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    this.stopped = false;
    const topics = [this.inboxTopic, deadLetterTopicFor(this.member)];
    await this.options.transport.ensureTopics(topics);
    this.subscription = await this.options.transport.consume({
      groupId: `onestop-${this.member}`,
      topics: [this.inboxTopic],
      handleBatch: (messages) => this.handleBatch(messages),
    });
    this.runRelay();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relayTimer);
    await this.relaying;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Verifies, then applies a batch in one transaction; on failure falls back to one message at a time. */
  async handleBatch(messages: IncomingMessage[]): Promise<void> {
    const valid: { message: IncomingMessage; envelope: Envelope }[] = [];
    for (const message of messages) {
      const verdict = this.verifier.verify(message.value);
      if (verdict.ok) valid.push({ message, envelope: verdict.envelope });
      else await this.deadLetter(message, verdict.reason, verdict.envelope);
    }
    if (!valid.length) return;
    try {
      await this.options.dataSource.transaction(async (manager) => {
        const seen = await this.alreadyApplied(manager, valid.map((v) => v.envelope.messageId));
        for (const { envelope } of valid) await this.apply(manager, envelope, seen);
      });
      return;
    } catch {
      // one of them failed: find which, applying the others one by one
    }
    for (const item of valid) await this.applyWithRetries(item.message, item.envelope);
  }

  private async alreadyApplied(manager: EntityManager, ids: string[]): Promise<Set<string>> {
    const rows = await manager.find(InboxMessage, { select: { messageId: true }, where: { messageId: In(ids) } });
    return new Set(rows.map((r) => r.messageId));
  }

  private async apply(manager: EntityManager, envelope: Envelope, seen: Set<string>): Promise<void> {
    if (seen.has(envelope.messageId)) {
      await manager.insert(HandoffLogEntry, this.logRow(envelope, HandoffDirection.RECEIVED, HandoffOutcome.DUPLICATE_IGNORED, 'already applied'));
      return;
    }
    seen.add(envelope.messageId);
    await manager.insert(InboxMessage, { messageId: envelope.messageId, sender: envelope.sender, messageType: envelope.messageType, appliedAt: new Date() });
    const handler = this.options.handlers[envelope.messageType];
    if (!handler) throw new HandoffRejection(`${this.member} has no handler for ${envelope.messageType}`);
    await handler({ envelope, manager, send: async (request) => void (await this.send(manager, request)) });
    await manager.insert(HandoffLogEntry, this.logRow(envelope, HandoffDirection.RECEIVED, HandoffOutcome.APPLIED, null));
  }

  private async applyWithRetries(message: IncomingMessage, envelope: Envelope): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.dataSource.transaction(async (manager) => {
          await this.apply(manager, envelope, await this.alreadyApplied(manager, [envelope.messageId]));
        });
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (error instanceof HandoffRejection) return this.deadLetter(message, `rejected: ${reason}`, envelope);
        if (attempt >= this.maxAttempts) return this.deadLetter(message, `failed after ${attempt} attempts: ${reason}`, envelope);
        this.log({ level: 'warn', msg: 'handoff failed; retrying', messageId: envelope.messageId, attempt, error: reason });
        await sleep(Math.min(5000, 100 * 2 ** attempt));
      }
    }
  }

  /** Publishes the message unchanged to the dead-letter topic with the reason; the offset moves on only after that. */
  private async deadLetter(message: IncomingMessage, reason: string, envelope?: Envelope): Promise<void> {
    const topic = deadLetterTopicFor(this.member);
    await this.options.transport.ensureTopics([topic]);
    await this.options.transport.publish([{
      topic,
      key: message.key ?? envelope?.correlationId ?? 'unknown',
      value: message.value?.toString() ?? '',
      headers: {
        ...message.headers,
        'x-dead-letter-reason': reason,
        'x-original-topic': message.topic,
        'x-original-partition': String(message.partition),
        'x-original-offset': message.offset,
        'x-dead-lettered-by': this.member,
        'x-dead-lettered-at': new Date().toISOString(),
      },
    }]);
    this.log({ level: 'warn', msg: 'handoff dead-lettered', messageId: envelope?.messageId, reason });
    if (envelope) {
      await this.options.dataSource.getRepository(HandoffLogEntry)
        .insert(this.logRow(envelope, HandoffDirection.RECEIVED, HandoffOutcome.DEAD_LETTERED, reason))
        .catch((error) => this.log({ level: 'error', msg: 'could not log a dead letter', error: String(error) }));
    }
  }
}
