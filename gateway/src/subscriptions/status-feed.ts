import { Subscription, Transport } from '@onestop/platform/gateway';
import { followNotifications } from '../notification-feed';

export interface StatusEvent {
  code: string;
  status?: string;
  statusCode?: number;
  at?: string;
}

type Listener = (event: StatusEvent) => void;

/**
 * The dossier-status notifications single-window publishes (outbox → bus) as a live feed for this gateway process:
 * `followNotifications` (a group per process, from the end of the topic).
 * An event is only a trigger: subscribers re-read the dossier through the graph, so its payload is not trusted.
 */
export class DossierStatusFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly everyEvent = new Set<Listener>();
  private subscription?: Subscription;

  constructor(private readonly transport: Transport, private readonly channel = 'dossier-status') {}

  async start(): Promise<void> {
    this.subscription = await followNotifications(this.transport, this.channel, async (messages) => {
      for (const message of messages) {
        const event = parse(message.value);
        if (event) this.emit(event);
      }
    });
  }

  /** Calls `listener` for each event of this dossier until the returned function is called. */
  listen(code: string, listener: Listener): () => void {
    let set = this.listeners.get(code);
    if (!set) this.listeners.set(code, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size) this.listeners.delete(code);
    };
  }

  /** Calls `listener` for every event (of any dossier) until the returned function is called. */
  listenAll(listener: Listener): () => void {
    this.everyEvent.add(listener);
    return () => void this.everyEvent.delete(listener);
  }

  get listening(): number {
    let count = this.everyEvent.size;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  emit(event: StatusEvent): void {
    for (const listener of this.listeners.get(event.code) ?? []) listener(event);
    for (const listener of this.everyEvent) listener(event);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    await this.transport.close();
  }
}

function parse(value: Buffer | null): StatusEvent | null {
  if (!value) return null;
  try {
    const envelope = JSON.parse(value.toString('utf8')) as { correlationId?: unknown; payload?: Record<string, unknown> };
    if (typeof envelope.correlationId !== 'string') return null;
    const payload = envelope.payload ?? {};
    return {
      code: envelope.correlationId,
      status: typeof payload.status === 'string' ? payload.status : undefined,
      statusCode: typeof payload.statusCode === 'number' ? payload.statusCode : undefined,
      at: typeof payload.at === 'string' ? payload.at : undefined,
    };
  } catch {
    return null;
  }
}
