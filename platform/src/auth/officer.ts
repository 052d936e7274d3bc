import type { Identity } from './identity';
import { BadUserInputError } from '../errors';

/** The officer's id for timelines and handoffs: the signed-in officer's subject; agency systems and others act without one. */
export function officerOf(caller: { identity: Identity | null }): string | null {
  return caller.identity?.role === 'officer' ? caller.identity.subject.slice(0, 64) : null;
}

/**
 * The officer a mutation records: always the verified one. An input `officerId` may only repeat it; naming anyone
 * else is refused with BAD_USER_INPUT on `field`, before any effect.
 */
export function actingOfficer(caller: { identity: Identity | null }, given: string | null | undefined, field: string): string | null {
  const officer = officerOf(caller);
  if (given !== null && given !== undefined && given !== officer) {
    throw new BadUserInputError(field, 'the officer is whoever is signed in; leave it out');
  }
  return officer;
}
