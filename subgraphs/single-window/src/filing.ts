import { actingOfficer, BadUserInputError, Filing, Identity, parsePersonalNumber, validateIsoDate } from '@onestop/platform';
import { Caller } from './access';
import { Channel } from './entities/dossier-status';
import type { Dossier } from './entities/dossier';

/** What a submission may say about itself; the rest is the server's (rule: server-owned facts never come from a citizen). */
export interface SubmissionFacts {
  channel: Channel;
  officerId?: string | null;
  paidOnline?: boolean | null;
  deathRegistration?: { declarantPersonalNumber: string } | null;
}

/**
 * A citizen's own registration: the officer and the payment are facts the server records from whoever proves them,
 * so a citizen giving either is refused, naming the field; the channel is online. (Digitisation and data reuse are not
 * inputs at all: they follow from the documents linked to the dossier.)
 */
export function checkCitizenSubmission(identity: Identity, input: SubmissionFacts): void {
  for (const field of ['officerId', 'paidOnline'] as const) {
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

/** The dates of a submission's handoff parts, as plain strings in the input. */
export interface SubmissionDates {
  birthRegistration?: { birthDate: string } | null;
  deathRegistration?: { deathDate: string; personalNumber: string } | null;
}

/**
 * Dates are checked at submission, not left to the agency: a day that does not exist, a birth or death after today
 * (local date `today`), or a death before the year of birth the deceased's personal number carries is BAD_USER_INPUT
 * naming the field.
 */
export function checkSubmissionDates(input: SubmissionDates, today: string): void {
  const check = (value: string, field: string) => {
    const result = validateIsoDate(value, today);
    if (!result.ok) throw new BadUserInputError(field, result.reason);
  };
  if (input.birthRegistration) check(input.birthRegistration.birthDate, 'input.birthRegistration.birthDate');
  const death = input.deathRegistration;
  if (death) {
    check(death.deathDate, 'input.deathRegistration.deathDate');
    const deceased = parsePersonalNumber(death.personalNumber);
    if (deceased.ok && Number(death.deathDate.slice(0, 4)) < deceased.value.birthYear) {
      throw new BadUserInputError('input.deathRegistration.deathDate', `is before the birth of the deceased (born ${deceased.value.birthYear})`);
    }
  }
}
