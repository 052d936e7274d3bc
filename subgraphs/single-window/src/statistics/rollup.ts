import { EntityManager } from 'typeorm';
import { SnakeNamingStrategy } from '@onestop/platform';
import { Counter, DossierDailyStatistics } from '../entities/dossier-daily-statistics';
import type { Dossier } from '../entities/dossier';

const naming = new SnakeNamingStrategy();
const columnOf = (property: string) => naming.columnName(property, undefined, []);
const KEYS = ['day', 'level', 'receivingAgencyCode', 'handlingAgencyCode', 'procedureCode'].map(columnOf);

export type Increments = Partial<Record<Counter | 'feeCollected', number>>;

/**
 * Adds to the day's counters of the dossier's level, units and procedure, in the caller's transaction: one upsert
 * (ON CONFLICT on SQLite, ON DUPLICATE KEY on MySQL/MariaDB), so concurrent steps add up instead of overwriting.
 */
export async function addToStatistics(manager: EntityManager, dossier: Pick<Dossier, 'level' | 'receivingAgencyCode' | 'handlingAgencyCode' | 'procedureCode'>, day: string, increments: Increments): Promise<void> {
  const entries = Object.entries(increments).filter(([, n]) => n);
  if (!entries.length) return;
  const table = manager.getRepository(DossierDailyStatistics).metadata.tableName;
  const counters = entries.map(([property]) => columnOf(property));
  const mysql = manager.connection.options.type !== 'better-sqlite3';
  const q = (name: string) => (mysql ? `\`${name}\`` : `"${name}"`);
  const update = counters.map((c) => (mysql ? `${q(c)} = ${q(c)} + VALUES(${q(c)})` : `${q(c)} = ${q(c)} + excluded.${q(c)}`)).join(', ');
  const sql = `INSERT INTO ${q(table)} (${[...KEYS, ...counters].map(q).join(', ')}) VALUES (${[...KEYS, ...counters].map(() => '?').join(', ')}) ` +
    (mysql ? `ON DUPLICATE KEY UPDATE ${update}` : `ON CONFLICT (${KEYS.map(q).join(', ')}) DO UPDATE SET ${update}`);
  await manager.query(sql, [day, dossier.level, dossier.receivingAgencyCode, dossier.handlingAgencyCode, dossier.procedureCode, ...entries.map(([, n]) => n)]);
}
