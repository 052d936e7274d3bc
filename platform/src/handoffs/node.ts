import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { BadUserInputError } from '../errors';
import { AccessTable } from './access';
import { contractFor, deadLetterTopicFor, Member, notificationTopic, topicFor } from './contracts';
export { notificationTopic } from './contracts';
import { Envelope, newMessageId, signEnvelope } from './envelope';
import { HandoffDirection, HandoffLogEntry, HandoffOutcome, InboxMessage, OutboxMessage } from './entities';
import { KeyRing } from './keys';
import { ConsumerLag, IncomingMessage, Subscription, Transport } from './transport';
import { fastInsert } from './fast-insert';
import { checkPayload } from './payload-validation';
import { EnvelopeVerifier } from './verify';
import { entryLog, logger } from '../observability/logger';
import { outsideTransaction } from '../sqlite-serial';

/** The header carrying the id of the request that caused a handoff (informational, not signed). */
export const REQUEST_ID_HEADER = 'x-request-id';

export interface SendRequest<P = Record<string, unknown>> {
  messageType: string;
  recipient: Member | string;
  /** The dossier code. */
  correlationId: string;
  payload: P;
  officerId?: string | null;
  /** The request that caused it, for the logs (`x-request-id` header); set by `forRequest` (ctx.handoffs). */
  requestId?: string | null;
}

export interface HandoffContext<P = any> {
  envelope: Envelope<P>;
  /** The transaction the inbox record is written in: effects go through it, or not at all. */
  manager: EntityManager;
  /** Queues a message in the same transaction. */
  send(request: SendRequest): Promise<void>;
  /** Queues a broadcast event (e.g. a dossier status notification) in the same transaction. */
  notify(notification: Notification): Promise<void>;
}

/** A signed event for whoever listens on a notification topic (the gateway's subscriptions, notification senders). */
export interface Notification {
  /** A topic name under the prefix, e.g. "dossier-status": published to `<prefix>.notification.dossier-status`. */
  channel: string;
  /** The dossier code: events of one dossier stay in order. */
  correlationId: string;
  messageType: string;
  payload: Record<string, unknown>;
  officerId?: string | null;
}

export type HandoffHandler<P = any> = (context: HandoffContext<P>) => Promise<void>;
export type HandoffHandlers = Record<string, HandoffHandler>;

/** A handler's refusal that no retry can fix: the message is dead-lettered with this reason. */
export class HandoffRejection extends Error {}

/** A payload that does not follow its contract is never sent; `path` names the payload field. */
export class HandoffPayloadError extends Error {
  constructor(readonly messageType: string, readonly path: string, readonly reason: string) {
    super(`${messageType} payload${path ? `.${path}` : ''} ${reason}`);
  }
}

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
  /** Called once messages are committed, before the bus offset is: fault injection for crash tests. */
  afterCommit?: (applied: Envelope[]) => void;
  /** Told what was published, applied, ignored as a duplicate and dead-lettered (metrics). */
  observer?: HandoffObserver;
}

export interface HandoffObserver {
  published(messageTypes: string[]): void;
  applied(envelopes: Envelope[]): void;
  duplicates(envelopes: Envelope[]): void;
  deadLettered(messageType: string | undefined): void;
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
    this.log = options.log ?? entryLog(logger(this.member));
  }

  get transport(): Transport {
    return this.options.transport;
  }

  get inboxTopic(): string {
    return topicFor(this.member);
  }

  // ---- sending ----------------------------------------------------------------------------------------------------

  /**
   * This node as one request sees it (RequestContext.handoffs): what it sends carries the request's id, published as
   * the `x-request-id` header, unless the request names another. Everything else is the node itself.
   */
  forRequest(requestId: string): HandoffNode {
    const send = (manager: EntityManager, request: SendRequest) => this.send(manager, { ...request, requestId: request.requestId ?? requestId });
    const notify = (manager: EntityManager, notification: Notification) => this.notify(manager, notification, requestId);
    return new Proxy(this, {
      get: (target, property) => {
        if (property === 'send') return send;
        if (property === 'notify') return notify;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** Signs and queues a handoff inside the caller's transaction; the relay publishes it after commit. */
  async send(manager: EntityManager, request: SendRequest): Promise<Envelope> {
    const contract = contractFor(request.messageType, 1);
    if (!contract) throw new Error(`No contract for message type ${request.messageType}`);
    if (!this.verifier.allowsSending(this.member, request.messageType, request.recipient)) {
      throw new Error(`${this.member} may not send ${request.messageType} to ${request.recipient}`);
    }
    const check = checkPayload(request.messageType, contract.schemaVersion, request.payload);
    if (!check.ok) throw new HandoffPayloadError(request.messageType, check.path, check.reason);
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
    // The outbox row is also the sender's record of the handoff (queued at createdAt, published at sentAt).
    await fastInsert(manager, OutboxMessage, [{
      messageId: envelope.messageId, topic: topicFor(envelope.recipient), messageKey: envelope.correlationId,
      recipient: envelope.recipient.slice(0, 40), messageType: envelope.messageType.slice(0, 80), officerId: envelope.officerId?.slice(0, 64) ?? null,
      envelope: JSON.stringify(envelope), createdAt: now, sentAt: null, attempts: 0,
      requestId: request.requestId?.slice(0, 128) ?? null,
    }]);
    this.nudgeRelay();
    return envelope;
  }

  /**
   * Queues a notification in the caller's transaction, like a handoff but addressed to nobody in particular: no
   * contract or access rule applies, it is signed by this member and published by the same relay.
   */
  async notify(manager: EntityManager, notification: Notification, requestId: string | null = null): Promise<void> {
    const envelope = signEnvelope({
      messageId: newMessageId(), correlationId: notification.correlationId, sender: this.member, recipient: 'notifications',
      messageType: notification.messageType, schemaVersion: 1, issuedAt: new Date().toISOString(), officerId: notification.officerId ?? null,
      payload: notification.payload,
    }, this.options.keys.privateKey);
    await fastInsert(manager, OutboxMessage, [{
      messageId: envelope.messageId, topic: notificationTopic(notification.channel), messageKey: envelope.correlationId,
      recipient: 'notifications', messageType: envelope.messageType.slice(0, 80), officerId: envelope.officerId?.slice(0, 64) ?? null,
      envelope: JSON.stringify(envelope), createdAt: new Date(), sentAt: null, attempts: 0, requestId: requestId?.slice(0, 128) ?? null,
    }]);
    this.nudgeRelay();
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
    // often called inside a transaction: the relay must not run in its scope
    this.relayTimer = outsideTransaction(() => setTimeout(() => this.runRelay(), 1));
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
      headers: { 'x-message-id': row.messageId, 'x-sender': this.member, ...(row.requestId ? { [REQUEST_ID_HEADER]: row.requestId } : {}) },
    })));
    await this.options.dataSource.getRepository(OutboxMessage)
      .update({ id: In(rows.map((r) => r.id)) }, { sentAt: new Date(), attempts: () => 'attempts + 1' });
    this.options.observer?.published(rows.map((r) => r.messageType));
    for (const row of rows) {
      this.log({
        level: 'info', msg: 'handoff sent', messageId: row.messageId, correlationId: row.messageKey, messageType: row.messageType,
        recipient: row.recipient, requestId: row.requestId ?? null,
      });
    }
    return rows.length;
  }

  /** Outbox rows not yet published (metrics). */
  async outboxBacklog(): Promise<number> {
    return this.options.dataSource.getRepository(OutboxMessage).count({ where: { sentAt: IsNull() } });
  }

  /** Messages on this member's inbox topic its consumer group has not committed yet, per partition (metrics). */
  async consumerLag(): Promise<ConsumerLag[]> {
    return (await this.options.transport.lag?.(this.groupId, [this.inboxTopic])) ?? [];
  }

  get groupId(): string {
    return `onestop-${this.member}`;
  }

  // ---- receiving --------------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    this.stopped = false;
    const topics = [this.inboxTopic, deadLetterTopicFor(this.member)];
    await this.options.transport.ensureTopics(topics);
    this.subscription = await this.options.transport.consume({
      groupId: this.groupId,
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
    const requestIds = new Map<string, string>();
    for (const message of messages) {
      const verdict = this.verifier.verify(message.value);
      if (verdict.ok) {
        valid.push({ message, envelope: verdict.envelope });
        const requestId = message.headers[REQUEST_ID_HEADER];
        if (requestId) requestIds.set(verdict.envelope.messageId, requestId);
      } else await this.deadLetter(message, verdict.reason, verdict.envelope);
    }
    if (!valid.length) return;
    try {
      const outcome = await this.options.dataSource.transaction((manager) => this.applyAll(manager, valid.map((v) => v.envelope), requestIds));
      this.committed(outcome, requestIds);
      return;
    } catch {
      // one of them failed: find which, applying the others one by one
    }
    for (const item of valid) await this.applyWithRetries(item.message, item.envelope);
  }

  /**
   * Applies messages in the caller's transaction, in order: the inbox and log rows of the batch in one statement each,
   * then each handler. Returns those applied now (not before) and the duplicates.
   */
  private async applyAll(manager: EntityManager, envelopes: Envelope[], requestIds: Map<string, string>): Promise<{ fresh: Envelope[]; duplicates: Envelope[] }> {
    const ids = [...new Set(envelopes.map((e) => e.messageId))];
    const before = new Set((await manager.find(InboxMessage, { select: { messageId: true }, where: { messageId: In(ids) } })).map((r) => r.messageId));
    const fresh: Envelope[] = [];
    const duplicates: Envelope[] = [];
    for (const envelope of envelopes) {
      if (before.has(envelope.messageId)) duplicates.push(envelope);
      else {
        before.add(envelope.messageId);
        fresh.push(envelope);
      }
    }
    for (const envelope of fresh) {
      if (!this.options.handlers[envelope.messageType]) throw new HandoffRejection(`${this.member} has no handler for ${envelope.messageType}`);
    }
    const now = new Date();
    // The inbox row is also the receiver's record that the message was applied; a failing handler rolls it back.
    await fastInsert(manager, InboxMessage, fresh.map((e) => ({
      messageId: e.messageId, correlationId: e.correlationId.slice(0, 60), sender: e.sender.slice(0, 40), messageType: e.messageType.slice(0, 80),
      officerId: e.officerId?.slice(0, 64) ?? null, appliedAt: now,
    })));
    await fastInsert(manager, HandoffLogEntry, duplicates.map((e) => this.logRow(e, HandoffDirection.RECEIVED, HandoffOutcome.DUPLICATE_IGNORED, 'already applied', now)));
    for (const envelope of fresh) {
      // what a handler sends on carries the id of the request that started the chain
      const requestId = requestIds.get(envelope.messageId) ?? null;
      await this.options.handlers[envelope.messageType]({
        envelope, manager, send: async (request) => void (await this.send(manager, { requestId, ...request })), notify: (notification) => this.notify(manager, notification, requestId),
      });
    }
    return { fresh, duplicates };
  }

  /** After the inbox transaction committed: logs, metrics, then the fault hook (before the bus offset commit). */
  private committed({ fresh, duplicates }: { fresh: Envelope[]; duplicates: Envelope[] }, requestIds: Map<string, string>): void {
    const fields = (e: Envelope) => ({
      messageId: e.messageId, correlationId: e.correlationId, messageType: e.messageType, sender: e.sender, requestId: requestIds.get(e.messageId) ?? null,
    });
    for (const envelope of fresh) this.log({ level: 'info', msg: 'handoff applied', ...fields(envelope) });
    for (const envelope of duplicates) this.log({ level: 'info', msg: 'handoff duplicate ignored', ...fields(envelope) });
    if (fresh.length) this.options.observer?.applied(fresh);
    if (duplicates.length) this.options.observer?.duplicates(duplicates);
    if (fresh.length) this.options.afterCommit?.(fresh);
  }

  private async applyWithRetries(message: IncomingMessage, envelope: Envelope): Promise<void> {
    const requestId = message.headers[REQUEST_ID_HEADER];
    const requestIds = new Map(requestId ? [[envelope.messageId, requestId]] : []);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.options.dataSource.transaction((manager) => this.applyAll(manager, [envelope], requestIds));
        this.committed(outcome, requestIds);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (error instanceof HandoffRejection) return this.deadLetter(message, `rejected: ${reason}`, envelope);
        if (attempt >= this.maxAttempts) return this.deadLetter(message, `failed after ${attempt} attempts: ${reason}`, envelope);
        this.log({ level: 'warn', msg: 'handoff failed; retrying', messageId: envelope.messageId, correlationId: envelope.correlationId, requestId: requestId ?? null, attempt, error: reason });
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
    this.options.observer?.deadLettered(envelope?.messageType);
    this.log({
      level: 'warn', msg: 'handoff dead-lettered', messageId: envelope?.messageId ?? message.headers['x-message-id'] ?? null,
      correlationId: envelope?.correlationId ?? message.key, messageType: envelope?.messageType ?? null,
      requestId: message.headers[REQUEST_ID_HEADER] ?? null, reason,
    });
    if (envelope) {
      await this.options.dataSource.getRepository(HandoffLogEntry)
        .insert(this.logRow(envelope, HandoffDirection.RECEIVED, HandoffOutcome.DEAD_LETTERED, reason))
        .catch((error) => this.log({ level: 'error', msg: 'could not log a dead letter', error: String(error) }));
    }
  }
}

/** Sends a handoff built from a GraphQL input; a payload the contract refuses becomes BAD_USER_INPUT on that input field. */
export async function sendFromInput(node: HandoffNode, manager: EntityManager, request: SendRequest, inputField: string): Promise<Envelope> {
  try {
    return await node.send(manager, request);
  } catch (error) {
    if (error instanceof HandoffPayloadError) throw new BadUserInputError(error.path ? `${inputField}.${error.path}` : inputField, error.reason);
    throw error;
  }
}

