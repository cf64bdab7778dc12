import { sql } from 'kysely';
import type { OpenDatabase } from '../store/openDatabase.js';

/** What one count is of: every part but the number itself, '' where the event has no such part. */
export interface CountKey {
  readonly center: string;
  /** YYYY-MM-DD in the center's time zone. */
  readonly day: string;
  readonly event: string;
  /** The step id, the route or the crisis line; '' for the other events. */
  readonly detail: string;
  readonly source: string;
  readonly medium: string;
  readonly campaign: string;
  readonly referrer: string;
}

export interface CountRow extends CountKey {
  readonly count: number;
}

/**
 * `insight_counts`: the conversion counts (docs/insight.md). Counting is `add`, in memory; `flush`
 * writes what was added as one transaction of upserts, so a burst of beacons costs the database one
 * commit every `flushMs` rather than one per beacon, and servers sharing a database add up. What a
 * crash loses is at most one interval of counts, as a beacon the browser never delivered would be.
 */
export interface InsightStore {
  add(key: CountKey, by?: number): void;
  /** Writes the counts added so far; a failed write keeps them for the next flush. */
  flush(): Promise<void>;
  /** Flushes every `flushMs` until `stop`, which flushes one last time. */
  start(flushMs?: number): void;
  stop(): Promise<void>;
  /** The center's counts from `fromDay` to `toDay` (inclusive), one row per day and key. */
  counts(center: string, fromDay: string, toDay: string): Promise<CountRow[]>;
  /** Deletes the center's counts of days before `beforeDay`; returns how many rows. */
  purge(center: string, beforeDay: string): Promise<number>;
  /** Counts added and not yet written. */
  readonly pending: number;
}

const KEY_COLUMNS = ['center', 'day', 'event', 'detail', 'source', 'medium', 'campaign', 'referrer'] as const;

/**
 * Distinct sources one server counts per center and day before it counts the rest as `OTHER_SOURCE`:
 * a campaign tag is whatever a link says, so without a bound anyone could fill the table with rows.
 * Far more than a center runs campaigns (each server of a database has its own bound).
 */
export const SOURCES_PER_DAY = 200;
/** The source of the visits past the day's bound; no tag can be written so (parentheses are refused). */
export const OTHER_SOURCE = '(other)';
/** Rows per insert statement: 9 values each, far under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

export function createInsightStore({ db }: OpenDatabase): InsightStore {
  let buffer = new Map<string, { key: CountKey; count: number }>();
  let flushing: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;
  const sourcesToday = new Map<string, { day: string; ids: Set<string> }>();

  /** The key, or with its source as `OTHER_SOURCE` once the center's day has its bound of sources. */
  const bounded = (key: CountKey): CountKey => {
    if (key.source === '' && key.medium === '' && key.campaign === '' && key.referrer === '') return key;
    let seen = sourcesToday.get(key.center);
    if (seen?.day !== key.day) {
      seen = { day: key.day, ids: new Set() };
      sourcesToday.set(key.center, seen);
    }
    const id = `${key.source}\u0000${key.medium}\u0000${key.campaign}\u0000${key.referrer}`;
    if (seen.ids.has(id)) return key;
    if (seen.ids.size < SOURCES_PER_DAY) {
      seen.ids.add(id);
      return key;
    }
    return { ...key, source: OTHER_SOURCE, medium: '', campaign: '', referrer: '' };
  };

  const keep = (key: CountKey, by: number) => {
    const id = KEY_COLUMNS.map((column) => key[column]).join('\u0000');
    const entry = buffer.get(id);
    if (entry) entry.count += by;
    else buffer.set(id, { key, count: by });
  };
  const add = (key: CountKey, by = 1) => keep(bounded(key), by);

  const write = async () => {
    if (buffer.size === 0) return;
    const taken = buffer;
    buffer = new Map();
    const rows = [...taken.values()].map(({ key, count }) => ({ ...key, count }));
    try {
      await db.transaction().execute(async (trx) => {
        for (let start = 0; start < rows.length; start += CHUNK) {
          await trx
            .insertInto('insight_counts')
            .values(rows.slice(start, start + CHUNK))
            .onConflict((conflict) =>
              conflict.columns([...KEY_COLUMNS]).doUpdateSet({ count: sql`insight_counts.count + excluded.count` }),
            )
            .execute();
        }
      });
    } catch (error) {
      // Not written: back into the buffer, added to whatever came in meanwhile.
      for (const { key, count } of taken.values()) keep(key, count);
      throw error;
    }
  };

  const flush = () => {
    // One write at a time, in order: a flush asked for during another runs after it.
    const next = flushing.then(write, write);
    flushing = next.catch(() => undefined);
    return next;
  };

  return {
    add,
    flush,
    start(flushMs = 2_000) {
      if (timer !== undefined) return;
      timer = setInterval(() => void flush().catch(() => undefined), flushMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await flush();
    },
    async counts(center, fromDay, toDay) {
      const rows = await db
        .selectFrom('insight_counts')
        .selectAll()
        .where('center', '=', center)
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay)
        .orderBy('day')
        .execute();
      return rows.map((row) => ({ ...row, count: Number(row.count) }));
    },
    async purge(center, beforeDay) {
      const result = await db
        .deleteFrom('insight_counts')
        .where('center', '=', center)
        .where('day', '<', beforeDay)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    get pending() {
      let total = 0;
      for (const { count } of buffer.values()) total += count;
      return total;
    },
  };
}
