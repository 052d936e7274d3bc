import { ForbiddenError, Identity } from '@onestop/platform';

/** The caller as the request context carries it; `securityOff` is the benchmark baseline (never in production). */
export interface Caller {
  identity: Identity | null;
  securityOff?: boolean;
}
import { EntityManager, FindOptionsWhere } from 'typeorm';
import type { Dossier } from './entities/dossier';
import { AdministrativeLevel } from './entities/administrative-unit';
import { Agency, AgencySector } from './entities/agency';

/**
 * Who sees a dossier: the applicant (citizen), officers and systems of the receiving or handling agency, analysts
 * (personal fields masked) and admins.
 */
export function mayReadDossier(caller: Caller, dossier: Pick<Dossier, 'applicantPersonalNumber' | 'receivingAgencyCode' | 'handlingAgencyCode'>): boolean {
  if (caller.securityOff) return true;
  const identity = caller.identity;
  if (!identity) return false;
  switch (identity.role) {
    case 'admin':
    case 'analyst':
      return true;
    case 'citizen':
      return dossier.applicantPersonalNumber === identity.subject;
    default:
      return identity.agency === dossier.receivingAgencyCode || identity.agency === dossier.handlingAgencyCode;
  }
}

export function guardDossier<T extends Dossier | null>(caller: Caller, dossier: T): T {
  if (dossier && !mayReadDossier(caller, dossier)) {
    throw new ForbiddenError(`Dossier ${dossier.code} is not yours to see`, { role: caller.identity?.role });
  }
  return dossier;
}

/** The rows a caller may list: a citizen their own, staff their agency's (received or handled), others all. */
export function dossierScope(caller: Caller, where: FindOptionsWhere<Dossier>): FindOptionsWhere<Dossier>[] {
  if (caller.securityOff) return [where];
  const identity = caller.identity;
  if (!identity) return [];
  if (identity.role === 'citizen') return [{ ...where, applicantPersonalNumber: identity.subject }];
  if (identity.role === 'officer' || identity.role === 'agency-system') {
    const agency = identity.agency as string;
    // Filtered to the officer's own agency already: one condition, not an OR that the database cannot walk an index for.
    if (where.receivingAgencyCode === agency || where.handlingAgencyCode === agency) return [where];
    // Else received by it or handled by it, where the filter leaves that open.
    const scope: FindOptionsWhere<Dossier>[] = [];
    if (where.receivingAgencyCode === undefined) scope.push({ ...where, receivingAgencyCode: agency });
    if (where.handlingAgencyCode === undefined) scope.push({ ...where, handlingAgencyCode: agency });
    return scope;
  }
  return [where];
}

export { officerOf } from '@onestop/platform';

/** The province's service centers (Trung tâm Phục vụ hành chính công tỉnh): they publish the catalogue and oversee feedback. */
export async function provincialServiceCenters(manager: EntityManager): Promise<string[]> {
  const rows = await manager.getRepository(Agency).findBy({ sector: AgencySector.SERVICE_CENTER, level: AdministrativeLevel.PROVINCE });
  return rows.map((agency) => agency.code);
}
