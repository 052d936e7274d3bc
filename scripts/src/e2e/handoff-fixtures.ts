import { withDatabases } from '../demo-data';

/** People and parcels the handoff flows act on, picked from the seeded databases so each flow's checks hold. */
export interface FlowParticipants {
  /** Active, whole land-use rights of a person, one per transfer the tests make. */
  transfers: { parcelId: string; transferor: string; transferee: string }[];
  mothers: { personalNumber: string; communeCode: string }[];
  founder: string;
  /** Owes overdue tax (a past-due unpaid obligation is added for them). */
  debtor: string;
  deceased: string[];
}

export async function pickParticipants(env: NodeJS.ProcessEnv, counts = { transfers: 4, deceased: 2 }): Promise<FlowParticipants> {
  return withDatabases(env, async (databases) => {
    const civil = databases.get('civil-status')!.dataSource;
    const land = databases.get('land')!.dataSource;
    const tax = databases.get('tax')!.dataSource;
    const living = (await civil.query(
      `SELECT personal_number AS n, sex AS s, birth_date AS b, residence_commune_code AS c FROM citizen WHERE death_date IS NULL ORDER BY personal_number`,
    )) as { n: string; s: string; b: string | Date; c: string }[];
    const year = (b: string | Date) => Number(String(b instanceof Date ? b.toISOString() : b).slice(0, 4));
    const used = new Set<string>();
    const take = (candidates: string[]) => {
      const found = candidates.find((n) => !used.has(n));
      if (!found) throw new Error('not enough citizens in the demo data for the handoff tests');
      used.add(found);
      return found;
    };
    const debtors = new Set(((await tax.query(
      `SELECT DISTINCT taxpayer_personal_number AS n FROM tax_obligation WHERE status = 'UNPAID' AND taxpayer_personal_number IS NOT NULL`,
    )) as { n: string }[]).map((r) => r.n));
    const rights = (await land.query(
      `SELECT parcel_id AS p, holder_personal_number AS h FROM land_use_right
       WHERE status = 'ACTIVE' AND holder_personal_number IS NOT NULL AND share_percent = 100 ORDER BY id`,
    )) as { p: string; h: string }[];
    const alive = new Set(living.map((c) => c.n));
    const transfers: FlowParticipants['transfers'] = [];
    const parcels = new Set<string>();
    for (const right of rights) {
      if (transfers.length >= counts.transfers) break;
      if (parcels.has(right.p) || used.has(right.h) || !alive.has(right.h)) continue;
      parcels.add(right.p);
      used.add(right.h);
      transfers.push({ parcelId: right.p, transferor: right.h, transferee: '' });
    }
    if (transfers.length < counts.transfers) throw new Error('not enough whole land-use rights in the demo data');
    for (const transfer of transfers) transfer.transferee = take(living.map((c) => c.n));
    const mothers = living.filter((c) => c.s === 'FEMALE' && year(c.b) >= 1980 && year(c.b) <= 2005 && !used.has(c.n))
      .slice(0, 20).map((c) => ({ personalNumber: c.n, communeCode: c.c }));
    if (!mothers.length) throw new Error('no citizen in the demo data can be a mother');
    mothers.forEach((m) => used.add(m.personalNumber));
    const founder = take(living.filter((c) => !debtors.has(c.n) && year(c.b) <= 2000).map((c) => c.n));
    const debtor = take(living.filter((c) => year(c.b) <= 2000).map((c) => c.n));
    await tax.query(
      `INSERT INTO tax_obligation (taxpayer_personal_number, kind, period, amount, due_date, status) VALUES (?, 'NON_AGRICULTURAL_LAND_TAX', '2025', 350000, '2025-10-31', 'UNPAID')`,
      [debtor],
    );
    const deceased = Array.from({ length: counts.deceased }, () => take(living.filter((c) => year(c.b) <= 1960).map((c) => c.n)));
    return { transfers, mothers, founder, debtor, deceased };
  });
}
