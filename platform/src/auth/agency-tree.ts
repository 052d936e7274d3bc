import fs from 'node:fs';
import path from 'node:path';

/** platform/data/agency-tree.json: each agency and the agency directly above it. */
export interface AgencyTreeFile {
  description?: string;
  parents: Record<string, string>;
}

/** Which agency oversees which: an office acts for the offices below it (a province's land office for its district branches). */
export class AgencyTree {
  private readonly parents: Map<string, string>;

  constructor(parents: Record<string, string>) {
    this.parents = new Map(Object.entries(parents));
    for (const start of this.parents.keys()) this.above(start);
  }

  /** The agencies above one, nearest first; a cycle in the data is refused. */
  above(agency: string): string[] {
    const chain: string[] = [];
    for (let next = this.parents.get(agency); next !== undefined; next = this.parents.get(next)) {
      if (next === agency || chain.includes(next)) throw new Error(`agency tree: ${agency} is above itself`);
      chain.push(next);
    }
    return chain;
  }

  /** Whether `actor` is the agency itself or one above it. */
  actsFor(actor: string, agency: string): boolean {
    return actor === agency || this.above(agency).includes(actor);
  }
}

export function loadAgencyTree(file = process.env.AGENCY_TREE_FILE || path.join(__dirname, '..', '..', 'data', 'agency-tree.json')): AgencyTree {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as AgencyTreeFile;
  if (!data || typeof data.parents !== 'object') throw new Error(`${file}: expected {"parents": {"<agency>": "<agency above>"}}`);
  return new AgencyTree(data.parents);
}

let shared: AgencyTree | null = null;

/** The deployment's agency tree (AGENCY_TREE_FILE, default platform/data/agency-tree.json), read once. */
export function agencyTree(): AgencyTree {
  return (shared ??= loadAgencyTree());
}
