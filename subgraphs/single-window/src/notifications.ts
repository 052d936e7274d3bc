import type { EntityManager } from 'typeorm';
import { Notice, Notification, NotificationSender, senderFromEnv, startNotifier, SubgraphWorker } from '@onestop/platform';
import { Dossier, Dossier as DossierEntity } from './entities/dossier';
import { workingCalendar } from './intake';

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
  "A citizen's own dossiers: first each one as it is now (a snapshot, newest first, at most 100), then a dossier each time the status of one of theirs changes (new ones included)"
  myDossierStatusChanged: Dossier!
}
`;

/** The channel the gateway listens to for catalogue changes (it drops its cached catalogue answers). */
export const PROCEDURE_CATALOGUE_CHANNEL = 'procedure-catalogue';

export function catalogueNotification(code: string, at: Date, officerId: string | null): Notification {
  return {
    channel: PROCEDURE_CATALOGUE_CHANNEL,
    correlationId: code,
    messageType: 'procedure.catalogue-changed',
    officerId,
    payload: { code, at: at.toISOString() },
  };
}

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

/** Statuses the applicant is told about by SMS or e-mail; the steps between agencies are in the lookup only. */
const TOLD: Record<string, string> = {
  RECEIVED: 'đã được tiếp nhận',
  INTAKE_REJECTED: 'không được tiếp nhận',
  SUPPLEMENT_REQUESTED: 'cần bổ sung, hoàn thiện',
  FINANCIAL_OBLIGATION: 'cần thực hiện nghĩa vụ tài chính',
  STOPPED: 'đã dừng giải quyết',
  RESOLVED: 'đã có kết quả',
};

function localTime(at: Date): string {
  const local = new Date(at.getTime() + workingCalendar().options.utcOffsetMinutes * 60_000).toISOString();
  return `${local.slice(11, 16)} ${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)}`;
}

/** The notices for one status notification, in Vietnamese, to the applicant's phone and e-mail; null for a status they are not told. */
export function noticesFor(dossier: Pick<Dossier, 'code' | 'contactPhone' | 'contactEmail' | 'appointmentAt' | 'apologyAppointmentAt'>, status: string): Notice[] | null {
  const told = TOLD[status];
  if (!told) return null;
  const appointment = dossier.apologyAppointmentAt ?? dossier.appointmentAt;
  const text = `Hồ sơ ${dossier.code} ${told}.` + (appointment && (status === 'RECEIVED' || status === 'SUPPLEMENT_REQUESTED') ? ` Hẹn trả kết quả: ${localTime(appointment)}.` : '') +
    (status === 'RESOLVED' ? ' Mời ông/bà nhận kết quả theo hình thức đã đăng ký.' : '') + ' Tra cứu: mã hồ sơ.';
  const subject = `Hồ sơ ${dossier.code}`;
  const notices: Notice[] = [];
  if (dossier.contactPhone) notices.push({ medium: 'sms', to: dossier.contactPhone, subject, text, reference: dossier.code });
  if (dossier.contactEmail) notices.push({ medium: 'email', to: dossier.contactEmail, subject, text, reference: dossier.code });
  return notices;
}

/** The worker: sends the dossier-status notifications of this registry to applicants (senderFromEnv: SMS/e-mail HTTP adapters, or the log). */
export const statusNotifier = (sender?: NotificationSender): SubgraphWorker => async ({ member, dataSource, transport, keys, log }) =>
  startNotifier({
    member, channel: DOSSIER_STATUS_CHANNEL, transport, dataSource, keys, trustedSenders: [member], sender: sender ?? senderFromEnv(), log,
    render: async (envelope) => {
      const dossier = await dataSource.getRepository(DossierEntity).findOneBy({ code: envelope.correlationId });
      return dossier ? noticesFor(dossier, String(envelope.payload.status)) : null;
    },
  });
