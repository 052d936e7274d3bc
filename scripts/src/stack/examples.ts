/** Citizens of the demo data worth showing: the portal's richest cases, found through the gateway (as an admin). */
const CANDIDATES = `{ enterprises(limit: 100) { items { legalRepresentative { personalNumber
  landRights { items { id } } taxObligations { items { id } } dossiers { items { code } } civilStatusRecords { items { id } } } } } }`;

interface Candidate {
  personalNumber: string;
  landRights: { items: unknown[] };
  taxObligations: { items: unknown[] };
  dossiers: { items: unknown[] };
  civilStatusRecords: { items: unknown[] };
}

/**
 * A legal representative of an enterprise who also holds land, owes tax, filed dossiers and has civil-status records:
 * one query about them touches all five subgraphs. Falls back to weaker matches; null when the graph is empty.
 */
export async function findRichCitizen(gatewayUrl: string, headers: Record<string, string>): Promise<string | null> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: CANDIDATES }),
  });
  const body = (await response.json()) as { data?: { enterprises: { items: { legalRepresentative: Candidate | null }[] } }; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`example lookup failed: ${JSON.stringify(body.errors)}`);
  const people = (body.data?.enterprises.items ?? []).map((e) => e.legalRepresentative).filter((p): p is Candidate => p !== null);
  const rich =
    people.find((p) => p.landRights.items.length && p.taxObligations.items.length && p.dossiers.items.length && p.civilStatusRecords.items.length) ??
    people.find((p) => p.landRights.items.length && p.dossiers.items.length) ??
    people[0];
  return rich?.personalNumber ?? null;
}

/** A living woman of child-bearing age and her commune, for the birth registration example; null when none. */
export async function findMother(gatewayUrl: string, headers: Record<string, string>): Promise<{ personalNumber: string; residenceCommuneCode: string } | null> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ citizens(limit: 100) { items { personalNumber sex birthDate isAlive residenceCommuneCode } } }' }),
  });
  const body = (await response.json()) as { data?: { citizens: { items: { personalNumber: string; sex: string; birthDate: string; isAlive: boolean; residenceCommuneCode: string }[] } } };
  const found = body.data?.citizens.items.find((c) => c.sex === 'FEMALE' && c.isAlive && c.birthDate >= '1980' && c.birthDate <= '2005');
  return found ? { personalNumber: found.personalNumber, residenceCommuneCode: found.residenceCommuneCode } : null;
}
