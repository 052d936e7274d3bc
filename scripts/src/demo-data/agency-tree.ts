import fs from 'node:fs';
import path from 'node:path';
import type { AgencyTreeFile } from '@onestop/platform';
import { buildReference, Reference } from './reference';

/** The sectors whose offices act for the offices below them; a receiving desk's intake stays its own. */
const OVERSEEING_SECTORS = new Set(['LAND', 'TAX', 'CIVIL_STATUS', 'BUSINESS_REGISTRATION']);

/**
 * The agency tree the platform loads (platform/data/agency-tree.json): each office of a handling sector under the
 * office of the same sector in the nearest administrative unit above its own (a district land branch under the
 * province's land office, a commune's civil-status section under the justice department).
 */
export function agencyTree(reference: Reference = buildReference()): AgencyTreeFile {
  const parentUnit = new Map(reference.units.map((u) => [u.code!, u.parentCode ?? null]));
  const bySectorUnit = new Map(reference.agencies.map((a) => [`${a.sector}|${a.administrativeUnitCode}`, a.code!]));
  const parents: Record<string, string> = {};
  for (const agency of [...reference.agencies].sort((a, b) => a.code!.localeCompare(b.code!))) {
    if (!OVERSEEING_SECTORS.has(agency.sector as string)) continue;
    for (let unit = parentUnit.get(agency.administrativeUnitCode!) ?? null; unit; unit = parentUnit.get(unit) ?? null) {
      const above = bySectorUnit.get(`${agency.sector}|${unit}`);
      if (above) {
        parents[agency.code!] = above;
        break;
      }
    }
  }
  return {
    description: 'Each agency (key) and the agency directly above it, which may act on its records. Generated from scripts/src/demo-data/reference.ts by `node scripts/dist/demo-data/agency-tree.js`.',
    parents,
  };
}

export const AGENCY_TREE_PATH = path.resolve(__dirname, '..', '..', '..', 'platform', 'data', 'agency-tree.json');

if (require.main === module) {
  fs.writeFileSync(AGENCY_TREE_PATH, `${JSON.stringify(agencyTree(), null, 2)}\n`);
  console.log(`wrote ${AGENCY_TREE_PATH}`);
}
