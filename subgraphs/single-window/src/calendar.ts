import { WorkingCalendar } from '@onestop/platform';

let calendar: WorkingCalendar | undefined;
/** The province's working calendar (holidays, working hours, intake cut-off), one per process. */
export function workingCalendar(): WorkingCalendar {
  return (calendar ??= new WorkingCalendar());
}
