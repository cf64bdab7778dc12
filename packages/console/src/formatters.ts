import type { Locale } from './types.js';

export interface Formatters {
  /** "Mar 3, 9:41 PM CST": a moment in the center's time zone, with the zone named. */
  readonly dateTime: (iso: string) => string;
  /** "9:41 PM": a time of today in the center's time zone. */
  readonly time: (ms: number) => string;
  /** "2026-03-03": the calendar day of a moment in the center's time zone. */
  readonly day: (ms: number) => string;
}

/** Times are shown in the center's zone, never the device's (API.md, conventions). */
export function createFormatters(locale: Locale, timeZone: string): Formatters {
  const tag = locale === 'es' ? 'es-US' : 'en-US';
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const dateTime = new Intl.DateTimeFormat(tag, {
    timeZone: zone,
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const time = new Intl.DateTimeFormat(tag, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
  // en-CA writes dates as YYYY-MM-DD, the form <input type="date"> and the export take.
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return {
    dateTime: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
    },
    time: (ms) => time.format(ms),
    day: (ms) => day.format(ms),
  };
}

/** "12 min", "1 h 5 min", "2 d 3 h": short enough for a phone, the same in English and Spanish. */
export function duration(minutes: number): string {
  const whole = Math.max(0, Math.floor(minutes));
  if (whole < 60) return `${whole} min`;
  if (whole < 24 * 60) {
    const rest = whole % 60;
    return rest ? `${Math.floor(whole / 60)} h ${rest} min` : `${whole / 60} h`;
  }
  const hours = Math.floor(whole / 60) % 24;
  const days = Math.floor(whole / (24 * 60));
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
