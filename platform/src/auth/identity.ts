/** Who is calling, as verified by the gateway from the caller's token. */
export const ROLES = ['citizen', 'officer', 'agency-system', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Agency sectors (single-window's AgencySector) that own a subgraph; officers and agency systems belong to one. */
export const SECTOR_OF_SUBGRAPH: Record<string, string> = {
  'single-window': 'SERVICE_CENTER',
  land: 'LAND',
  tax: 'TAX',
  'business-registration': 'BUSINESS_REGISTRATION',
  'civil-status': 'CIVIL_STATUS',
};

export interface Identity {
  role: Role;
  /** The token's subject: a citizen's personal number, an officer's or analyst's id, an agency system's client id. */
  subject: string;
  /** Officer and agency system: the agency code (single-window's agencies, e.g. "H99.TAX.00"). */
  agency?: string;
  /** Officer and agency system: the agency's sector (LAND, TAX, BUSINESS_REGISTRATION, CIVIL_STATUS, SERVICE_CENTER…). */
  sector?: string;
  /** Officer: the administrative unit the agency serves, where it applies (commune-level civil-status officers). */
  unit?: string;
  name?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Everything that tells two identities apart: two requests with equal keys are made by the same caller with the same rights. */
export function identityKey(identity: Identity | null | undefined): string {
  return identity ? `${identity.role}|${identity.subject}|${identity.agency ?? ''}|${identity.sector ?? ''}|${identity.unit ?? ''}|${identity.name ?? ''}` : '';
}

/** "citizen:001190012345", "officer:H99.TAX.00:o-17": who to count and record a request against. */
export function describeIdentity(identity: Identity | null | undefined): string {
  if (!identity) return 'anonymous';
  return [identity.role, identity.agency, identity.subject].filter(Boolean).join(':');
}
