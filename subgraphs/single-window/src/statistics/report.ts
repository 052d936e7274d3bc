import { DataSource, SelectQueryBuilder } from 'typeorm';
import { SnakeNamingStrategy } from '@onestop/platform';
import { Counter, COUNTERS } from '../entities/dossier-daily-statistics';
import { rollupsFor } from './rollup';
import { Dossier } from '../entities/dossier';
import { Feedback } from '../entities/feedback';
import { OnlineService, Procedure } from '../entities/procedure';
import type { CatalogueSums } from './index766';
import { workingCalendar } from '../intake';
import { DossierStatus as S, FINISHED_STATUSES } from '../entities/dossier-status';

export type Dimension = 'LEVEL' | 'HANDLING_AGENCY' | 'RECEIVING_UNIT' | 'PROCEDURE' | 'MONTH' | 'QUARTER' | 'YEAR';

export interface ReportFilter {
  from: string;
  to: string;
  levels?: string[] | null;
  handlingAgencyCodes?: string[] | null;
  receivingAgencyCodes?: string[] | null;
  procedureCodes?: string[] | null;
}

export type Sums = Record<Counter | 'feeCollected', number>;

export interface ReportRow {
  level: string | null;
  handlingAgencyCode: string | null;
  receivingAgencyCode: string | null;
  procedureCode: string | null;
  period: string | null;
  sums: Sums;
  /** Open now: in progress, and how many of those are past their appointment (null for a row of a time period). */
  inProgress: number | null;
  inProgressOverdue: number | null;
}

const naming = new SnakeNamingStrategy();
const col = (property: string) => naming.columnName(property, undefined, []);
const KEY_OF: Partial<Record<Dimension, keyof ReportRow & keyof Dossier>> = {
  LEVEL: 'level', HANDLING_AGENCY: 'handlingAgencyCode', RECEIVING_UNIT: 'receivingAgencyCode', PROCEDURE: 'procedureCode',
};
const TIME: Dimension[] = ['MONTH', 'QUARTER', 'YEAR'];
const OPEN = Object.values(S).filter((s) => !FINISHED_STATUSES.has(s) && s !== S.DRAFT);

export function zeroSums(): Sums {
  return Object.fromEntries([...COUNTERS, 'feeCollected'].map((c) => [c, 0])) as Sums;
}

function applyFilter<T extends object>(query: SelectQueryBuilder<T>, alias: string, filter: ReportFilter): SelectQueryBuilder<T> {
  const lists: [keyof ReportFilter, string][] = [['levels', 'level'], ['handlingAgencyCodes', 'handlingAgencyCode'], ['receivingAgencyCodes', 'receivingAgencyCode'], ['procedureCodes', 'procedureCode']];
  for (const [field, property] of lists) {
    const values = filter[field] as string[] | null | undefined;
    if (values?.length) query.andWhere(`${alias}.${col(property)} IN (:...${field})`, { [field]: values });
  }
  return query;
}

/** A row with nothing counted yet: its dimensions, its period, and open counts unless it is a row of a time period. */
export function emptyRow(dimensions: Partial<Pick<ReportRow, 'level' | 'handlingAgencyCode' | 'receivingAgencyCode' | 'procedureCode'>> = {}, period: string | null = null, withOpen = true): ReportRow {
  return {
    level: null, handlingAgencyCode: null, receivingAgencyCode: null, procedureCode: null, ...dimensions, period, sums: zeroSums(),
    inProgress: withOpen ? 0 : null, inProgressOverdue: withOpen ? 0 : null,
  };
}

/** [from, to] as the whole months inside it and the days at either end (local dates, both ends included). */
export function periodSegments(from: string, to: string): { grain: 'day' | 'month'; from: string; to: string }[] {
  const monthOf = (day: string) => day.slice(0, 7);
  const shift = (month: string, by: number) => {
    const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + by, 1));
    return d.toISOString().slice(0, 7);
  };
  const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const firstWhole = from.endsWith('-01') ? monthOf(from) : shift(monthOf(from), 1);
  const lastWhole = to === lastDay(monthOf(to)) ? monthOf(to) : shift(monthOf(to), -1);
  if (firstWhole > lastWhole) return [{ grain: 'day', from, to }];
  const segments: { grain: 'day' | 'month'; from: string; to: string }[] = [{ grain: 'month', from: firstWhole, to: lastWhole }];
  if (firstWhole !== monthOf(from)) segments.unshift({ grain: 'day', from, to: lastDay(monthOf(from)) });
  if (lastWhole !== monthOf(to)) segments.push({ grain: 'day', from: `${monthOf(to)}-01`, to });
  return segments;
}

/**
 * Sums the rollups over [from, to] (local dates, both included), grouped by the dimensions asked for: whole months
 * from a monthly table, the days at either end from a daily one, without the procedure unless the report needs it.
 * With no time dimension, each row also carries the dossiers open now and those of them past their appointment.
 */
export async function statisticsReport(db: DataSource, filter: ReportFilter, groupBy: Dimension[], now = new Date()): Promise<ReportRow[]> {
  const keys = groupBy.map((d) => KEY_OF[d]).filter((k): k is NonNullable<typeof k> => !!k);
  const time = TIME.find((d) => groupBy.includes(d));
  const tables = rollupsFor(keys.includes('procedureCode') || !!filter.procedureCodes?.length);
  const raw: Record<string, string | number | null>[] = [];
  for (const segment of periodSegments(filter.from, filter.to)) {
    const rollup = tables[segment.grain];
    const period = `s.${rollup.grain}`;
    const query = db.getRepository(rollup.entity).createQueryBuilder('s')
      .where(`${period} >= :from AND ${period} <= :to`, { from: segment.from, to: segment.to });
    applyFilter(query, 's', filter);
    query.select([]);
    for (const key of keys) query.addSelect(`s.${col(key)}`, key).addGroupBy(`s.${col(key)}`);
    if (time) {
      const expression = `SUBSTR(${period}, 1, ${time === 'YEAR' ? 4 : 7})`;
      query.addSelect(expression, 'period').addGroupBy(expression);
    }
    for (const counter of [...COUNTERS, 'feeCollected']) query.addSelect(`SUM(s.${col(counter)})`, counter);
    raw.push(...(await query.getRawMany<Record<string, string | number | null>>()));
  }

  const rows = new Map<string, ReportRow>();
  const keyOf = (r: Record<string, unknown>, period: string | null) => JSON.stringify([...keys.map((k) => r[k]), period]);
  for (const r of raw) {
    let period = time ? String(r.period) : null;
    if (time === 'QUARTER' && period) period = `${period.slice(0, 4)}-Q${Math.ceil(Number(period.slice(5, 7)) / 3)}`;
    const key = keyOf(r, period);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyRow(Object.fromEntries(keys.map((k) => [k, r[k]])), period, !time)));
    for (const counter of [...COUNTERS, 'feeCollected'] as const) row.sums[counter] += Number(r[counter] ?? 0);
  }

  if (!time) {
    for (const r of await openNow(db, filter, keys, now)) {
      const key = keyOf(r, null);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = emptyRow(Object.fromEntries(keys.map((k) => [k, r[k]])), null, true)));
      row.inProgress = Number(r.open);
      row.inProgressOverdue = Number(r.overdue ?? 0);
    }
  }
  return [...rows.values()].sort((a, b) => JSON.stringify([a.period, a.level, a.handlingAgencyCode, a.receivingAgencyCode, a.procedureCode])
    .localeCompare(JSON.stringify([b.period, b.level, b.handlingAgencyCode, b.receivingAgencyCode, b.procedureCode])));
}

/** Dossiers open now, and those past their appointment, per combination of `keys` (one covering index answers it). */
async function openNow(db: DataSource, filter: ReportFilter, keys: string[], now: Date): Promise<Record<string, string | number | null>[]> {
  const open = db.getRepository(Dossier).createQueryBuilder('d').where('d.status IN (:...open)', { open: OPEN });
  applyFilter(open, 'd', filter);
  open.select([]);
  for (const key of keys) open.addSelect(`d.${col(key)}`, key).addGroupBy(`d.${col(key)}`);
  open.addSelect('COUNT(*)', 'open').addSelect('SUM(CASE WHEN d.appointment_at < :now THEN 1 ELSE 0 END)', 'overdue').setParameter('now', now);
  return open.getRawMany<Record<string, string | number | null>>();
}

/** The report's total row, from its rows: their sums, and the open counts (asked for once when the rows are time periods). */
export async function totalOf(db: DataSource, filter: ReportFilter, rows: ReportRow[], now = new Date()): Promise<ReportRow> {
  const total = emptyRow();
  for (const row of rows) {
    for (const counter of [...COUNTERS, 'feeCollected'] as const) total.sums[counter] += row.sums[counter];
  }
  if (rows.length && rows.every((row) => row.inProgress !== null)) {
    total.inProgress = rows.reduce((sum, row) => sum + row.inProgress!, 0);
    total.inProgressOverdue = rows.reduce((sum, row) => sum + (row.inProgressOverdue ?? 0), 0);
  } else {
    const [open] = await openNow(db, filter, [], now);
    total.inProgress = Number(open?.open ?? 0);
    total.inProgressOverdue = Number(open?.overdue ?? 0);
  }
  return total;
}

export interface FeedbackSums {
  received: number;
  answered: number;
  answeredOnTime: number;
  /** Open now and past its due date. */
  openOverdue: number;
}

/** Feedback received in [from, to] (local dates) for the levels and handling agencies asked for, and what became of it. */
export async function feedbackStatistics(db: DataSource, filter: ReportFilter, now = new Date()): Promise<FeedbackSums> {
  const offset = workingCalendar().options.utcOffsetMinutes * 60_000; // local dates as instants
  const from = new Date(Date.parse(`${filter.from}T00:00:00Z`) - offset);
  const to = new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000 - offset);
  const query = db.getRepository(Feedback).createQueryBuilder('f')
    .where('f.received_at >= :from AND f.received_at < :to', { from, to })
    .select('COUNT(*)', 'received')
    .addSelect("SUM(CASE WHEN f.status = 'ANSWERED' THEN 1 ELSE 0 END)", 'answered')
    .addSelect('SUM(CASE WHEN f.answered_on_time = :yes THEN 1 ELSE 0 END)', 'answeredOnTime')
    .addSelect("SUM(CASE WHEN f.status <> 'ANSWERED' AND f.due_at < :now THEN 1 ELSE 0 END)", 'openOverdue')
    .setParameters({ yes: true, now });
  if (filter.levels?.length) query.andWhere('f.level IN (:...levels)', { levels: filter.levels });
  if (filter.handlingAgencyCodes?.length) query.andWhere('f.agency_code IN (:...agencies)', { agencies: filter.handlingAgencyCodes });
  const raw = (await query.getRawOne<Record<string, string | number | null>>()) ?? {};
  return { received: Number(raw.received ?? 0), answered: Number(raw.answered ?? 0), answeredOnTime: Number(raw.answeredOnTime ?? 0), openOverdue: Number(raw.openOverdue ?? 0) };
}

/** 766 indicators 3.1 and 3.2: the active catalogue (optionally some procedures) and which online procedures were used in the period. */
export async function catalogueStatistics(db: DataSource, filter: ReportFilter): Promise<CatalogueSums> {
  const procedures = db.getRepository(Procedure).createQueryBuilder('p').where('p.active = :active', { active: true });
  if (filter.procedureCodes?.length) procedures.andWhere('p.code IN (:...codes)', { codes: filter.procedureCodes });
  const raw = (await procedures.select('COUNT(*)', 'procedures')
    .addSelect(`SUM(CASE WHEN p.online_service <> '${OnlineService.NONE}' THEN 1 ELSE 0 END)`, 'online').getRawOne<Record<string, string | number | null>>()) ?? {};
  const used = new Set<string>();
  for (const segment of periodSegments(filter.from, filter.to)) {
    const rollup = rollupsFor(true)[segment.grain];
    const period = `s.${rollup.grain}`;
    const query = db.getRepository(rollup.entity).createQueryBuilder('s')
      .innerJoin(Procedure, 'p', 'p.code = s.procedure_code AND p.active = :active', { active: true })
      .where(`${period} >= :from AND ${period} <= :to AND s.received_online > 0`, { from: segment.from, to: segment.to });
    applyFilter(query, 's', filter);
    for (const row of await query.select('DISTINCT s.procedure_code', 'code').getRawMany<{ code: string }>()) used.add(row.code);
  }
  const usedRaw = { used: used.size };
  return { procedures: Number(raw.procedures ?? 0), onlineProcedures: Number(raw.online ?? 0), onlineProceduresUsed: Number(usedRaw.used ?? 0) };
}
