import { actingOfficer, BadUserInputError, Filing, Identity } from '@onestop/platform';
import { Caller } from './access';
import { Channel } from './entities/dossier-status';
import type { Dossier } from './entities/dossier';

/** What a submission may say about itself; the rest is the server's (rule: server-owned facts never come from a citizen). */
export interface SubmissionFacts {
  channel: Channel;
  officerId?: string | null;
  paidOnline?: boolean | null;
  digitised?: boolean | null;
  reusedData?: boolean | null;
  deathRegistration?: { declarantPersonalNumber: string } | null;
}

/**
 * A citizen's own registration: the officer, payment, digitisation and data-reuse flags are facts the server records
 * from whoever proves them, so a citizen giving any of them is refused, naming the field; the channel is online.
 */
export function checkCitizenSubmission(identity: Identity, input: SubmissionFacts): void {
  for (const field of ['officerId', 'paidOnline', 'digitised', 'reusedData'] as const) {
    if (input[field] !== null && input[field] !== undefined) {
      throw new BadUserInputError(`input.${field}`, 'is recorded by the service center, not given by the applicant');
    }
  }
  if (input.channel !== Channel.ONLINE) throw new BadUserInputError('input.channel', 'a citizen registers online (ONLINE)');
  const declarant = input.deathRegistration?.declarantPersonalNumber;
  if (declarant !== undefined && declarant !== identity.subject) {
    throw new BadUserInputError('input.deathRegistration.declarantPersonalNumber', 'must be your own personal number: you declare the death');
  }
}

/** Staff filing directly: the officer on the timeline and in the handoff is the signed-in one, never an input. */
export function checkStaffSubmission(caller: Caller, input: SubmissionFacts): string | null {
  return actingOfficer(caller, input.officerId, 'input.officerId');
}

/** Who filed the dossier, for the signed handoff: the staff member who filed it directly, or nobody (an online registration). */
export function filingOf(caller: Caller, dossier: Pick<Dossier, 'applicantPersonalNumber' | 'applicantEnterpriseCode' | 'channel'>, direct: boolean): Filing {
  const identity = caller.identity;
  const actor = direct && identity && (identity.role === 'officer' || identity.role === 'agency-system' || identity.role === 'admin')
    ? { role: identity.role, id: identity.subject.slice(0, 120), agency: identity.agency ?? null }
    : null;
  return {
    applicantPersonalNumber: dossier.applicantPersonalNumber, applicantEnterpriseCode: dossier.applicantEnterpriseCode,
    channel: dossier.channel as Filing['channel'], actor,
  };
}
