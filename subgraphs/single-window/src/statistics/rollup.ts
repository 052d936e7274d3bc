import { EntityManager, ObjectLiteral } from 'typeorm';
import { SnakeNamingStrategy } from '@onestop/platform';
import {
  AgencyDailyStatistics, AgencyMonthlyStatistics, Counter, DossierDailyStatistics, DossierMonthlyStatistics,
} from '../entities/dossier-daily-statistics';
import type { Dossier } from '../entities/dossier';

const naming = new SnakeNamingStrategy();
export const columnOf = (property: string) => naming.columnName(property, undefined, []);

export type Increments = Partial<Record<Counter | 'feeCollected', number>>;
export type RollupKey = 'level' | 'receivingAgencyCode' | 'handlingAgencyCode' | 'procedureCode';

/** One rollup table: its grain (a local day, or a month YYYY-MM, in the column of that name) and the keys it keeps. */
export interface Rollup {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entity: Function & { prototype: ObjectLiteral };
  grain: 'day' | 'month';
  keys: RollupKey[];
}

const AGENCY: RollupKey[] = ['level', 'receivingAgencyCode', 'handlingAgencyCode'];
export const ROLLUPS: readonly Rollup[] = [
  { entity: DossierDailyStatistics, grain: 'day', keys: [...AGENCY, 'procedureCode'] },
  { entity: DossierMonthlyStatistics, grain: 'month', keys: [...AGENCY, 'procedureCode'] },
  { entity: AgencyDailyStatistics, grain: 'day', keys: AGENCY },
  { entity: AgencyMonthlyStatistics, grain: 'month', keys: AGENCY },
];

/** The daily and monthly tables that keep these keys, smallest first. */
export function rollupsFor(needsProcedure: boolean): { day: Rollup; month: Rollup } {
  const fit = ROLLUPS.filter((r) => needsProcedure === r.keys.includes('procedureCode'));
  return { day: fit.find((r) => r.grain === 'day')!, month: fit.find((r) => r.grain === 'month')! };
}

/**
 * Adds to the counters of the dossier's level, units and procedure for the local day (and its month), in every
 * rollup, in the caller's transaction: one upsert per table (ON CONFLICT on SQLite, ON DUPLICATE KEY on
 * MySQL/MariaDB), so concurrent steps add up instead of overwriting.
 */
export async function addToStatistics(
  manager: EntityManager, dossier: Pick<Dossier, RollupKey>, day: string, increments: Increments,
): Promise<void> {
  const entries = Object.entries(increments).filter(([, n]) => n);
  if (!entries.length) return;
  const mysql = manager.connection.options.type !== 'better-sqlite3';
  const q = (name: string) => (mysql ? `\`${name}\`` : `"${name}"`);
  const counters = entries.map(([property]) => columnOf(property));
  const update = counters.map((c) => (mysql ? `${q(c)} = ${q(c)} + VALUES(${q(c)})` : `${q(c)} = ${q(c)} + excluded.${q(c)}`)).join(', ');
  for (const rollup of ROLLUPS) {
    const table = manager.getRepository(rollup.entity).metadata.tableName;
    const keys = [rollup.grain, ...rollup.keys.map(columnOf)];
    const columns = [...keys, ...counters];
    const sql = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
      (mysql ? `ON DUPLICATE KEY UPDATE ${update}` : `ON CONFLICT (${keys.map(q).join(', ')}) DO UPDATE SET ${update}`);
    const period = rollup.grain === 'day' ? day : day.slice(0, 7);
    await manager.query(sql, [period, ...rollup.keys.map((k) => dossier[k]), ...entries.map(([, n]) => n)]);
  }
}

/** A rollup row held in memory: its keys and counters, as the entity's properties. */
export type RollupRow = Record<string, string | number>;

/**
 * The same additions as `addToStatistics`, into rows held in memory (per entity name, then per key): for seeding a
 * registry in bulk and for checking the tables against what their dossiers say.
 */
export function accumulate(rows: Map<string, Map<string, RollupRow>>, dossier: Pick<Dossier, RollupKey>, day: string, increments: Increments): void {
  for (const rollup of ROLLUPS) {
    const period = rollup.grain === 'day' ? day : day.slice(0, 7);
    const key = [period, ...rollup.keys.map((k) => dossier[k])].join('|');
    let table = rows.get(rollup.entity.name);
    if (!table) rows.set(rollup.entity.name, (table = new Map()));
    let row = table.get(key);
    if (!row) table.set(key, (row = { [rollup.grain]: period, ...Object.fromEntries(rollup.keys.map((k) => [k, dossier[k]])) }));
    for (const [counter, n] of Object.entries(increments)) if (n) row[counter] = Number(row[counter] ?? 0) + n;
  }
}
