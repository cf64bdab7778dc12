import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HttpError, loadConfig, migrate, startServer } from '@intake-chat/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSharedRateLimiter } from '../src/http/createSharedRateLimiter.js';
import { storageBackends, type TestDatabase } from './support/testDatabases.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-03T15:00:10.000Z');

describe.each(await storageBackends())('a limit shared through $name', (backend) => {
  describe.skipIf(backend.skipped)('', () => {
    let opened: TestDatabase;
    beforeEach(async () => {
      opened = await backend.open();
      await migrate(opened.database);
    });
    afterEach(() => opened.dispose());

    const limiter = () => createSharedRateLimiter(opened.database.db, { limit: 10, windowMs: MINUTE }, 'Slow down.');
    /** Hits `key` n times at once; how many were refused, and the Retry-After of a refusal. */
    async function flood(limit: ReturnType<typeof limiter>, key: string, n: number, at: number) {
      const outcomes = await Promise.allSettled(Array.from({ length: n }, () => limit.hit(key, at)));
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      return { refused: refused.length, retryAfter: (refused[0] as HttpError | undefined)?.headers?.['Retry-After'] };
    }

    it('holds across two servers hitting one center at once: ten in the window in all, then 429 until it ends', async () => {
      const [one, two] = [limiter(), limiter()];
      const [a, b] = await Promise.all([flood(one, 'center:riverbend', 8, T0), flood(two, 'center:riverbend', 8, T0)]);
      expect(a.refused + b.refused).toBe(6);
      expect(a.retryAfter ?? b.retryAfter).toBe('50');
      // Another center has its own budget; the next window starts afresh.
      expect((await flood(one, 'center:lakeside', 10, T0)).refused).toBe(0);
      expect((await flood(two, 'center:riverbend', 10, T0 + MINUTE)).refused).toBe(0);
    });

    it('forgets windows that have passed', async () => {
      const one = limiter();
      await one.hit('center:riverbend', T0);
      await one.hit('center:riverbend', T0 + 3 * MINUTE);
      const rows = await opened.database.db.selectFrom('rate_windows').selectAll().execute();
      expect(rows.map((row) => row.window_start)).toEqual([new Date(T0 - 10_000 + 3 * MINUTE).toISOString()]);
    });
  });
});

describe('the center budget setting', () => {
  it('refuses to start on a budget that is not a whole number, and says what to write', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'intake-limits-'));
    try {
      const start = startServer({
        config: loadConfig(undefined, {}),
        port: 0,
        dataDir,
        env: { INTAKE_CENTER_LEADS_PER_MINUTE: 'lots' },
        log: () => {},
      });
      await expect(start).rejects.toThrow(
        'INTAKE_CENTER_LEADS_PER_MINUTE must be a whole number of leads of at least 1, such as 600, not "lots"',
      );
      // Nothing was opened or written before the refusal.
      expect(existsSync(join(dataDir, 'intake-chat.sqlite'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
