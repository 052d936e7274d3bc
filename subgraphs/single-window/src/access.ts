import { ForbiddenError, Identity } from '@onestop/platform';
import { FindOptionsWhere } from 'typeorm';
import type { Dossier } from './entities/dossier';

/**
 * Who sees a dossier: the applicant (citizen), officers and systems of the receiving or handling agency, analysts
 * (personal fields masked) and admins.
 */
export function mayReadDossier(identity: Identity | null, dossier: Pick<Dossier, 'applicantPersonalNumber' | 'receivingAgencyCode' | 'handlingAgencyCode'>): boolean {
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

export function guardDossier<T extends Dossier | null>(identity: Identity | null, dossier: T): T {
  if (dossier && !mayReadDossier(identity, dossier)) {
    throw new ForbiddenError(`Dossier ${dossier.code} is not yours to see`, { role: identity?.role });
  }
  return dossier;
}

/** The rows a caller may list: a citizen their own, staff their agency's (received or handled), others all. */
export function dossierScope(identity: Identity | null, where: FindOptionsWhere<Dossier>): FindOptionsWhere<Dossier>[] {
  if (!identity) return [];
  if (identity.role === 'citizen') return [{ ...where, applicantPersonalNumber: identity.subject }];
  if (identity.role === 'officer' || identity.role === 'agency-system') {
    const agency = identity.agency as string;
    if (where.receivingAgencyCode && where.receivingAgencyCode !== agency && where.handlingAgencyCode !== agency) return [];
    if (where.handlingAgencyCode && where.handlingAgencyCode !== agency && where.receivingAgencyCode !== agency) return [];
    return [{ ...where, receivingAgencyCode: (where.receivingAgencyCode as string | undefined) ?? agency }, { ...where, handlingAgencyCode: (where.handlingAgencyCode as string | undefined) ?? agency }];
  }
  return [where];
}
