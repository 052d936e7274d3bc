import { registerEnumType } from 'type-graphql';

/** The dossier lifecycle (shared/domain.md); each state reports one of the national portal's codes 1–10. */
export enum DossierStatus {
  DRAFT = 'DRAFT',
  RECEIVED = 'RECEIVED',
  INTAKE_REJECTED = 'INTAKE_REJECTED',
  TRANSFERRED = 'TRANSFERRED',
  IN_APPRAISAL = 'IN_APPRAISAL',
  AWAITING_PARTNER = 'AWAITING_PARTNER',
  APPROVAL = 'APPROVAL',
  SUPPLEMENT_REQUESTED = 'SUPPLEMENT_REQUESTED',
  FINANCIAL_OBLIGATION = 'FINANCIAL_OBLIGATION',
  WITHDRAWN = 'WITHDRAWN',
  STOPPED = 'STOPPED',
  RESOLVED = 'RESOLVED',
  RETURNED = 'RETURNED',
}
registerEnumType(DossierStatus, { name: 'DossierStatus' });

export const NATIONAL_STATUS_CODE: Record<DossierStatus, number> = {
  DRAFT: 1,
  RECEIVED: 2,
  INTAKE_REJECTED: 3,
  TRANSFERRED: 4,
  IN_APPRAISAL: 4,
  AWAITING_PARTNER: 4,
  APPROVAL: 4,
  SUPPLEMENT_REQUESTED: 5,
  FINANCIAL_OBLIGATION: 6,
  WITHDRAWN: 7,
  STOPPED: 8,
  RESOLVED: 9,
  RETURNED: 10,
};

/** States after which the processing clock no longer runs. */
export const FINISHED_STATUSES = new Set<DossierStatus>([
  DossierStatus.INTAKE_REJECTED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RESOLVED, DossierStatus.RETURNED,
]);

export enum Channel {
  COUNTER = 'COUNTER',
  ONLINE = 'ONLINE',
  POSTAL = 'POSTAL',
}
registerEnumType(Channel, { name: 'Channel', description: 'How the dossier was submitted: 1 counter, 2 online, 3 public postal service' });

/** The rule set in force when a dossier was received (Decree 118/2025 replaced Decrees 61/2018 and 107/2021). */
export function ruleSetAt(receivedAt: Date): string {
  return receivedAt >= new Date('2025-06-30T17:00:00Z') ? 'ND118_2025' : 'ND61_2018';
}
