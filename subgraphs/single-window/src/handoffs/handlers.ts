import { In } from 'typeorm';
import { HandoffContext, HandoffHandlers, HandoffRejection, rowLock } from '@onestop/platform';
import { Dossier } from '../entities/dossier';
import { DossierEvent } from '../entities/dossier-event';
import { DossierStatus, NATIONAL_STATUS_CODE } from '../entities/dossier-status';
import { moveDossier } from '../lifecycle/move';
import { IllegalTransitionError } from '../lifecycle/transitions';

interface StatusChanged {
  statusCode: number;
  status: string;
  at: string;
  unitCode: string;
  reason?: string;
}

interface CertificateIssued {
  parcelId: string;
  certificateSerial: string;
  registerNumber: string;
  holderPersonalNumber: string;
}

/**
 * The message's dossier, locked. The first handler of a transaction locks the dossiers of every message in it with one
 * query (in key order); the others find theirs in the memo, as the earlier messages left them (moveDossier updates the
 * object it is given).
 */
async function dossierOf({ envelope, manager, batch, memo }: HandoffContext): Promise<Dossier> {
  let dossiers = memo.get('dossiers') as Map<string, Dossier> | undefined;
  if (!dossiers) {
    const codes = [...new Set(batch.map((e) => e.correlationId))];
    const rows = await manager.getRepository(Dossier).find({ where: { code: In(codes) }, order: { code: 'ASC' }, lock: rowLock(manager) });
    dossiers = new Map(rows.map((d) => [d.code, d]));
    memo.set('dossiers', dossiers);
  }
  const dossier = dossiers.get(envelope.correlationId);
  if (!dossier) throw new HandoffRejection(`unknown dossier ${envelope.correlationId}`);
  return dossier;
}

/** Applies an agency's status report through the lifecycle: an illegal move is dead-lettered with the reason. */
async function applyStatusReport(context: HandoffContext<StatusChanged>): Promise<void> {
  const { envelope, manager, notify } = context;
  const report = envelope.payload;
  const status = report.status as DossierStatus;
  if (!(status in NATIONAL_STATUS_CODE)) throw new HandoffRejection(`unknown status ${report.status}`);
  if (NATIONAL_STATUS_CODE[status] !== report.statusCode) {
    throw new HandoffRejection(`status ${status} is national code ${NATIONAL_STATUS_CODE[status]}, not ${report.statusCode}`);
  }
  if ([DossierStatus.DRAFT, DossierStatus.RECEIVED, DossierStatus.INTAKE_REJECTED, DossierStatus.RETURNED].includes(status)) {
    throw new HandoffRejection(`${status} is set by the service center, not reported by ${envelope.sender}`);
  }
  const dossier = await dossierOf(context);
  try {
    await moveDossier(manager, dossier, {
      to: status, at: new Date(report.at), action: 'STATUS_REPORTED', agencyCode: report.unitCode, officerId: envelope.officerId, note: report.reason ?? null,
    }, notify);
  } catch (error) {
    if (error instanceof IllegalTransitionError) throw new HandoffRejection(`${envelope.sender}: ${error.message}`);
    throw error;
  }
}

async function recordCertificate(context: HandoffContext<CertificateIssued>): Promise<void> {
  const { envelope, manager } = context;
  const dossier = await dossierOf(context);
  const certificate = envelope.payload;
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at: new Date(envelope.issuedAt), action: 'RESULT_RECEIVED', status: dossier.status, statusCode: dossier.statusCode,
    agencyCode: null, officerId: envelope.officerId,
    note: `Giấy chứng nhận số ${certificate.certificateSerial}, số vào sổ ${certificate.registerNumber}, thửa ${certificate.parcelId}`,
  });
}

interface Refusal {
  refusedMessageId: string;
  refusedMessageType: string;
  reason: string;
}

/** An agency refused a handoff of ours: shown on the dossier's timeline (the platform already logged it). */
async function showRefusal({ envelope, manager }: HandoffContext<Refusal>): Promise<void> {
  const dossier = await manager.getRepository(Dossier).findOne({ where: { code: envelope.correlationId } });
  if (!dossier) return;
  const { refusedMessageType, refusedMessageId, reason } = envelope.payload;
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at: new Date(envelope.issuedAt), action: 'HANDOFF_REFUSED', status: dossier.status, statusCode: dossier.statusCode,
    agencyCode: null, officerId: null, note: `${envelope.sender} refused ${refusedMessageType} ${refusedMessageId}: ${reason}`.slice(0, 500),
  });
}

export const singleWindowHandoffs: HandoffHandlers = {
  'dossier.status-changed': applyStatusReport,
  'land.certificate-issued': recordCertificate,
  'handoff.refused': showRefusal,
};
