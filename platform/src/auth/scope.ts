import type { Identity } from './identity';
import { ForbiddenError } from './access';
import { AgencyTree, agencyTree } from './agency-tree';

/**
 * Agency scope of mutations. Every mutation declares, with `@Scope('…')`, which record's agency bounds it; the rule
 * text is what README's mutation × scope table shows, and a test fails for a mutation of the supergraph without one.
 * The declaration is the contract; `requireAgencyScope` is how resolvers keep it.
 */
export const MUTATION_SCOPES = new Map<string, string>();

/** Declares the scope of a mutation (registered under the method's name, or `field` when the schema name differs). */
export function Scope(rule: string, field?: string): MethodDecorator {
  return (_target, propertyKey) => {
    const name = field ?? String(propertyKey);
    const known = MUTATION_SCOPES.get(name);
    if (known !== undefined && known !== rule) throw new Error(`Mutation ${name} declares two scopes: "${known}" and "${rule}"`);
    MUTATION_SCOPES.set(name, rule);
  };
}

/** Who owns a record: the agencies it belongs to (handling, receiving…) and the administrative units it lies in. */
export interface RecordOwner {
  agencies?: readonly (string | null | undefined)[];
  /** Units the record lies in; an agency serving one of them (the token's `unit`) is in scope. */
  units?: readonly (string | null | undefined)[];
}

/**
 * Whether an officer or agency system acts within its agency: the record belongs to its agency or to an agency below
 * it in the agency tree (platform/data/agency-tree.json), or lies in the unit it serves. Admins pass; other roles are
 * outside this rule (their own rules apply: a citizen's records are their own). A record with no known owner is in
 * nobody's scope.
 */
export function inAgencyScope(identity: Identity | null | undefined, owner: RecordOwner, tree: AgencyTree = agencyTree()): boolean {
  if (!identity) return false;
  if (identity.role === 'admin') return true;
  if (identity.role !== 'officer' && identity.role !== 'agency-system') return true;
  const actor = identity.agency;
  if (actor && (owner.agencies ?? []).some((agency) => !!agency && tree.actsFor(actor, agency))) return true;
  return !!identity.unit && (owner.units ?? []).includes(identity.unit);
}

/** Throws FORBIDDEN (reason OUT_OF_AGENCY_SCOPE) unless the caller acts within its agency; see inAgencyScope. */
export function requireAgencyScope(
  caller: { identity: Identity | null; securityOff?: boolean }, owner: RecordOwner, what: string,
): void {
  if (caller.securityOff || inAgencyScope(caller.identity, owner)) return;
  const owners = (owner.agencies ?? []).filter(Boolean);
  throw new ForbiddenError(`${what} belongs to ${owners.length ? owners.join(' / ') : 'another agency'}, not to ${caller.identity?.agency ?? 'your agency'}`, {
    role: caller.identity?.role, reason: 'OUT_OF_AGENCY_SCOPE',
  });
}
