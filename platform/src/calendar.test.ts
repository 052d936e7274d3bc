import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { WorkingCalendar } from './calendar';

const calendar = new WorkingCalendar();
const local = (iso: string) => new Date(`${iso}+07:00`);

test('weekends, public holidays and make-up days come from the data file', () => {
  assert.equal(calendar.isWorkingDay('2025-04-25'), true); // Friday
  assert.equal(calendar.isWorkingDay('2025-04-26'), true); // Saturday made up for 2 May
  assert.equal(calendar.isWorkingDay('2025-04-27'), false); // Sunday
  assert.equal(calendar.isWorkingDay('2025-04-30'), false);
  assert.equal(calendar.isWorkingDay('2025-05-02'), false);
  assert.equal(calendar.isWorkingDay('2025-01-29'), false); // Tết
  assert.equal(calendar.nextWorkingDay('2025-01-24'), '2025-02-03'); // Tết week skipped
});

test('appointment counts working hours, skipping lunch, nights and holidays', () => {
  // Monday 09:00 + 1 working day (8 h) = Tuesday 09:00
  assert.equal(calendar.appointment(local('2025-10-13T09:00:00'), 1).toISOString(), local('2025-10-14T09:00:00').toISOString());
  // Friday 10:00 + 2 days = Tuesday 10:00
  assert.equal(calendar.appointment(local('2025-10-17T10:00:00'), 2).toISOString(), local('2025-10-21T10:00:00').toISOString());
  // half a day from 11:00: 1 h before lunch, 3 h after → 16:00
  assert.equal(calendar.appointment(local('2025-10-13T11:00:00'), 0.5).toISOString(), local('2025-10-13T16:00:00').toISOString());
  // same-day procedures (giải quyết trong ngày): by the close of that working day; after the cut-off, of the next one
  assert.equal(calendar.appointment(local('2025-10-13T11:00:00'), 0).toISOString(), local('2025-10-13T17:00:00').toISOString());
  assert.equal(calendar.appointment(local('2025-10-13T15:30:00'), 0).toISOString(), local('2025-10-14T17:00:00').toISOString());
  // received Friday before Tết: 3 days count from Monday 3 February
  assert.equal(calendar.appointment(local('2025-01-24T09:00:00'), 3).toISOString(), local('2025-02-05T09:00:00').toISOString());
});

test('after the 15:00 cut-off or before opening, the clock starts the next working morning', () => {
  assert.equal(calendar.clockStart(local('2025-10-13T15:30:00')).toISOString(), local('2025-10-14T08:00:00').toISOString());
  assert.equal(calendar.clockStart(local('2025-10-13T07:00:00')).toISOString(), local('2025-10-13T08:00:00').toISOString());
  assert.equal(calendar.clockStart(local('2025-10-18T09:00:00')).toISOString(), local('2025-10-20T08:00:00').toISOString()); // Saturday
  // received after the cut-off: the day counted is Tuesday, so the appointment is Tuesday's close
  assert.equal(calendar.appointment(local('2025-10-13T16:00:00'), 1).toISOString(), local('2025-10-14T17:00:00').toISOString());
});

test('working minutes between two instants', () => {
  assert.equal(calendar.workingMinutesBetween(local('2025-10-13T08:00:00'), local('2025-10-13T17:00:00')), 480);
  assert.equal(calendar.workingMinutesBetween(local('2025-10-17T16:00:00'), local('2025-10-20T09:00:00')), 120);
  assert.equal(calendar.workingMinutesBetween(local('2025-10-20T09:00:00'), local('2025-10-17T16:00:00')), 0);
});

test('the calendar is configuration: other hours, other holidays', () => {
  const custom = new WorkingCalendar({
    holidays: new Set(['2030-01-02']), makeUpWorkingDays: new Set(), workingPeriods: [[7 * 60 + 30, 11 * 60 + 30], [13 * 60 + 30, 17 * 60 + 30]],
  });
  assert.equal(custom.minutesPerDay, 480);
  assert.equal(custom.appointment(local('2030-01-01T08:00:00'), 1).toISOString(), local('2030-01-03T08:00:00').toISOString());
});

test('the cut-off and working hours are configuration (INTAKE_CUTOFF, WORKING_HOURS); bad values are refused', () => {
  const late = new WorkingCalendar({}, { INTAKE_CUTOFF: '16:30', WORKING_HOURS: '07:30-11:30,13:30-17:30' });
  // received Monday 16:00: before a 16:30 cut-off, so the clock starts at once; 1 day = 480 minutes of 07:30–11:30, 13:30–17:30
  assert.equal(late.appointment(local('2025-10-13T16:00:00'), 1).toISOString(), local('2025-10-14T16:00:00').toISOString());
  assert.equal(late.clockStart(local('2025-10-13T16:45:00')).toISOString(), local('2025-10-14T07:30:00').toISOString());
  assert.throws(() => new WorkingCalendar({}, { INTAKE_CUTOFF: '3pm' }), /INTAKE_CUTOFF: expected HH:MM/);
  assert.throws(() => new WorkingCalendar({}, { WORKING_HOURS: '13:00-17:00,08:00-12:00' }), /in order and not overlap/);
});
