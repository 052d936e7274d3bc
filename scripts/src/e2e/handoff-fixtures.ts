import { withDatabases } from '../demo-data';

/** People and parcels the handoff flows act on, picked from the seeded databases so each flow's checks hold. */
export interface FlowParticipants {
  /** Active, whole land-use rights of a person, one per transfer the tests make. */
  transfers: { parcelId: string; transferor: string; transferee: string }[];
  mothers: { personalNumber: string; communeCode: string }[];
  founder: string;
  /** Owes overdue tax (a past-due unpaid obligation is added for them). */
  debtor: string;
  /** Elderly citizens, each with a living relative on record (a child) who may declare their death. */
  deceased: { personalNumber: string; relative: string }[];
  /** A living citizen related on record to none of the deceased: the attacker of the standing tests. */
  stranger: string;
}

export async function pickParticipants(env: NodeJS.ProcessEnv, counts = { transfers: 4, deceased: 2 }): Promise<FlowParticipants> {
  return withDatabases(env, async (databases) => {
    const civil = databases.get('civil-status')!.dataSource;
    const land = databases.get('land')!.dataSource;
    const tax = databases.get('tax')!.dataSource;
    const living = (await civil.query(
      `SELECT personal_number AS n, sex AS s, birth_date AS b, residence_commune_code AS c, father_personal_number AS f, mother_personal_number AS m
       FROM citizen WHERE death_date IS NULL ORDER BY personal_number`,
    )) as { n: string; s: string; b: string | Date; c: string; f: string | null; m: string | null }[];
    const married = (await civil.query(
      `SELECT subject_personal_number AS a, second_personal_number AS b FROM civil_status_record WHERE type = 'MARRIAGE' AND second_personal_number IS NOT NULL`,
    )) as { a: string; b: string }[];
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
    // The deceased come with a living child on record, who declares the death (standing: a relative).
    const children = new Map<string, string[]>();
    for (const c of living) for (const parent of [c.f, c.m]) if (parent) children.set(parent, [...(children.get(parent) ?? []), c.n]);
    const deceased = Array.from({ length: counts.deceased }, () => {
      const person = take(living.filter((c) => year(c.b) <= 1960 && (children.get(c.n) ?? []).some((child) => !used.has(child))).map((c) => c.n));
      return { personalNumber: person, relative: take(children.get(person)!) };
    });
    const byNumber = new Map(living.map((c) => [c.n, c]));
    const relatedTo = (a: string, b: string) => {
      const x = byNumber.get(a)!;
      const y = byNumber.get(b)!;
      const shared = (p: string | null, q: string | null) => p !== null && p === q;
      return x.f === b || x.m === b || y.f === a || y.m === a || shared(x.f, y.f) || shared(x.m, y.m)
        || married.some((r) => (r.a === a && r.b === b) || (r.a === b && r.b === a));
    };
    const stranger = take(living.filter((c) => deceased.every((d) => !relatedTo(c.n, d.personalNumber))).map((c) => c.n));
    return { transfers, mothers, founder, debtor, deceased, stranger };
  });
}
