import { EntityManager } from 'typeorm';
import { HandoffContext, HandoffHandlers, HandoffRejection, rowLock } from '@onestop/platform';
import { Dossier } from '../entities/dossier';
import { DossierEvent } from '../entities/dossier-event';
import { DossierStatus, FINISHED_STATUSES, NATIONAL_STATUS_CODE } from '../entities/dossier-status';
import { workingCalendar } from '../intake';
import { statusNotification } from '../notifications';

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

/** States in which the dossier's clock does not run: the citizen or a financial obligation is awaited. */
const PAUSING = new Set<DossierStatus>([DossierStatus.FINANCIAL_OBLIGATION, DossierStatus.SUPPLEMENT_REQUESTED]);

async function dossierOf(manager: EntityManager, code: string): Promise<Dossier> {
  const dossier = await manager.getRepository(Dossier).findOne({ where: { code }, lock: rowLock(manager) });
  if (!dossier) throw new HandoffRejection(`unknown dossier ${code}`);
  return dossier;
}

/** Applies an agency's status report: the registry's status follows, and the clock pauses or resumes. */
async function applyStatusReport({ envelope, manager, notify }: HandoffContext<StatusChanged>): Promise<void> {
  const report = envelope.payload;
  const status = report.status as DossierStatus;
  if (!(status in NATIONAL_STATUS_CODE)) throw new HandoffRejection(`unknown status ${report.status}`);
  if (NATIONAL_STATUS_CODE[status] !== report.statusCode) {
    throw new HandoffRejection(`status ${status} is national code ${NATIONAL_STATUS_CODE[status]}, not ${report.statusCode}`);
  }
  if ([DossierStatus.DRAFT, DossierStatus.RECEIVED, DossierStatus.INTAKE_REJECTED, DossierStatus.RETURNED].includes(status)) {
    throw new HandoffRejection(`${status} is set by the service center, not reported by ${envelope.sender}`);
  }
  const dossier = await dossierOf(manager, envelope.correlationId);
  if (FINISHED_STATUSES.has(dossier.status)) {
    throw new HandoffRejection(`dossier ${dossier.code} is already ${dossier.status}; ${envelope.sender} cannot move it to ${status}`);
  }
  const at = new Date(report.at);
  const notes: string[] = [];
  if (report.reason) notes.push(report.reason);
  if (dossier.clockPausedAt && !PAUSING.has(status)) {
    const paused = workingCalendar().workingMinutesBetween(dossier.clockPausedAt, at);
    if (dossier.appointmentAt && paused > 0) {
      dossier.appointmentAt = workingCalendar().addWorkingMinutes(dossier.appointmentAt, paused);
      notes.push(`clock resumed after ${paused} working minutes; new appointment ${dossier.appointmentAt.toISOString()}`);
    }
    dossier.clockPausedAt = null;
  } else if (!dossier.clockPausedAt && PAUSING.has(status)) {
    dossier.clockPausedAt = at;
    notes.push('clock paused');
  }
  dossier.status = status;
  dossier.statusCode = report.statusCode;
  if (status === DossierStatus.RESOLVED) dossier.resolvedAt = at;
  await manager.getRepository(Dossier).update({ code: dossier.code }, {
    status, statusCode: report.statusCode, resolvedAt: dossier.resolvedAt, appointmentAt: dossier.appointmentAt, clockPausedAt: dossier.clockPausedAt,
  });
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at, action: 'STATUS_REPORTED', status, statusCode: report.statusCode,
    agencyCode: report.unitCode.slice(0, 30), officerId: envelope.officerId, note: notes.join('; ').slice(0, 500) || null,
  });
  await notify(statusNotification(dossier, at, envelope.officerId));
}

async function recordCertificate({ envelope, manager }: HandoffContext<CertificateIssued>): Promise<void> {
  const dossier = await dossierOf(manager, envelope.correlationId);
  const certificate = envelope.payload;
  await manager.getRepository(DossierEvent).insert({
    dossierCode: dossier.code, at: new Date(envelope.issuedAt), action: 'RESULT_RECEIVED', status: dossier.status, statusCode: dossier.statusCode,
    agencyCode: null, officerId: envelope.officerId,
    note: `Giấy chứng nhận số ${certificate.certificateSerial}, số vào sổ ${certificate.registerNumber}, thửa ${certificate.parcelId}`,
  });
}

export const singleWindowHandoffs: HandoffHandlers = {
  'dossier.status-changed': applyStatusReport,
  'land.certificate-issued': recordCertificate,
};
