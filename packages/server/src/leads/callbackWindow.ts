import type { Urgency } from '@intake-chat/engine/schema';
import { readStaffedHours, type Shift } from '../config/configSchema.js';
import type { CenterConfig } from '../config/loadConfig.js';
import { formatter, instantsOf, mondayFirst, wallClock } from '../time/wallClock.js';

type Hours = Pick<CenterConfig, 'timeZone' | 'staffedHours'>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MINUTES_A_DAY = 24 * 60;
const MINUTES_A_WEEK = 7 * MINUTES_A_DAY;

/**
 * When the visitor can expect the call, in plain words: "within 15 minutes" while staff are in, else
 * the real next opening in the center's own time zone, "after 8:00 AM on Monday (Central Time)".
 * The target is the one of the lead's urgency; an emergency is told "as soon as we can" rather than a
 * number of minutes, since the team calls it first whatever its target (the frame adds: call 911 now
 * if in danger). docs/conversation.md, Copy rules: a center that is not staffed around the clock must never imply
 * an imminent call, so either promise is made only when staff are still in when the target is up.
 */
export function callbackWindow(
  center: Pick<CenterConfig, 'timeZone' | 'staffedHours' | 'callbackTargets'>,
  now: Date,
  locale: string,
  urgency: Urgency = 'normal',
): string {
  const spanish = locale.toLowerCase().startsWith('es');
  const target = center.callbackTargets[urgency];
  const due = new Date(now.getTime() + target * MINUTE);
  if (isStaffed(center, now) && isStaffed(center, due)) {
    if (urgency === 'emergency') return spanish ? 'lo antes posible' : 'as soon as we can';
    return spanish ? soonEs(target) : soonEn(target);
  }
  const opening = nextOpening(center, isStaffed(center, now) ? due : now);
  // Unreachable with a checked config (it lists at least one staffed day), but never promise a time.
  if (opening === null) return spanish ? 'cuando el equipo de admisiones vuelva' : 'when the admissions team is back';
  return describeOpening(opening, now, center.timeZone, spanish);
}

/** Whether staff are in at `now`, by the wall clock of the center's time zone. */
export function isStaffed(center: Hours, now: Date): boolean {
  if (center.staffedHours === '24/7') return true;
  const wall = wallClock(now.getTime(), center.timeZone);
  const minute = wall.weekday * MINUTES_A_DAY + wall.minutes;
  return shiftsOf(center).some((shift) => covers(shift, minute));
}

/**
 * The first moment at or after `now` when staff are in: `now` itself while they are, null only for
 * hours that list no day. Openings are wall-clock times: one skipped by a DST jump happens that much
 * later (RFC 5545, 3.3.5), one repeated when clocks fall back happens at its first occurrence still ahead.
 */
export function nextOpening(center: Hours, now: Date): Date | null {
  if (isStaffed(center, now)) return new Date(now.getTime());
  const today = wallClock(now.getTime(), center.timeZone);
  const shifts = shiftsOf(center);
  // A week ahead reaches every weekday again, including today's weekday when today's shift is over.
  for (let ahead = 0; ahead <= 7; ahead++) {
    const date = Date.UTC(today.year, today.month - 1, today.day + ahead);
    const weekday = mondayFirst(date);
    const openings = shifts
      .filter((shift) => shift.day === weekday)
      .flatMap((shift) => instantsOf(date + shift.open * MINUTE, center.timeZone))
      .filter((instant) => instant >= now.getTime());
    if (openings.length > 0) return new Date(Math.min(...openings));
  }
  return null;
}

function shiftsOf(center: Hours): Shift[] {
  return center.staffedHours === '24/7' ? [] : readStaffedHours(center.staffedHours).shifts;
}

function covers(shift: Shift, minuteOfWeek: number): boolean {
  const start = shift.day * MINUTES_A_DAY + shift.open;
  const end = shift.day * MINUTES_A_DAY + (shift.close > shift.open ? shift.close : shift.close + MINUTES_A_DAY);
  // A Sunday night shift runs into Monday morning, the start of the next week.
  return [minuteOfWeek, minuteOfWeek + MINUTES_A_WEEK].some((minute) => minute >= start && minute < end);
}

function describeOpening(opening: Date, now: Date, timeZone: string, spanish: boolean): string {
  const at = wallClock(opening.getTime(), timeZone);
  const today = wallClock(now.getTime(), timeZone);
  const daysAhead = Math.round(
    (Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(today.year, today.month - 1, today.day)) / DAY,
  );
  const hour = Math.floor(at.minutes / 60);
  // Written out rather than by Intl, whose "8:00 AM" spacing and "a. m." spelling vary between ICU versions.
  const clock = `${hour % 12 || 12}:${String(at.minutes % 60).padStart(2, '0')}`;
  const zone = zoneName(opening, timeZone, spanish);
  // Past next week's same weekday the name alone is ambiguous, so add the date.
  const date = daysAhead >= 7 ? dateOf(opening, timeZone, spanish) : undefined;
  if (spanish) {
    const time = `${hour % 12 === 1 ? 'la' : 'las'} ${clock} ${hour < 12 ? 'a. m.' : 'p. m.'}`;
    if (daysAhead === 0) return `hoy después de ${time} (${zone})`;
    if (daysAhead === 1) return `mañana después de ${time} (${zone})`;
    return `después de ${time} del ${WEEKDAYS_ES[at.weekday]}${date === undefined ? '' : ` ${date}`} (${zone})`;
  }
  const time = `${clock} ${hour < 12 ? 'AM' : 'PM'}`;
  if (daysAhead === 0) return `after ${time} today (${zone})`;
  if (daysAhead === 1) return `after ${time} tomorrow (${zone})`;
  return `after ${time} on ${WEEKDAYS_EN[at.weekday]}${date === undefined ? '' : `, ${date}`} (${zone})`;
}

const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const WEEKDAYS_ES = ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'];

function soonEn(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? 'within 1 hour' : `within ${minutes / 60} hours`;
  return minutes === 1 ? 'within 1 minute' : `within ${minutes} minutes`;
}

function soonEs(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? 'en una hora' : `en unas ${minutes / 60} horas`;
  return minutes === 1 ? 'en un minuto' : `en unos ${minutes} minutos`;
}

/** "Central Time" / "hora central": the generic name reads the same in summer and winter. */
function zoneName(instant: Date, timeZone: string, spanish: boolean): string {
  const name = (style: 'longGeneric' | 'long') =>
    formatter(spanish ? 'es-US' : 'en-US', { timeZone, timeZoneName: style })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  const generic = name('longGeneric');
  // Zones without a generic name (UTC) come out as "GMT+00:00"; the long name is friendlier.
  return generic.startsWith('GMT') ? name('long') : generic;
}

function dateOf(instant: Date, timeZone: string, spanish: boolean): string {
  return formatter(spanish ? 'es-US' : 'en-US', { timeZone, month: 'long', day: 'numeric' }).format(instant);
}
