import { describe, expect, it } from 'vitest';
import { readCallbackTargets, type StaffedHours } from '../src/config/configSchema.js';
import { callbackWindow, isStaffed, nextOpening } from '../src/leads/callbackWindow.js';

/** A center's hours and callback targets, as `callbackTargetMinutes` is written in the config. */
const center = (
  staffedHours: StaffedHours,
  timeZone = 'America/Chicago',
  callbackTargetMinutes: number | Record<string, number> = 15,
) => ({
  staffedHours,
  timeZone,
  callbackTargets: readCallbackTargets(callbackTargetMinutes).targets,
});

const weekdays = center({ 'mon-fri': '08:00-20:00' });
const at = (iso: string) => new Date(iso);

describe('callbackWindow', () => {
  it('promises a call within the target minutes, in both languages, when staffed around the clock', () => {
    const always = center('24/7');
    const now = at('2026-03-15T08:00:00Z'); // 3 AM on a Sunday in Chicago
    expect(callbackWindow(always, now, 'en')).toBe('within 15 minutes');
    expect(callbackWindow(always, now, 'es')).toBe('en unos 15 minutos');
    expect(callbackWindow(center('24/7', 'America/Chicago', 30), now, 'en')).toBe('within 30 minutes');
    expect(callbackWindow(center('24/7', 'America/Chicago', 60), now, 'es')).toBe('en una hora');
  });

  it('promises a call within the target minutes while staff are in', () => {
    const mondayMorning = at('2026-03-16T15:00:00Z'); // 10:00 AM CDT
    expect(isStaffed(weekdays, mondayMorning)).toBe(true);
    expect(callbackWindow(weekdays, mondayMorning, 'en')).toBe('within 15 minutes');
  });

  it("gives Monday's opening to a visitor on Saturday night at a weekday-hours center", () => {
    const saturdayNight = at('2026-03-15T03:30:00Z'); // Saturday 10:30 PM CDT
    expect(isStaffed(weekdays, saturdayNight)).toBe(false);
    expect(nextOpening(weekdays, saturdayNight)?.toISOString()).toBe('2026-03-16T13:00:00.000Z');
    expect(callbackWindow(weekdays, saturdayNight, 'en')).toBe('after 8:00 AM on Monday (Central Time)');
    expect(callbackWindow(weekdays, saturdayNight, 'es')).toBe('después de las 8:00 a. m. del lunes (hora central)');
  });

  it('says today or tomorrow when the opening is that close', () => {
    expect(callbackWindow(weekdays, at('2026-03-16T11:00:00Z'), 'en')).toBe('after 8:00 AM today (Central Time)');
    expect(callbackWindow(weekdays, at('2026-03-16T11:00:00Z'), 'es')).toBe(
      'hoy después de las 8:00 a. m. (hora central)',
    );
    expect(callbackWindow(weekdays, at('2026-03-15T20:00:00Z'), 'en')).toBe('after 8:00 AM tomorrow (Central Time)');
    expect(callbackWindow(weekdays, at('2026-03-15T20:00:00Z'), 'es')).toBe(
      'mañana después de las 8:00 a. m. (hora central)',
    );
  });

  it('does not promise a quick call when staff leave before the target is up', () => {
    const tenToClose = at('2026-03-17T00:50:00Z'); // Monday 7:50 PM CDT, closing at 8:00 PM
    expect(isStaffed(weekdays, tenToClose)).toBe(true);
    expect(callbackWindow(weekdays, tenToClose, 'en')).toBe('after 8:00 AM tomorrow (Central Time)');
  });

  it('keeps overnight shifts staffed past midnight, into the next day', () => {
    const nights = center({ 'mon-fri': '20:00-02:00' });
    expect(isStaffed(nights, at('2026-03-17T06:00:00Z'))).toBe(true); // Tuesday 1:00 AM
    expect(isStaffed(nights, at('2026-03-14T06:30:00Z'))).toBe(true); // Saturday 1:30 AM, Friday's shift
    const saturdayAfterShift = at('2026-03-14T08:00:00Z'); // Saturday 3:00 AM
    expect(isStaffed(nights, saturdayAfterShift)).toBe(false);
    expect(callbackWindow(nights, saturdayAfterShift, 'en')).toBe('after 8:00 PM on Monday (Central Time)');
    expect(callbackWindow(nights, saturdayAfterShift, 'es')).toBe('después de las 8:00 p. m. del lunes (hora central)');
  });

  it('carries a Sunday night shift into Monday morning', () => {
    const sundayNights = center({ sun: '22:00-06:00' });
    expect(isStaffed(sundayNights, at('2026-03-16T10:00:00Z'))).toBe(true); // Monday 5:00 AM
    expect(isStaffed(sundayNights, at('2026-03-16T12:00:00Z'))).toBe(false); // Monday 7:00 AM
  });

  it('opens at 8 AM local time across the spring-forward weekend in Chicago', () => {
    const fridayEvening = at('2026-03-07T03:00:00Z'); // Friday 9:00 PM CST; clocks go forward on Sunday
    // 8:00 AM CDT is 13:00 UTC; keeping Friday's offset would say 14:00.
    expect(nextOpening(weekdays, fridayEvening)?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(callbackWindow(weekdays, fridayEvening, 'en')).toBe('after 8:00 AM on Monday (Central Time)');
    expect(isStaffed(weekdays, at('2026-03-09T13:30:00Z'))).toBe(true);
  });

  it('moves an opening skipped by the spring-forward jump to the same time after it', () => {
    const early = center({ sun: '02:30-10:00' });
    const sundayNight = at('2026-03-08T07:00:00Z'); // Sunday 1:00 AM CST; 2:00 AM becomes 3:00 AM
    expect(nextOpening(early, sundayNight)?.toISOString()).toBe('2026-03-08T08:30:00.000Z');
    expect(callbackWindow(early, sundayNight, 'en')).toBe('after 3:30 AM today (Central Time)');
  });

  it('opens again in the hour repeated when clocks fall back', () => {
    const repeated = center({ sun: '01:00-01:30' });
    const firstPass = at('2026-11-01T06:45:00Z'); // 1:45 AM CDT; at 2:00 AM CDT it is 1:00 AM CST again
    expect(isStaffed(repeated, firstPass)).toBe(false);
    expect(nextOpening(repeated, firstPass)?.toISOString()).toBe('2026-11-01T07:00:00.000Z');
  });

  it("reports a Los Angeles center's opening in Pacific Time, by its own calendar", () => {
    const coast = center({ 'mon-fri': '09:00-17:00' }, 'America/Los_Angeles');
    const sundayNight = at('2026-03-16T06:30:00Z'); // already Monday in UTC and Chicago, Sunday 11:30 PM in LA
    expect(nextOpening(coast, sundayNight)?.toISOString()).toBe('2026-03-16T16:00:00.000Z');
    expect(callbackWindow(coast, sundayNight, 'en')).toBe('after 9:00 AM tomorrow (Pacific Time)');
    expect(callbackWindow(coast, sundayNight, 'es')).toBe('mañana después de las 9:00 a. m. (hora del Pacífico)');
  });

  it('names the date when the next opening is a week away', () => {
    const mondays = center({ mon: '09:00-12:00' });
    const mondayAfternoon = at('2026-03-16T18:00:00Z'); // Monday 1:00 PM CDT
    expect(callbackWindow(mondays, mondayAfternoon, 'en')).toBe('after 9:00 AM on Monday, March 23 (Central Time)');
    expect(callbackWindow(mondays, mondayAfternoon, 'es')).toBe(
      'después de las 9:00 a. m. del lunes 23 de marzo (hora central)',
    );
  });

  it('skips closed days and says "la 1" in Spanish', () => {
    const weekends = center({ 'sat-sun': '13:00-17:00' });
    const wednesday = at('2026-03-18T15:00:00Z');
    expect(callbackWindow(weekends, wednesday, 'en')).toBe('after 1:00 PM on Saturday (Central Time)');
    expect(callbackWindow(weekends, wednesday, 'es')).toBe('después de la 1:00 p. m. del sábado (hora central)');
  });
});

describe('callbackWindow by urgency', () => {
  const targets = { emergency: 5, urgent: 10, high: 30, normal: 60 };
  const always = center('24/7', 'America/Chicago', targets);
  const now = at('2026-03-16T15:00:00Z'); // Monday 10:00 AM CDT

  it("promises each urgency's own target while staff are in", () => {
    expect(callbackWindow(always, now, 'en', 'urgent')).toBe('within 10 minutes');
    expect(callbackWindow(always, now, 'en', 'high')).toBe('within 30 minutes');
    expect(callbackWindow(always, now, 'en', 'normal')).toBe('within 1 hour');
    expect(callbackWindow(always, now, 'es', 'high')).toBe('en unos 30 minutos');
    // Without an urgency, the normal target, as before there were several.
    expect(callbackWindow(always, now, 'en')).toBe('within 1 hour');
  });

  it('tells an emergency "as soon as we can" while staff are in, not a number of minutes', () => {
    expect(callbackWindow(always, now, 'en', 'emergency')).toBe('as soon as we can');
    expect(callbackWindow(always, now, 'es', 'emergency')).toBe('lo antes posible');
    expect(callbackWindow(weekdays, now, 'en', 'emergency')).toBe('as soon as we can');
  });

  it('gives an emergency outside staffed hours the real next opening, as any lead', () => {
    const saturdayNight = at('2026-03-15T03:30:00Z'); // Saturday 10:30 PM CDT
    expect(callbackWindow(weekdays, saturdayNight, 'en', 'emergency')).toBe('after 8:00 AM on Monday (Central Time)');
    expect(callbackWindow(weekdays, saturdayNight, 'es', 'emergency')).toBe(
      'después de las 8:00 a. m. del lunes (hora central)',
    );
  });

  it('measures the time left before closing against the target of the urgency', () => {
    const hours = center({ 'mon-fri': '08:00-20:00' }, 'America/Chicago', targets);
    const tenToClose = at('2026-03-17T00:50:00Z'); // Monday 7:50 PM CDT, closing at 8:00 PM
    // Five minutes fit before closing, an hour does not.
    expect(callbackWindow(hours, tenToClose, 'en', 'emergency')).toBe('as soon as we can');
    expect(callbackWindow(hours, tenToClose, 'en', 'normal')).toBe('after 8:00 AM tomorrow (Central Time)');
    const twoToClose = at('2026-03-17T00:58:00Z'); // 7:58 PM: not even an emergency's five minutes
    expect(callbackWindow(hours, twoToClose, 'en', 'emergency')).toBe('after 8:00 AM tomorrow (Central Time)');
  });
});
