import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { BadUserInputError } from '../errors';
import { AccessTable } from './access';
import { contractFor, deadLetterTopicFor, Member, notificationTopic, topicFor } from './contracts';
export { notificationTopic } from './contracts';
import { createHash } from 'node:crypto';
import { validateDossierCode } from '../identifiers';
import { Envelope, maxMessageBytes, newMessageId, signEnvelope } from './envelope';
import {
  DeadLetterRecord, DeadLetterStatus, HandoffDirection, HandoffLogEntry, HandoffOutcome, HeldMessage, InboxMessage, OutboxMessage, RefusedMessage,
} from './entities';
import { KeyRing } from './keys';
import { ConsumerLag, IncomingMessage, Subscription, Transport } from './transport';
import { fastInsert } from './fast-insert';
import { checkPayload } from './payload-validation';
import { EnvelopeVerifier, Verdict } from './verify';
import { entryLog, logger } from '../observability/logger';
import { outsideTransaction } from '../sqlite-serial';
import { OutboxRelay, relayBucket } from './relay';

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
  /**
   * Every message applied in this transaction, in order (this one among them): a handler may load what they all need
   * at once (e.g. their dossiers, with one locking query) and keep it in `memo` for the others.
   */
  batch: readonly Envelope[];
  /** Shared by the handlers of one transaction, and dropped with it (a rollback leaves nothing behind). */
  memo: Map<string, unknown>;
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
  /** Attempts for a handler that throws something unexpected (neither a HandoffRejection nor a transient fault). */
  maxAttempts?: number;
  /** How long a transient fault (database down or locked, deadlock, connection lost) is retried (HANDOFF_RETRY_WINDOW_MS, default 5 min). */
  retryWindowMs?: number;
  /** How often messages held behind a resolved dead letter are looked for (the operator's discard runs elsewhere). */
  heldSweepMs?: number;
  /** Largest record on the bus (HANDOFF_MAX_MESSAGE_BYTES, default 1,000,000): bigger messages are refused, dead letters kept under it. */
  maxBytes?: number;
  relayIntervalMs?: number;
  relayBatchSize?: number;
  /** The relay's lease on its outbox buckets (HANDOFF_RELAY_LEASE_MS, default 15 s): see OutboxRelay. */
  relayLeaseMs?: number;
  /** Messages applied per transaction (HANDOFF_APPLY_BATCH, default 100): a bus batch is applied in transactions of this many. */
  applyBatchSize?: number;
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
  private stopping = false;
  private sweepTimer?: NodeJS.Timeout;
  private releasing?: Promise<number>;
  private releaseAgain = false;
  private readonly maxAttempts: number;
  private readonly retryWindowMs: number;
  private readonly maxBytes: number;
  private readonly applyBatchSize: number;
  private readonly log: (entry: Record<string, unknown>) => void;
  /** Publishes this node's share of the outbox (other replicas on the same database publish the rest). */
  readonly relay: OutboxRelay;

  constructor(private readonly options: HandoffNodeOptions) {
    this.member = options.member;
    this.maxBytes = options.maxBytes ?? maxMessageBytes();
    this.verifier = new EnvelopeVerifier(options.keys, options.access ?? AccessTable.load(), { maxBytes: this.maxBytes });
    this.maxAttempts = options.maxAttempts ?? 5;
    const window = Number(process.env.HANDOFF_RETRY_WINDOW_MS);
    this.retryWindowMs = options.retryWindowMs ?? (window > 0 ? window : 5 * 60_000);
    this.log = options.log ?? entryLog(logger(this.member));
    this.applyBatchSize = options.applyBatchSize ?? applyBatchFromEnv();
    this.relay = new OutboxRelay({
      member: this.member, dataSource: options.dataSource, transport: options.transport, leaseMs: options.relayLeaseMs, batchSize: options.relayBatchSize,
      log: this.log, published: (rows) => this.published(rows),
    });
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
  /** This agency's signing key and the public keys it trusts (also used to sign the documents it issues). */
  get keys(): KeyRing {
    return this.options.keys;
  }

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
    const { envelope, row } = this.outboxRowFor(request);
    await fastInsert(manager, OutboxMessage, [row]);
    this.nudgeRelay();
    return envelope;
  }

  /** Checks, signs and builds the outbox row of a handoff (send, or a handler's send, inserted with the batch). */
  private outboxRowFor(request: SendRequest): { envelope: Envelope; row: Partial<OutboxMessage> } {
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
    // The outbox row is also the sender's record of the handoff (queued at createdAt, published at sentAt).
    const row: Partial<OutboxMessage> = {
      messageId: envelope.messageId, topic: topicFor(envelope.recipient), messageKey: envelope.correlationId,
      recipient: envelope.recipient.slice(0, 40), messageType: envelope.messageType.slice(0, 80), officerId: envelope.officerId?.slice(0, 64) ?? null,
      envelope: JSON.stringify(envelope), createdAt: new Date(), sentAt: null, attempts: 0,
      requestId: request.requestId?.slice(0, 128) ?? null, bucket: relayBucket(envelope.correlationId),
    };
    return { envelope, row };
  }

  /**
   * Queues a notification in the caller's transaction, like a handoff but addressed to nobody in particular: no
   * contract or access rule applies, it is signed by this member and published by the same relay.
   */
  async notify(manager: EntityManager, notification: Notification, requestId: string | null = null): Promise<void> {
    await fastInsert(manager, OutboxMessage, [this.notificationRowFor(notification, requestId)]);
    this.nudgeRelay();
  }

  private notificationRowFor(notification: Notification, requestId: string | null): Partial<OutboxMessage> {
    const envelope = signEnvelope({
      messageId: newMessageId(), correlationId: notification.correlationId, sender: this.member, recipient: 'notifications',
      messageType: notification.messageType, schemaVersion: 1, issuedAt: new Date().toISOString(), officerId: notification.officerId ?? null,
      payload: notification.payload,
    }, this.options.keys.privateKey);
    return {
      messageId: envelope.messageId, topic: notificationTopic(notification.channel), messageKey: envelope.correlationId,
      recipient: 'notifications', messageType: envelope.messageType.slice(0, 80), officerId: envelope.officerId?.slice(0, 64) ?? null,
      envelope: JSON.stringify(envelope), createdAt: new Date(), sentAt: null, attempts: 0, requestId: requestId?.slice(0, 128) ?? null,
      bucket: relayBucket(envelope.correlationId),
    };
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

  /**
   * Publishes the oldest unsent rows of the outbox buckets this node's relay holds, in id order; marks them sent only
   * after the bus acknowledged (OutboxRelay: several replicas share one database without publishing a row twice).
   */
  async relayOnce(): Promise<number> {
    return this.relay.relayOnce();
  }

  private published(rows: { messageId: string; messageKey: string; messageType: string; recipient: string; requestId: string | null }[]): void {
    this.options.observer?.published(rows.map((r) => r.messageType));
    for (const row of rows) {
      this.log({
        level: 'info', msg: 'handoff sent', messageId: row.messageId, correlationId: row.messageKey, messageType: row.messageType,
        recipient: row.recipient, requestId: row.requestId ?? null,
      });
    }
  }

  /** Outbox rows not yet published (metrics). */
  async outboxBacklog(): Promise<number> {
    return this.options.dataSource.getRepository(OutboxMessage).count({ where: { sentAt: IsNull() } });
  }

  /** Messages held behind open dead letters of their dossier (metrics: each waits for an operator). */
  async heldMessages(): Promise<number> {
    return this.options.dataSource.getRepository(HeldMessage).count();
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
    this.stopping = false;
    const topics = [this.inboxTopic, deadLetterTopicFor(this.member)];
    await this.options.transport.ensureTopics(topics);
    this.subscription = await this.options.transport.consume({
      groupId: this.groupId,
      topics: [this.inboxTopic],
      handleBatch: (messages, heartbeat) => this.handleBatch(messages, heartbeat),
    });
    this.runRelay();
    // Held messages whose dead letter an operator discarded (another process) are released by this sweep.
    this.sweepTimer = setInterval(() => void this.releaseHeld().catch((error) => this.log({ level: 'warn', msg: 'releasing held handoffs failed; will retry', error: String(error) })), this.options.heldSweepMs ?? 1000);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    clearTimeout(this.relayTimer);
    clearInterval(this.sweepTimer);
    await this.relaying;
    await this.relay.release();
    await this.subscription?.stop();
    this.subscription = undefined;
    await this.releasing;
  }

  /**
   * Verifies, then applies a batch in one transaction; on failure falls back to one message at a time. Nothing in a
   * message stops the partition: what fails verification is refused (dead-lettered), what fails to apply is retried
   * and then dead-lettered, and messages of a dossier with an open dead letter are held behind it.
   */
  async handleBatch(messages: IncomingMessage[], heartbeat: () => Promise<void> = async () => undefined): Promise<void> {
    const items: Item[] = [];
    for (const message of messages) {
      await heartbeat();
      try {
        const item = await this.screen(message);
        if (item) items.push(item);
      } catch (error) {
        if (classifyFailure(error) === 'transient') throw error; // the database is away: the batch comes again
        await this.refuse(message, { ok: false, reason: `malformed: ${errorText(error)}`.slice(0, 500), signed: false });
      }
    }
    if (!items.length) return;
    // In transactions of up to applyBatchSize messages, in order: locks stay short, commits (and the bench's latency)
    // come sooner, and the bus hears from us between them.
    let release = false;
    for (let start = 0; start < items.length; start += this.applyBatchSize) {
      const part = items.slice(start, start + this.applyBatchSize);
      if (start) await heartbeat();
      let outcome: Outcome | undefined;
      try {
        outcome = await this.options.dataSource.transaction((manager) => this.applyInOrder(manager, part));
      } catch {
        // one of them failed: find which, applying the others one by one (in order: a dead letter holds its dossier)
      }
      if (outcome) this.committed(outcome, part);
      else {
        for (const item of part) {
          await heartbeat();
          await this.applyOne(item, heartbeat);
        }
      }
      release ||= !outcome || outcome.unblocked;
    }
    // what waited behind a dead letter applied just now; a failure here is the sweep's to retry, not this batch's
    if (release) {
      await this.releaseHeld(heartbeat).catch((error) => this.log({ level: 'warn', msg: 'releasing held handoffs failed; will retry', error: errorText(error) }));
    }
  }

  /** Verifies one message; a refusal is dead-lettered and logged here. A stale message passes only as our own replay. */
  private async screen(message: IncomingMessage): Promise<Item | undefined> {
    const verdict = this.verifier.verify(message.value);
    const requestId = message.headers[REQUEST_ID_HEADER] ?? null;
    if (verdict.ok) return { message, envelope: verdict.envelope, requestId };
    if (verdict.stale && verdict.envelope) {
      const replay = await this.options.dataSource.getRepository(DeadLetterRecord).findOne({
        where: { sender: verdict.envelope.sender, messageId: verdict.envelope.messageId, status: DeadLetterStatus.OPEN },
      });
      if (replay) return { message, envelope: verdict.envelope, requestId };
    }
    await this.refuse(message, verdict);
    return undefined;
  }

  /**
   * Applies messages in the caller's transaction, in order. A dossier with an open dead letter (or messages already
   * held) has its messages held, except the dead-lettered message itself coming back (a replay), which is applied and
   * resolves its dead letter.
   */
  private async applyInOrder(manager: EntityManager, items: Item[]): Promise<Outcome> {
    const codes = [...new Set(items.map((i) => i.envelope.correlationId))];
    const ids = [...new Set(items.map((i) => i.envelope.messageId))];
    // One round trip for what the batch needs to know: its dossiers' open dead letters and held messages, and which of
    // its messages the inbox already has.
    const marks = (list: unknown[]) => list.map(() => '?').join(', ');
    const known: { kind: string; id: number | string | null; correlation_id: string; sender: string; message_id: string }[] = await manager.query(
      `SELECT 'open' AS kind, NULL AS id, correlation_id, sender, message_id FROM handoff_dead_letter WHERE status = ? AND correlation_id IN (${marks(codes)})
       UNION ALL SELECT 'held' AS kind, id, correlation_id, sender, message_id FROM handoff_held WHERE correlation_id IN (${marks(codes)})
       UNION ALL SELECT 'inbox' AS kind, NULL AS id, correlation_id, sender, message_id FROM handoff_inbox WHERE message_id IN (${marks(ids)})`,
      [DeadLetterStatus.OPEN, ...codes, ...codes, ...ids],
    );
    const row = (r: (typeof known)[number]) => ({ id: Number(r.id), correlationId: r.correlation_id, sender: r.sender, messageId: r.message_id });
    const open = known.filter((r) => r.kind === 'open').map(row);
    const held = known.filter((r) => r.kind === 'held').map(row);
    const inbox = new Set(known.filter((r) => r.kind === 'inbox').map((r) => `${r.sender}|${r.message_id}`));
    const apply: Item[] = [];
    const hold: Item[] = [];
    let unblocked = false;
    for (const item of items) {
      const { correlationId: code, sender, messageId } = item.envelope;
      const mine = (r: { sender: string; messageId: string }) => r.sender === sender && r.messageId === messageId;
      const blocker = open.find((r) => r.correlationId === code && mine(r));
      if (blocker) {
        apply.push(item);
        unblocked = true;
        await manager.update(DeadLetterRecord, { sender, messageId, status: DeadLetterStatus.OPEN }, { status: DeadLetterStatus.APPLIED, resolvedAt: new Date() });
        continue;
      }
      const waiting = open.some((r) => r.correlationId === code) || held.some((r) => r.correlationId === code && (!item.held || r.id < item.held.id));
      if (waiting) {
        if (!item.held && !held.some(mine) && !hold.some((h) => h.envelope.sender === sender && h.envelope.messageId === messageId)) hold.push(item);
        continue;
      }
      if (item.held) {
        // released: taken off the held list first (another replica that took it already leaves nothing to delete)
        const taken = await manager.delete(HeldMessage, { id: item.held.id });
        if (taken.affected === 0) continue;
      }
      apply.push(item);
    }
    const now = new Date();
    await fastInsert(manager, HeldMessage, hold.map(({ message, envelope, requestId }) => ({
      sender: envelope.sender.slice(0, 40), messageId: envelope.messageId, correlationId: envelope.correlationId, messageType: envelope.messageType.slice(0, 80),
      envelope: JSON.stringify(envelope), requestId: requestId?.slice(0, 128) ?? null, topic: message.topic.slice(0, 120), partition: message.partition,
      offset: message.offset.slice(0, 20), heldAt: now,
    })));
    await fastInsert(manager, HandoffLogEntry, hold.map(({ envelope }) => this.logRow(envelope, HandoffDirection.RECEIVED, HandoffOutcome.HELD, 'held: an earlier message of the dossier is dead-lettered', now)));
    const { fresh, duplicates } = await this.applyAll(manager, apply, inbox);
    return { fresh, duplicates, held: hold.map((h) => h.envelope), unblocked };
  }

  /**
   * Applies messages in the caller's transaction, in order: the inbox and log rows of the batch in one statement each,
   * then each handler. Returns those applied now (not before) and the duplicates.
   */
  private async applyAll(manager: EntityManager, items: Item[], before: Set<string>): Promise<{ fresh: Envelope[]; duplicates: Envelope[] }> {
    if (!items.length) return { fresh: [], duplicates: [] };
    const key = (e: { sender: string; messageId: string }) => `${e.sender}|${e.messageId}`;
    const fresh: Item[] = [];
    const duplicates: Envelope[] = [];
    for (const item of items) {
      if (before.has(key(item.envelope))) duplicates.push(item.envelope);
      else {
        before.add(key(item.envelope));
        fresh.push(item);
      }
    }
    for (const { envelope } of fresh) {
      if (envelope.messageType !== REFUSED_TYPE && !this.options.handlers[envelope.messageType]) throw new HandoffRejection(`${this.member} has no handler for ${envelope.messageType}`);
    }
    const now = new Date();
    // The inbox row is also the receiver's record that the message was applied; a failing handler rolls it back.
    await fastInsert(manager, InboxMessage, fresh.map(({ envelope: e }) => ({
      messageId: e.messageId, correlationId: e.correlationId.slice(0, 60), sender: e.sender.slice(0, 40), messageType: e.messageType.slice(0, 80),
      officerId: e.officerId?.slice(0, 64) ?? null, appliedAt: now,
    })));
    await fastInsert(manager, HandoffLogEntry, duplicates.map((e) => this.logRow(e, HandoffDirection.RECEIVED, HandoffOutcome.DUPLICATE_IGNORED, 'already applied', now)));
    // What handlers send and notify is inserted once for the batch, after them, still in this transaction.
    const queued: Partial<OutboxMessage>[] = [];
    const batch = fresh.map((i) => i.envelope);
    const memo = new Map<string, unknown>();
    for (const { envelope, requestId } of fresh) {
      // what a handler sends on carries the id of the request that started the chain
      const context: HandoffContext = {
        envelope, manager, batch, memo,
        send: async (request) => void queued.push(this.outboxRowFor({ requestId, ...request }).row),
        notify: async (notification) => void queued.push(this.notificationRowFor(notification, requestId)),
      };
      if (envelope.messageType === REFUSED_TYPE) await this.recordRefusal(context);
      await this.options.handlers[envelope.messageType]?.(context);
    }
    for (let i = 0; i < queued.length; i += 200) await fastInsert(manager, OutboxMessage, queued.slice(i, i + 200));
    if (queued.length) this.nudgeRelay();
    return { fresh: fresh.map((i) => i.envelope), duplicates };
  }

  /** A recipient refused one of our messages: recorded in our message log of the dossier, as a step of the refused message. */
  private async recordRefusal({ envelope, manager }: HandoffContext): Promise<void> {
    const refusal = envelope.payload as unknown as RefusalPayload;
    await manager.insert(HandoffLogEntry, {
      messageId: refusal.refusedMessageId.slice(0, 36), correlationId: envelope.correlationId.slice(0, 60), recordedBy: this.member,
      direction: HandoffDirection.SENT, sender: this.member, recipient: envelope.sender.slice(0, 40), messageType: refusal.refusedMessageType.slice(0, 80),
      officerId: null, outcome: HandoffOutcome.REFUSED, reason: `refused by ${envelope.sender}: ${refusal.reason}`.slice(0, 500), at: new Date(),
    });
    this.log({
      level: 'warn', msg: 'handoff refused by its recipient', messageId: refusal.refusedMessageId, correlationId: envelope.correlationId,
      messageType: refusal.refusedMessageType, recipient: envelope.sender, reason: refusal.reason,
    });
  }

  /** After the inbox transaction committed: logs, metrics, then the fault hook (before the bus offset commit). */
  private committed({ fresh, duplicates, held }: Outcome, items: Item[]): void {
    const requestIds = new Map(items.map((i) => [`${i.envelope.sender}|${i.envelope.messageId}`, i.requestId]));
    const fields = (e: Envelope) => ({
      messageId: e.messageId, correlationId: e.correlationId, messageType: e.messageType, sender: e.sender, requestId: requestIds.get(`${e.sender}|${e.messageId}`) ?? null,
    });
    for (const envelope of fresh) this.log({ level: 'info', msg: 'handoff applied', ...fields(envelope) });
    for (const envelope of duplicates) this.log({ level: 'info', msg: 'handoff duplicate ignored', ...fields(envelope) });
    for (const envelope of held) this.log({ level: 'warn', msg: 'handoff held behind a dead letter of its dossier', ...fields(envelope) });
    if (fresh.length) this.options.observer?.applied(fresh);
    if (duplicates.length) this.options.observer?.duplicates(duplicates);
    if (fresh.length) this.options.afterCommit?.(fresh);
  }

  /**
   * One message in its own transaction. A business refusal (HandoffRejection) is dead-lettered at once; a transient
   * fault (database down or locked, deadlock, connection lost) is retried with exponential backoff for the retry window;
   * anything else (a bug) for maxAttempts. Returns false when it was dead-lettered.
   */
  private async applyOne(item: Item, heartbeat: () => Promise<void> = async () => undefined): Promise<boolean> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.options.dataSource.transaction((manager) => this.applyInOrder(manager, [item]));
        this.committed(outcome, [item]);
        return true;
      } catch (error) {
        const reason = errorText(error);
        const kind = classifyFailure(error);
        if (kind === 'rejected') return this.deadLetterVerified(item, `rejected: ${reason}`, 'rejected');
        const exhausted = kind === 'transient' ? Date.now() - started >= this.retryWindowMs : attempt >= this.maxAttempts;
        if (exhausted) return this.deadLetterVerified(item, `failed after ${attempt} attempts: ${reason}`, 'failed');
        const { messageId, correlationId } = item.envelope;
        this.log({ level: 'warn', msg: 'handoff failed; retrying', messageId, correlationId, requestId: item.requestId, attempt, fault: kind, error: reason });
        await this.pause(Math.min(30_000, 100 * 2 ** attempt), heartbeat);
      }
    }
  }

  /** Waits, telling the bus we are alive every second (a consumer silent past its session timeout is thrown out). */
  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (this.stopping) throw new Error('handoff node stopping');
      await sleep(Math.min(1000, end - Date.now()));
      await heartbeat();
    }
  }

  /** Retries a database step of the dead-letter path on transient faults, within the retry window. */
  private async withRetries<T>(step: () => Promise<T>, heartbeat: () => Promise<void> = async () => undefined): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (classifyFailure(error) !== 'transient' || Date.now() - started >= this.retryWindowMs) throw error;
        await this.pause(Math.min(30_000, 100 * 2 ** attempt), heartbeat);
      }
    }
  }

  /**
   * Releases messages held behind dead letters that are now resolved (replayed and applied, or discarded), oldest first
   * per dossier; one that fails again is dead-lettered and holds the rest of its dossier anew.
   */
  async releaseHeld(heartbeat: () => Promise<void> = async () => undefined): Promise<number> {
    if (this.releasing) {
      this.releaseAgain = true;
      return this.releasing;
    }
    this.releasing = (async () => {
      let released = 0;
      try {
        do {
          this.releaseAgain = false;
          const rows = await this.options.dataSource.getRepository(HeldMessage).createQueryBuilder('h')
            .where(`NOT EXISTS (SELECT 1 FROM handoff_dead_letter d WHERE d.correlation_id = h.correlation_id AND d.status = :open)`, { open: DeadLetterStatus.OPEN })
            .orderBy('h.id', 'ASC').take(200).getMany();
          const stuck = new Set<string>();
          for (const row of rows) {
            if (stuck.has(row.correlationId) || this.stopping) continue;
            await heartbeat();
            const item: Item = {
              message: { topic: row.topic, partition: row.partition, offset: row.offset, key: row.correlationId, value: Buffer.from(row.envelope), headers: row.requestId ? { [REQUEST_ID_HEADER]: row.requestId } : {} },
              envelope: JSON.parse(row.envelope) as Envelope, requestId: row.requestId, held: row,
            };
            if (await this.applyOne(item, heartbeat)) released++;
            else stuck.add(row.correlationId);
          }
          if (rows.length === 200 && !this.stopping) this.releaseAgain = true;
        } while (this.releaseAgain && !this.stopping);
      } finally {
        this.releasing = undefined;
      }
      return released;
    })();
    return this.releasing;
  }

  /**
   * A verified message that cannot be applied: recorded as an open dead letter (its dossier's later messages wait
   * behind it), logged in the dossier's message log, published to the dead-letter topic, and its sender told why.
   */
  private async deadLetterVerified(item: Item, reason: string, kind: 'rejected' | 'failed'): Promise<false> {
    const { envelope } = item;
    await this.recordSafely('a dead letter', () => this.options.dataSource.transaction(async (manager) => {
      const fields = { correlationId: envelope.correlationId.slice(0, 60), messageType: envelope.messageType.slice(0, 80), reason: reason.slice(0, 500), status: DeadLetterStatus.OPEN, deadLetteredAt: new Date(), resolvedAt: null, resolvedBy: null, resolution: null };
      const existing = await manager.findOne(DeadLetterRecord, { where: { sender: envelope.sender, messageId: envelope.messageId } });
      if (existing) await manager.update(DeadLetterRecord, { id: existing.id }, fields);
      else await manager.insert(DeadLetterRecord, { sender: envelope.sender.slice(0, 40), messageId: envelope.messageId, ...fields });
      if (item.held) await manager.delete(HeldMessage, { id: item.held.id });
      await manager.insert(HandoffLogEntry, this.logRow(envelope, HandoffDirection.RECEIVED, HandoffOutcome.DEAD_LETTERED, reason));
    }));
    if (kind === 'rejected') await this.recordSafely('a refusal to the sender', () => this.options.dataSource.transaction((manager) => this.sendRefusal(manager, envelope, reason)));
    await this.deadLetter(item.message, reason, kind, envelope);
    return false;
  }

  /**
   * A message that failed verification: dead-lettered (never replayed as it is), logged in the refused-messages log
   * (never in a dossier's message log), and, when its signature verified, its sender is told why.
   */
  private async refuse(message: IncomingMessage, verdict: Extract<Verdict, { ok: false }>): Promise<void> {
    const envelope = verdict.envelope;
    const claimed = (value: unknown, length: number) => (typeof value === 'string' ? value.slice(0, length) : null);
    await this.recordSafely('a refused message', () => this.options.dataSource.getRepository(RefusedMessage).insert({
      messageId: claimed(envelope?.messageId, 36), sender: claimed(envelope?.sender, 40), correlationId: claimed(envelope?.correlationId, 60),
      messageType: claimed(envelope?.messageType, 80), reason: verdict.reason.slice(0, 500), signed: verdict.signed,
      topic: message.topic.slice(0, 120), partition: message.partition, offset: message.offset.slice(0, 20), refusedAt: new Date(),
    }).then(() => undefined));
    if (verdict.signed && envelope) await this.recordSafely('a refusal to the sender', () => this.options.dataSource.transaction((manager) => this.sendRefusal(manager, envelope, verdict.reason)));
    await this.deadLetter(message, verdict.reason, 'refused', envelope);
  }

  /**
   * A bookkeeping step of the dead-letter path: transient faults are retried for the window and, past it, the batch
   * comes again (the database is away); anything else is logged and the message still dead-lettered, so that no
   * message can stop the partition.
   */
  private async recordSafely(what: string, step: () => Promise<unknown>): Promise<void> {
    try {
      await this.withRetries(step);
    } catch (error) {
      if (classifyFailure(error) === 'transient' || this.stopping) throw error;
      this.log({ level: 'error', msg: `could not record ${what}`, error: errorText(error) });
    }
  }

  /** Queues a signed handoff.refused to the (verified) sender; never in answer to a refusal, and only where the contracts allow. */
  private async sendRefusal(manager: EntityManager, envelope: Envelope, reason: string): Promise<void> {
    if (envelope.messageType === REFUSED_TYPE || !this.verifier.allowsSending(this.member, REFUSED_TYPE, envelope.sender)) return;
    const code = validateDossierCode(envelope.correlationId);
    const payload: RefusalPayload = {
      refusedMessageId: envelope.messageId.slice(0, 100) || '?', refusedMessageType: envelope.messageType.slice(0, 80) || '?', reason: reason.slice(0, 1000), refusedAt: new Date().toISOString(),
    };
    await this.send(manager, {
      messageType: REFUSED_TYPE, recipient: envelope.sender, correlationId: code.ok && code.value === envelope.correlationId ? envelope.correlationId : NO_DOSSIER, payload: payload as unknown as Record<string, unknown>,
    });
  }

  /**
   * Publishes the message to the dead-letter topic with the reason; the offset moves on only after that. The record
   * stays under the topic's size limit: the original whole when it fits, else its SHA-256, size and position.
   */
  private async deadLetter(message: IncomingMessage, reason: string, kind: 'refused' | 'rejected' | 'failed', envelope?: Envelope): Promise<void> {
    const topic = deadLetterTopicFor(this.member);
    await this.options.transport.ensureTopics([topic]);
    let record = deadLetterRecord(message, reason, kind, this.member, this.maxBytes);
    try {
      await this.options.transport.publish([{ topic, key: record.key, value: record.value, headers: record.headers }]);
    } catch (error) {
      // the broker's limit is lower than ours: keep the hash, which always fits
      if (record.omitted || !/too large|MESSAGE_TOO_LARGE|max message size/i.test(errorText(error))) throw error;
      record = deadLetterRecord(message, reason, kind, this.member, 0);
      await this.options.transport.publish([{ topic, key: record.key, value: record.value, headers: record.headers }]);
    }
    this.options.observer?.deadLettered(envelope?.messageType);
    this.log({
      level: 'warn', msg: 'handoff dead-lettered', messageId: envelope?.messageId ?? message.headers['x-message-id'] ?? null,
      correlationId: envelope?.correlationId ?? message.key, messageType: envelope?.messageType ?? null,
      requestId: message.headers[REQUEST_ID_HEADER] ?? null, reason, kind, ...(record.omitted ? { omitted: 'original too large; sha256 kept' } : {}),
    });
  }
}

/** HANDOFF_APPLY_BATCH: messages applied per transaction (default 100, 1 to 1000). */
export function applyBatchFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HANDOFF_APPLY_BATCH;
  if (raw === undefined || raw === '') return 100;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new Error(`HANDOFF_APPLY_BATCH must be a whole number from 1 to 1000, not "${raw}"`);
  return value;
}

/** The message type a recipient sends back to a verified sender whose message it refused. */
export const REFUSED_TYPE = 'handoff.refused';
/** The correlation id of a refusal for a message that named no valid dossier code. */
export const NO_DOSSIER = 'NONE-000101-0000';

export interface RefusalPayload {
  refusedMessageId: string;
  refusedMessageType: string;
  reason: string;
  refusedAt: string;
}

interface Item {
  message: IncomingMessage;
  envelope: Envelope;
  requestId: string | null;
  /** Set when released from the held list. */
  held?: HeldMessage;
}

interface Outcome {
  fresh: Envelope[];
  duplicates: Envelope[];
  held: Envelope[];
  /** A replayed dead letter was applied: messages held behind it may go. */
  unblocked: boolean;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const TRANSIENT_CODES = new Set([
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_PROTOCOL',
  'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED', 'ER_CONNECTION_KILLED',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN', 'ENETUNREACH',
]);
const TRANSIENT_MESSAGE = /database is locked|deadlock|lock wait timeout|connection (lost|closed|reset|refused)|server has gone away|too many connections|ECONNRESET|ECONNREFUSED|ETIMEDOUT|pool is closed|cannot enqueue/i;

/**
 * What kind of failure stopped a message: a business refusal (HandoffRejection: no retry helps), a transient fault
 * of the database or the network (retried over the retry window), or anything else (a bug: a few attempts).
 */
export function classifyFailure(error: unknown): 'rejected' | 'transient' | 'bug' {
  if (error instanceof HandoffRejection) return 'rejected';
  const seen = new Set<unknown>();
  for (let current = error as { code?: unknown; driverError?: unknown; cause?: unknown; message?: unknown } | undefined; current && typeof current === 'object' && !seen.has(current);
    current = (current.driverError ?? current.cause) as typeof current) {
    seen.add(current);
    if (typeof current.code === 'string' && TRANSIENT_CODES.has(current.code)) return 'transient';
    if (typeof current.message === 'string' && TRANSIENT_MESSAGE.test(current.message)) return 'transient';
  }
  return 'bug';
}

/** Headers of the original worth keeping on its dead letter, each cut short (a hostile record may carry huge ones). */
function keptHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('x-dead-letter') && !name.startsWith('x-original'))
    .slice(0, 32).map(([name, value]) => [name.slice(0, 100), String(value).slice(0, 1000)]));
}

/** Room a Kafka record takes besides its key, value and headers (batch and record framing), with margin. */
const RECORD_OVERHEAD = 1024;

/** The dead-letter record of a message: whole when it fits under `maxBytes`, else its hash, size and position. */
export function deadLetterRecord(message: IncomingMessage, reason: string, kind: string, member: string, maxBytes: number): {
  key: string; value: string | Buffer; headers: Record<string, string>; omitted: boolean;
} {
  const key = (message.key ?? 'unknown').slice(0, 200);
  const headers: Record<string, string> = {
    ...keptHeaders(message.headers),
    'x-dead-letter-reason': reason.slice(0, 1000),
    'x-dead-letter-kind': kind,
    'x-original-topic': message.topic,
    'x-original-partition': String(message.partition),
    'x-original-offset': message.offset,
    'x-dead-lettered-by': member,
    'x-dead-lettered-at': new Date().toISOString(),
  };
  const original = message.value ?? Buffer.alloc(0);
  const size = typeof original === 'string' ? Buffer.byteLength(original) : original.length;
  const headerBytes = Object.entries(headers).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value) + 8, 0);
  const room = maxBytes - RECORD_OVERHEAD - Buffer.byteLength(key) - headerBytes - 200;
  if (size <= room) return { key, value: original, headers, omitted: false };
  const sha256 = createHash('sha256').update(original).digest('hex');
  headers['x-original-omitted'] = 'too large to keep whole; x-original-sha256 and x-original-size identify it';
  headers['x-original-sha256'] = sha256;
  headers['x-original-size'] = String(size);
  const value = JSON.stringify({ omitted: true, sha256, size, topic: message.topic, partition: message.partition, offset: message.offset, reason: reason.slice(0, 1000) });
  return { key, value, headers, omitted: true };
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

