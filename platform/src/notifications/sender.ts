import { entryLog, logger } from '../observability/logger';

/** One message to one person, by SMS or e-mail. */
export interface Notice {
  medium: 'sms' | 'email';
  /** A phone number (SMS) or an address (e-mail). */
  to: string;
  subject: string;
  text: string;
  /** What it is about (the dossier code), for the provider's reports. */
  reference: string;
}

/** Sends notices; adapters for an SMS gateway or an e-mail service sit behind this one interface. */
export interface NotificationSender {
  readonly name: string;
  send(notice: Notice): Promise<void>;
}

/** The default: writes each notice to the log instead of sending it (local runs, and until a provider is configured). */
export class LoggingSender implements NotificationSender {
  readonly name = 'log';
  readonly sent: Notice[] = [];
  private readonly log = entryLog(logger('notifications'));

  async send(notice: Notice): Promise<void> {
    this.sent.push(notice);
    if (this.sent.length > 1000) this.sent.shift();
    this.log({ level: 'info', msg: 'notice (not sent: logging sender)', medium: notice.medium, to: maskContact(notice.to), reference: notice.reference, text: notice.text });
  }
}

export interface HttpSenderOptions {
  medium: Notice['medium'];
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  timeoutMs?: number;
}

/**
 * Posts each notice as JSON `{ to, subject, text, reference }` to a provider's HTTP API (an SMS brandname gateway or
 * an e-mail relay); any status but 2xx is a failure the notifier retries.
 */
export class HttpSender implements NotificationSender {
  readonly name: string;
  constructor(private readonly options: HttpSenderOptions) {
    this.name = `${options.medium}-http`;
  }

  async send(notice: Notice): Promise<void> {
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) },
      body: JSON.stringify({ to: notice.to, subject: notice.subject, text: notice.text, reference: notice.reference }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new Error(`${this.name}: ${response.status} ${(await response.text()).slice(0, 200)}`);
  }
}

/** Picks a sender per medium: one that can send it, or the logging sender. */
export class SenderByMedium implements NotificationSender {
  readonly name: string;
  constructor(private readonly senders: Partial<Record<Notice['medium'], NotificationSender>>, private readonly fallback: NotificationSender = new LoggingSender()) {
    this.name = Object.values(senders).filter((s) => s).map((s) => s!.name).join('+') || fallback.name;
  }

  send(notice: Notice): Promise<void> {
    return (this.senders[notice.medium] ?? this.fallback).send(notice);
  }

  senderFor(medium: Notice['medium']): NotificationSender {
    return this.senders[medium] ?? this.fallback;
  }
}

/** NOTIFY_SMS_URL / NOTIFY_EMAIL_URL (with NOTIFY_SMS_TOKEN / NOTIFY_EMAIL_TOKEN) turn on the HTTP adapters; otherwise notices are logged. */
export function senderFromEnv(env: NodeJS.ProcessEnv = process.env): SenderByMedium {
  const http = (medium: Notice['medium'], url: string | undefined, token: string | undefined) => (url ? new HttpSender({ medium, url, token }) : undefined);
  return new SenderByMedium({
    sms: http('sms', env.NOTIFY_SMS_URL, env.NOTIFY_SMS_TOKEN),
    email: http('email', env.NOTIFY_EMAIL_URL, env.NOTIFY_EMAIL_TOKEN),
  });
}

/** 0912345678 → 091****678; an e-mail keeps its first letter and domain. */
export function maskContact(contact: string): string {
  if (contact.includes('@')) return contact.replace(/^(.)[^@]*(@.*)$/, '$1***$2');
  return contact.length > 6 ? `${contact.slice(0, 3)}****${contact.slice(-3)}` : '***';
}
