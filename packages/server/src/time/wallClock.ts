// Wall clocks in a center's time zone, by Intl and nothing else: what the clock shows at an instant, and
// the instants at which it shows a given local time (DST gaps and overlaps included). Used for staffed
// hours (leads/callbackWindow.ts) and for the inbox's days (admin/inboxQuery.ts).

const DAY = 24 * 60 * 60_000;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  /** 0 is Monday, as in the config's "mon". */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
  /** The local date and time written as if it were UTC, in milliseconds. */
  local: number;
}

/** What a clock on the wall in `timeZone` shows at `instant` (DST included, by Intl). */
export function wallClock(instant: number, timeZone: string): WallClock {
  const parts = formatter('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const [year, month, day, hour, minute, second] = [
    get('year'),
    get('month'),
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  ];
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  return { year, month, day, weekday: mondayFirst(local), minutes: hour * 60 + minute, local };
}

/**
 * The instants at which the wall clock of `timeZone` shows `local` (a local date and time written as
 * if it were UTC): one, two when clocks fall back, and for a time skipped when they spring forward, the
 * instant as reckoned with the offset from before the jump, as RFC 5545 (3.3.5) and Temporal do.
 */
export function instantsOf(local: number, timeZone: string): number[] {
  // Offsets a day either side: no zone changes its offset twice within two days.
  const before = offsetAt(local - DAY, timeZone);
  const after = offsetAt(local + DAY, timeZone);
  const candidates = [...new Set([local - before, local - after])]
    .filter((instant) => wallClock(instant, timeZone).local === local)
    .sort((a, b) => a - b);
  return candidates.length > 0 ? candidates : [local - before];
}

/** The zone's offset from UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(whole, timeZone).local - whole;
}

export function mondayFirst(utcDate: number): number {
  return (new Date(utcDate).getUTCDay() + 6) % 7;
}

// Building an Intl.DateTimeFormat is slow next to using one; every lead asks for a few.
const formatters = new Map<string, Intl.DateTimeFormat>();
export function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}
