import type { Kysely } from 'kysely';
import type { Schema } from '../store/openDatabase.js';
import type { RateLimit } from './createRateLimiter.js';
import { HttpError } from './HttpError.js';

/** A limit every server of one database applies together. */
export interface SharedRateLimiter {
  /** Counts one request for `key` in the database; rejects with a 429 HttpError and Retry-After when over the limit. */
  hit(key: string, now?: number): Promise<void>;
}

/** How often one server deletes the windows that have passed. */
const SWEEP_EVERY_MS = 60_000;

/**
 * A fixed-window counter per key in the `rate_windows` table: each hit is one upsert that counts up in
 * the row and returns the new count, so two servers hitting one key at once each see the other's hits
 * and the limit holds across them. For limits that must be global when several servers share one
 * PostgreSQL database (a center's intake budget); a lone SQLite server keeps them in memory instead.
 */
export function createSharedRateLimiter(
  db: Kysely<Schema>,
  { limit, windowMs }: RateLimit,
  message: string,
): SharedRateLimiter {
  let lastSweep = 0;
  async function sweep(now: number) {
    if (now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    await db
      .deleteFrom('rate_windows')
      .where('window_start', '<', new Date(now - windowMs).toISOString())
      .execute();
  }
  return {
    async hit(key, now = Date.now()) {
      const start = Math.floor(now / windowMs) * windowMs;
      const counted = await db
        .insertInto('rate_windows')
        .values({ key, window_start: new Date(start).toISOString(), hits: 1 })
        .onConflict((conflict) =>
          conflict
            .columns(['key', 'window_start'])
            .doUpdateSet((eb) => ({ hits: eb(eb.ref('rate_windows.hits'), '+', 1) })),
        )
        .returning('hits')
        .executeTakeFirstOrThrow();
      await sweep(now);
      if (Number(counted.hits) > limit) {
        const retryAfter = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
        throw new HttpError(429, 'rate_limited', message, undefined, { 'Retry-After': String(retryAfter) });
      }
    },
  };
}
