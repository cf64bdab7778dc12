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
 * A fixed-window counter per key in the `rate_windows` table: hits are counted by an upsert that adds
 * to the row and returns the new count, so two servers hitting one key at once each see the other's
 * hits and the limit holds across them. For limits that must be global when several servers share
 * one PostgreSQL database (a center's intake budget); a lone SQLite server keeps them in memory instead.
 * Hits for one key and window that arrive together share one upsert (adding their number): a round
 * trip per lead was the largest part of a lead's cost on PostgreSQL. Each is still told its own
 * place in the count, so exactly as many pass as the limit allows.
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
  type Waiting = { readonly now: number; resolve: () => void; reject: (error: unknown) => void };
  /** Hits not yet counted, by key and window start. */
  const waiting = new Map<string, { key: string; start: number; hits: Waiting[] }>();

  async function count(key: string, start: number, hits: readonly Waiting[]) {
    const counted = await db
      .insertInto('rate_windows')
      .values({ key, window_start: new Date(start).toISOString(), hits: hits.length })
      .onConflict((conflict) =>
        conflict
          .columns(['key', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb(eb.ref('rate_windows.hits'), '+', hits.length) })),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    // Windows that have passed go once a minute; a failed sweep is tried again then, and fails no request.
    await sweep(hits.at(-1)?.now ?? start).catch(() => {});
    const before = Number(counted.hits) - hits.length;
    hits.forEach((hit, i) => {
      if (before + i + 1 <= limit) hit.resolve();
      else {
        const retryAfter = Math.max(1, Math.ceil((start + windowMs - hit.now) / 1000));
        hit.reject(new HttpError(429, 'rate_limited', message, undefined, { 'Retry-After': String(retryAfter) }));
      }
    });
  }

  function flush() {
    const batches = [...waiting.values()];
    waiting.clear();
    for (const { key, start, hits } of batches) {
      count(key, start, hits).catch((error: unknown) => {
        for (const hit of hits) hit.reject(error);
      });
    }
  }

  return {
    hit(key, now = Date.now()) {
      const start = Math.floor(now / windowMs) * windowMs;
      const id = `${start}\u0000${key}`;
      return new Promise<void>((resolve, reject) => {
        if (waiting.size === 0) setImmediate(flush);
        const batch = waiting.get(id) ?? { key, start, hits: [] };
        batch.hits.push({ now, resolve, reject });
        waiting.set(id, batch);
      });
    },
  };
}
