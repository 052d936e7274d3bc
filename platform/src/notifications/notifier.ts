import { DataSource, In } from 'typeorm';
import { Envelope, parseEnvelope, verifyEnvelope } from '../handoffs/envelope';
import { KeyRing } from '../handoffs/keys';
import { notificationTopic } from '../handoffs/contracts';
import { REQUEST_ID_HEADER } from '../handoffs/node';
import { IncomingMessage, Subscription, Transport } from '../handoffs/transport';
import { NotificationDelivery } from './delivery';
import { Notice, NotificationSender } from './sender';

export interface NotifierOptions {
  /** The member running it (its consumer group is `onestop-<member>-notifier-<channel>`). */
  member: string;
  channel: string;
  transport: Transport;
  dataSource: DataSource;
  keys: KeyRing;
  /** Members whose notifications are sent; anything else on the topic is refused. */
  trustedSenders: string[];
  /** The notices for one notification: null when it is not one to tell anybody, [] when there is nobody to tell. */
  render: (envelope: Envelope) => Promise<Notice[] | null>;
  sender: NotificationSender;
  log: (entry: Record<string, unknown>) => void;
  /** Attempts per notice before it is recorded FAILED (default 3). */
  attempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads a notifications topic and sends each notification's notices once: a delivery row per message and medium is
 * the record (a redelivered message finds it and sends nothing again). A provider that keeps failing does not stop the
 * topic: after the retries the notice is recorded FAILED with the error, and the next one goes.
 */
export async function startNotifier(options: NotifierOptions): Promise<Subscription> {
  const topic = notificationTopic(options.channel);
  await options.transport.ensureTopics([topic]);
  const deliveries = options.dataSource.getRepository(NotificationDelivery);

  const verified = (message: IncomingMessage): Envelope | null => {
    const parsed = parseEnvelope(message.value);
    if (!parsed.ok) {
      options.log({ level: 'warn', msg: 'notification refused', reason: `malformed: ${parsed.reason}`, offset: message.offset });
      return null;
    }
    const envelope = parsed.envelope;
    const trusted = options.trustedSenders.includes(envelope.sender);
    let key = trusted ? options.keys.publicKeyOf(envelope.sender) : undefined;
    if (trusted && (!key || !verifyEnvelope(envelope, key)) && options.keys.refresh(envelope.sender)) key = options.keys.publicKeyOf(envelope.sender);
    if (!key || !verifyEnvelope(envelope, key)) {
      options.log({ level: 'warn', msg: 'notification refused', reason: `not signed by a trusted sender (${envelope.sender})`, messageId: envelope.messageId });
      return null;
    }
    return envelope;
  };

  const deliver = async (envelope: Envelope, notice: Notice): Promise<{ outcome: string; error: string | null }> => {
    const attempts = options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await options.sender.send(notice);
        return { outcome: 'SENT', error: null };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= attempts) return { outcome: 'FAILED', error: reason.slice(0, 500) };
        options.log({ level: 'warn', msg: 'notice not sent; retrying', messageId: envelope.messageId, medium: notice.medium, attempt, error: reason });
        await sleep(Math.min(5000, 200 * 2 ** attempt));
      }
    }
  };

  return options.transport.consume({
    groupId: `onestop-${options.member}-notifier-${options.channel}`,
    topics: [topic],
    handleBatch: async (messages) => {
      // the request that caused each notification (the relay's header), for the log lines
      const requestIds = new Map<string, string>();
      const envelopes = messages.map((message) => {
        const envelope = verified(message);
        const requestId = message.headers[REQUEST_ID_HEADER];
        if (envelope && requestId) requestIds.set(envelope.messageId, requestId);
        return envelope;
      }).filter((e): e is Envelope => e !== null);
      if (!envelopes.length) return;
      const done = new Set((await deliveries.find({ select: { messageId: true, medium: true }, where: { messageId: In(envelopes.map((e) => e.messageId)) } }))
        .map((d) => `${d.messageId}|${d.medium}`));
      for (const envelope of envelopes) {
        const notices = await options.render(envelope);
        if (notices === null) continue;
        if (!notices.length && !done.has(`${envelope.messageId}|none`)) {
          await deliveries.insert({ messageId: envelope.messageId, medium: 'none', reference: envelope.correlationId.slice(0, 60), outcome: 'NO_CONTACT', sender: '-', error: null, at: new Date() });
          done.add(`${envelope.messageId}|none`);
        }
        for (const notice of notices) {
          if (done.has(`${envelope.messageId}|${notice.medium}`)) continue;
          const { outcome, error } = await deliver(envelope, notice);
          await deliveries.insert({
            messageId: envelope.messageId, medium: notice.medium, reference: notice.reference.slice(0, 60), outcome, sender: options.sender.name.slice(0, 40), error, at: new Date(),
          });
          // the same message may come twice in one batch
          done.add(`${envelope.messageId}|${notice.medium}`);
          options.log({ level: outcome === 'SENT' ? 'info' : 'warn', msg: `notice ${outcome === 'SENT' ? 'sent' : 'failed'}`, messageId: envelope.messageId, medium: notice.medium, reference: notice.reference, error, requestId: requestIds.get(envelope.messageId) ?? null });
        }
      }
    },
  });
}
