import fs from 'node:fs';
import path from 'node:path';

/** Working-day rules; every number here is configuration, not law (see shared/domain.md, SLA rules). */
export interface CalendarOptions {
  /** Minutes east of UTC of the local clock (Viet Nam: +420, no daylight saving). */
  utcOffsetMinutes: number;
  /** Working periods of a day in local minutes since midnight, e.g. 08:00–12:00 and 13:00–17:00. */
  workingPeriods: [number, number][];
  /** Dossiers received after this local minute count from the next working day (default 15:00). */
  intakeCutoffMinute: number;
  holidays: Set<string>;
  makeUpWorkingDays: Set<string>;
}

interface HolidayFile {
  years: Record<string, { holidays: string[]; makeUpWorkingDays?: string[] }>;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export function loadHolidayFile(file = process.env.HOLIDAYS_FILE || path.join(__dirname, '..', 'data', 'vn-holidays.json')) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as HolidayFile;
  const holidays = new Set<string>();
  const makeUpWorkingDays = new Set<string>();
  for (const year of Object.values(data.years)) {
    year.holidays.forEach((d) => holidays.add(d));
    (year.makeUpWorkingDays ?? []).forEach((d) => makeUpWorkingDays.add(d));
  }
  return { holidays, makeUpWorkingDays };
}

/** "15:00" → 900 (minutes since midnight). */
function parseClock(value: string, name: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) throw new Error(`${name}: expected HH:MM, got "${value}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** "08:00-12:00,13:00-17:00" → the working periods of a day, in order, none empty or overlapping. */
export function parseWorkingHours(value: string): [number, number][] {
  const periods = value.split(',').map((part) => {
    const [from, to] = part.split('-');
    if (to === undefined) throw new Error(`WORKING_HOURS: expected HH:MM-HH:MM[,HH:MM-HH:MM…], got "${value}"`);
    return [parseClock(from, 'WORKING_HOURS'), parseClock(to, 'WORKING_HOURS')] as [number, number];
  });
  periods.forEach(([a, b], i) => {
    if (b <= a || (i > 0 && a < periods[i - 1][1])) throw new Error(`WORKING_HOURS: periods must be in order and not overlap, got "${value}"`);
  });
  return periods;
}

/** Time arithmetic in working hours on a local calendar (8 working hours = 1 working day). */
export class WorkingCalendar {
  readonly options: CalendarOptions;
  readonly minutesPerDay: number;

  constructor(options: Partial<CalendarOptions> = {}, env: NodeJS.ProcessEnv = process.env) {
    const fromFile = options.holidays ? undefined : loadHolidayFile();
    this.options = {
      utcOffsetMinutes: 420,
      workingPeriods: env.WORKING_HOURS ? parseWorkingHours(env.WORKING_HOURS) : [[8 * 60, 12 * 60], [13 * 60, 17 * 60]],
      intakeCutoffMinute: env.INTAKE_CUTOFF ? parseClock(env.INTAKE_CUTOFF, 'INTAKE_CUTOFF') : 15 * 60,
      holidays: fromFile?.holidays ?? new Set(),
      makeUpWorkingDays: fromFile?.makeUpWorkingDays ?? new Set(),
      ...options,
    };
    this.minutesPerDay = this.options.workingPeriods.reduce((sum, [a, b]) => sum + (b - a), 0);
  }

  /** Local calendar date (YYYY-MM-DD) of an instant. */
  localDate(at: Date): string {
    return new Date(at.getTime() + this.options.utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
  }

  private localMinute(at: Date): number {
    const local = new Date(at.getTime() + this.options.utcOffsetMinutes * MINUTE_MS);
    return local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60;
  }

  /** The instant of a local date at a local minute. */
  private instant(localDate: string, minute: number): Date {
    return new Date(Date.parse(`${localDate}T00:00:00Z`) + (minute - this.options.utcOffsetMinutes) * MINUTE_MS);
  }

  isWorkingDay(localDate: string): boolean {
    if (this.options.makeUpWorkingDays.has(localDate)) return true;
    if (this.options.holidays.has(localDate)) return false;
    const weekday = new Date(`${localDate}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  nextWorkingDay(localDate: string): string {
    let day = Date.parse(`${localDate}T00:00:00Z`);
    do day += DAY_MS;
    while (!this.isWorkingDay(new Date(day).toISOString().slice(0, 10)));
    return new Date(day).toISOString().slice(0, 10);
  }

  /** When the clock starts for something received at `at`: after the cut-off or off work, the next working day's opening. */
  clockStart(at: Date): Date {
    const date = this.localDate(at);
    const minute = this.localMinute(at);
    const open = this.options.workingPeriods[0][0];
    if (this.isWorkingDay(date) && minute < this.options.intakeCutoffMinute) {
      return minute < open ? this.instant(date, open) : at;
    }
    return this.instant(this.nextWorkingDay(date), open);
  }

  /** Adds working minutes to an instant, skipping breaks, nights, weekends and holidays. */
  addWorkingMinutes(from: Date, minutes: number): Date {
    let date = this.localDate(from);
    let minute = this.localMinute(from);
    let left = minutes;
    for (let guard = 0; guard < 20_000; guard++) {
      if (this.isWorkingDay(date)) {
        for (const [start, end] of this.options.workingPeriods) {
          if (minute >= end) continue;
          const begin = Math.max(minute, start);
          const available = end - begin;
          if (left <= available) return this.instant(date, begin + left);
          left -= available;
          minute = end;
        }
      }
      date = this.nextWorkingDay(date);
      minute = 0;
    }
    throw new Error('working-time arithmetic did not converge');
  }

  /** The appointment for a procedure of `days` working days received at `receivedAt`; 0 days: the end of that working day. */
  appointment(receivedAt: Date, days: number): Date {
    const start = this.clockStart(receivedAt);
    if (days <= 0) return this.instant(this.localDate(start), this.options.workingPeriods[this.options.workingPeriods.length - 1][1]);
    return this.addWorkingMinutes(start, days * this.minutesPerDay);
  }

  /** Working minutes between two instants (0 when `to` is not after `from`). */
  workingMinutesBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    let total = 0;
    let date = this.localDate(from);
    const lastDate = this.localDate(to);
    let minute = this.localMinute(from);
    for (let guard = 0; guard < 20_000 && date <= lastDate; guard++) {
      const endMinute = date === lastDate ? this.localMinute(to) : 24 * 60;
      if (this.isWorkingDay(date)) {
        for (const [start, end] of this.options.workingPeriods) {
          const a = Math.max(start, minute);
          const b = Math.min(end, endMinute);
          if (b > a) total += b - a;
        }
      }
      date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
      minute = 0;
    }
    return Math.round(total);
  }
}
