/**
 * Standing: whether whoever filed a dossier may ask an agency for its effect. The filing facts travel in the signed
 * request payload (`filing`), set by the single window from the verified identity, never from the applicant's input;
 * each receiving agency decides with its own records (see README "Who may see what").
 */
import { EntityManager } from 'typeorm';
import type { Envelope } from './envelope';
import { PersonalDataAccess } from '../auth/personal-data';
import { fastInsert } from './fast-insert';

export const FILING_ACTOR_ROLES = ['officer', 'agency-system', 'admin'] as const;

export interface Filing {
  /** The applicant as the single window recorded it: for a citizen's own registration, the signed-in citizen. */
  applicantPersonalNumber: string | null;
  applicantEnterpriseCode: string | null;
  channel: 'COUNTER' | 'ONLINE' | 'POSTAL';
  /**
   * Staff who filed the dossier directly (a counter officer, an agency system, an admin): they checked the papers and
   * any representation. Null for a citizen's online registration, even once an officer has received it (form 01).
   */
  actor: { role: (typeof FILING_ACTOR_ROLES)[number]; id: string; agency: string | null } | null;
}

export type Relation = 'SPOUSE' | 'PARENT' | 'CHILD' | 'SIBLING';

export type Standing = { ok: true; basis: string } | { ok: false; code: string; reason: string };

/** A person as the civil-status register links them to their parents. */
export interface PersonLinks {
  personalNumber: string;
  fatherPersonalNumber: string | null;
  motherPersonalNumber: string | null;
}

/** How `other` is related to `person` on record (`other` is the person's spouse/parent/child/sibling), or null. */
export function relationOnRecord(person: PersonLinks, other: PersonLinks, married: boolean): Relation | null {
  if (person.personalNumber === other.personalNumber) return null;
  if (married) return 'SPOUSE';
  if (person.fatherPersonalNumber === other.personalNumber || person.motherPersonalNumber === other.personalNumber) return 'PARENT';
  if (other.fatherPersonalNumber === person.personalNumber || other.motherPersonalNumber === person.personalNumber) return 'CHILD';
  const sharedParent = (a: string | null, b: string | null) => a !== null && a === b;
  if (sharedParent(person.fatherPersonalNumber, other.fatherPersonalNumber) || sharedParent(person.motherPersonalNumber, other.motherPersonalNumber)) return 'SIBLING';
  return null;
}

const actedBy = (filing: Filing): Standing | null =>
  filing.actor ? { ok: true, basis: `filed by ${filing.actor.role} ${filing.actor.id}${filing.actor.agency ? ` (${filing.actor.agency})` : ''}` } : null;

const refuse = (reason: string): Standing => ({ ok: false, code: 'NO_STANDING', reason });

/** Death: staff filed it, or the applicant is the deceased's spouse, parent, child or sibling on record. */
export function deathStanding(filing: Filing, relationOfApplicant: Relation | null): Standing {
  return actedBy(filing) ?? (relationOfApplicant
    ? { ok: true, basis: `applicant is the deceased's ${relationOfApplicant.toLowerCase()} on record` }
    : refuse('người đi khai tử không phải là vợ/chồng, cha/mẹ, con hoặc anh/chị/em ruột của người chết theo cơ sở dữ liệu hộ tịch'));
}

/**
 * Birth: staff filed it, or the applicant is the mother, or the named father married to the mother on record
 * (a father who is not the mother's husband acknowledges paternity before an officer).
 */
export function birthStanding(filing: Filing, parents: { mother: string; father: string | null; fatherMarriedToMother: boolean }): Standing {
  const acted = actedBy(filing);
  if (acted) return acted;
  if (filing.applicantPersonalNumber === parents.mother) return { ok: true, basis: 'applicant is the mother' };
  if (parents.father && filing.applicantPersonalNumber === parents.father) {
    return parents.fatherMarriedToMother ? { ok: true, basis: 'applicant is the father, married to the mother on record' }
      : refuse('người đi khai sinh không có quan hệ hôn nhân với người mẹ theo cơ sở dữ liệu hộ tịch; nhận cha cho con phải làm tại quầy');
  }
  return refuse('người đi khai sinh không phải là cha hoặc mẹ của trẻ');
}

/** Land transfer or gift: staff filed it (and recorded any representation), or the applicant is the transferor. */
export function landTransferStanding(filing: Filing, transferor: string): Standing {
  return actedBy(filing) ?? (filing.applicantPersonalNumber === transferor ? { ok: true, basis: 'applicant is the transferor' }
    : refuse('người nộp hồ sơ không phải là bên chuyển quyền sử dụng đất'));
}

/** Enterprise registration: staff filed it, or the applicant is the legal representative. */
export function enterpriseRegistrationStanding(filing: Filing, legalRepresentative: string): Standing {
  return actedBy(filing) ?? (filing.applicantPersonalNumber === legalRepresentative ? { ok: true, basis: 'applicant is the legal representative' }
    : refuse('người nộp hồ sơ không phải là người đại diện theo pháp luật của doanh nghiệp'));
}

/** The reason a refusal carries back to the dossier: its code first, so a machine and a person can both read it. */
export function refusalReason(standing: Extract<Standing, { ok: false }>): string {
  return `${standing.code}: ${standing.reason}`;
}

/**
 * Records a write applied from a handoff in the citizen's personal-data access log: the sending agency is the
 * accessor and the message id stands where a request id would.
 */
export async function recordHandoffWrite(manager: EntityManager, member: string, envelope: Pick<Envelope, 'sender' | 'messageId'>,
  writes: { subject: string | null | undefined; fields: string[] }[]): Promise<void> {
  const at = new Date();
  const rows = writes.filter((w) => w.subject).map((w) => ({
    subject: w.subject!, recordedBy: member, action: 'write', accessorRole: 'agency-system', accessorAgency: envelope.sender.slice(0, 40),
    accessor: envelope.sender.slice(0, 64), fields: [...w.fields].sort().join(',').slice(0, 500), requestId: envelope.messageId.slice(0, 64), at,
  }));
  if (rows.length) await fastInsert(manager, PersonalDataAccess, rows);
}
