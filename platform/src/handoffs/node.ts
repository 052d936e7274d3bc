import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { BadUserInputError } from '../errors';
import { AccessTable } from './access';
import { contractFor, deadLetterTopicFor, Member, topicFor } from './contracts';
import { Envelope, newMessageId, signEnvelope } from './envelope';
import { HandoffDirection, HandoffLogEntry, HandoffOutcome, InboxMessage, OutboxMessage } from './entities';
import { KeyRing } from './keys';
import { IncomingMessage, Subscription, Transport } from './transport';
import { fastInsert } from './fast-insert';
import { checkPayload } from './payload-validation';
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
    }]);
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
    await this.options.dataSource.getRepository(OutboxMessage)
      .update({ id: In(rows.map((r) => r.id)) }, { sentAt: new Date(), attempts: () => 'attempts + 1' });
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
      const applied = await this.options.dataSource.transaction((manager) => this.applyAll(manager, valid.map((v) => v.envelope)));
      this.options.afterCommit?.(applied);
      return;
    } catch {
      // one of them failed: find which, applying the others one by one
    }
    for (const item of valid) await this.applyWithRetries(item.message, item.envelope);
  }

  /**
   * Applies messages in the caller's transaction, in order: the inbox and log rows of the batch in one statement each,
   * then each handler. Returns those applied now (not before).
   */
  private async applyAll(manager: EntityManager, envelopes: Envelope[]): Promise<Envelope[]> {
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
      await this.options.handlers[envelope.messageType]({ envelope, manager, send: async (request) => void (await this.send(manager, request)) });
    }
    return fresh;
  }

  private async applyWithRetries(message: IncomingMessage, envelope: Envelope): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await this.options.dataSource.transaction((manager) => this.applyAll(manager, [envelope]));
        if (applied.length) this.options.afterCommit?.(applied);
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

/** Sends a handoff built from a GraphQL input; a payload the contract refuses becomes BAD_USER_INPUT on that input field. */
export async function sendFromInput(node: HandoffNode, manager: EntityManager, request: SendRequest, inputField: string): Promise<Envelope> {
  try {
    return await node.send(manager, request);
  } catch (error) {
    if (error instanceof HandoffPayloadError) throw new BadUserInputError(error.path ? `${inputField}.${error.path}` : inputField, error.reason);
    throw error;
  }
}
