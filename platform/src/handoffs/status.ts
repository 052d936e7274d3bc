import { SendRequest } from './node';

export interface StatusReport {
  dossierCode: string;
  /** National status code 1–10. */
  statusCode: number;
  /** The reporting agency's own name for the state, e.g. IN_APPRAISAL. */
  status: string;
  /** The unit that changed it. */
  unitCode: string;
  reason?: string | null;
  officerId?: string | null;
  at?: Date;
}

/** The `dossier.status-changed` handoff every agency sends the service center when a dossier changes state. */
export function statusReport(report: StatusReport): SendRequest {
  return {
    messageType: 'dossier.status-changed',
    recipient: 'single-window',
    correlationId: report.dossierCode,
    officerId: report.officerId ?? null,
    payload: {
      statusCode: report.statusCode,
      status: report.status,
      at: (report.at ?? new Date()).toISOString(),
      unitCode: report.unitCode,
      ...(report.reason ? { reason: report.reason } : {}),
    },
  };
}
