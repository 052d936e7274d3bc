import type { EntityManager } from 'typeorm';
import type { Notification } from '@onestop/platform';
import type { Dossier } from './entities/dossier';

/** The channel the gateway's `dossierStatusChanged` subscription listens to (and notification senders, later). */
export const DOSSIER_STATUS_CHANNEL = 'dossier-status';

/**
 * Served by the gateway from the dossier-status notifications, not by this subgraph (it answers over HTTP only):
 * each event re-reads the dossier through the graph as the subscriber, with the same authorization as a query.
 */
export const SUBSCRIPTION_SDL = `
type Subscription {
  "A dossier each time its status changes (received, transferred, reported by an agency, resolved…): the fields asked for, read as the subscriber"
  dossierStatusChanged(code: String!): Dossier!
}
`;

export function statusNotification(dossier: Pick<Dossier, 'code' | 'status' | 'statusCode' | 'appointmentAt'>, at: Date, officerId?: string | null): Notification {
  return {
    channel: DOSSIER_STATUS_CHANNEL,
    correlationId: dossier.code,
    messageType: 'dossier.status-notification',
    officerId: officerId ?? null,
    payload: { code: dossier.code, status: dossier.status, statusCode: dossier.statusCode, at: at.toISOString(), appointmentAt: dossier.appointmentAt?.toISOString() ?? null },
  };
}

/** Queues the event in the transaction that changed the status (the outbox relay publishes it after commit). */
export type Notify = (manager: EntityManager, notification: Notification) => Promise<void>;
