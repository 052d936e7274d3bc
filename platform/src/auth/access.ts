import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { Identity } from './identity';

/**
 * Access rules, as written in `@Authorized(...)` on every root field (deny by default: a root field without one is
 * refused). A rule grants one kind of caller:
 * - `public`: anyone the gateway let through, signed in or not (reference data such as the procedure catalogue);
 * - `authenticated`: any signed-in caller;
 * - `citizen`, `analyst`, `admin`: that role (the resolver still restricts a citizen to their own records);
 * - `officer` (any agency) or `officer:<SECTOR>`; `system:<SECTOR>` for an agency's system account;
 *   `staff:<SECTOR>` for either.
 * Admin passes every rule.
 */
export function allows(identity: Identity | null | undefined, rule: string): boolean {
  if (rule === 'public') return true;
  if (!identity) return false;
  if (identity.role === 'admin' || rule === 'authenticated') return true;
  const [kind, sector] = rule.split(':');
  if (sector !== undefined && identity.sector !== sector) return false;
  switch (kind) {
    case 'officer': return identity.role === 'officer';
    case 'system': return identity.role === 'agency-system';
    case 'staff': return identity.role === 'officer' || identity.role === 'agency-system';
    default: return identity.role === kind;
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'Sign in to read this: send a bearer token') {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code: 'FORBIDDEN', ...extensions } });
  }
}

/** Throws unless one of the rules grants the caller access. */
export function requireAccess(identity: Identity | null | undefined, rules: readonly string[], what: string): void {
  if (rules.some((rule) => allows(identity, rule))) return;
  if (!identity) throw new UnauthenticatedError(`Sign in to read ${what}`);
  throw new ForbiddenError(`A ${describeCaller(identity)} may not access ${what}`, { role: identity.role });
}

export function describeCaller(identity: Identity): string {
  if (identity.role === 'officer' || identity.role === 'agency-system') return `${identity.role} of ${identity.sector}`;
  return identity.role;
}

/** The type-graphql auth checker every subgraph uses: `@Authorized('citizen', 'officer:TAX')`. */
export const authChecker: AuthChecker<{ identity: Identity | null; securityOff?: boolean }> = ({ context, info }, rules) => {
  if (context.securityOff) return true;
  requireAccess(context.identity, rules.length ? rules : ['authenticated'], `${info.parentType.name}.${info.fieldName}`);
  return true;
};

/** A citizen may only name themselves; everyone else passes (their own rules were checked by @Authorized). */
export function requireSelfIfCitizen(identity: Identity | null | undefined, personalNumber: string | null | undefined, what: string): void {
  if (identity?.role !== 'citizen') return;
  if (!personalNumber || personalNumber !== identity.subject) {
    throw new ForbiddenError(`A citizen may only access their own ${what}`, { role: 'citizen' });
  }
}

/**
 * For fields added to Citizen: a citizen may follow only their own record; a masked key (an analyst's view) matches
 * nothing, so the caller returns no rows (false).
 */
export function mayFollowCitizen(identity: Identity | null | undefined, personalNumber: string, what: string): boolean {
  requireSelfIfCitizen(identity, personalNumber, what);
  return !personalNumber.includes('*');
}
