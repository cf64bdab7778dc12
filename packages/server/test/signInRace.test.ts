import { LOCK_AFTER, LOCK_MS } from '@intake-chat/server';
import { describe, expect, it } from 'vitest';
import { PASSWORD, twoCenters, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';

// What a guesser does with many sign-ins at once, and what the lock still holds against it. Each
// password check takes the real scrypt cost (~0.4 s here, two at a time), so tries sent together are
// all in flight while the first ones are counted: the window a stale read of the account would leave.

const WRONG = 'not the password at all';
const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`the sign-in lock under parallel guesses on ${backend.name}`, () => {
    const server = useConsoleApp(backend, { loginLimit: 1000 });
    /** A sign-in from its own network address, as a guesser with many machines sends them. */
    const attempt = (email: string, password: string, i: number) =>
      server.tryLogin(email, password, { 'x-forwarded-for': `203.0.113.${i}` });

    it('holds against twelve wrong passwords and the right one sent at once: no session, still locked', async () => {
      // The real cost, so that each check takes as long as it does in production.
      await server.services.staff.add({
        center: 'riverbend',
        email: 'sam@riverbend.example',
        role: 'staff',
        locale: 'en',
        password: PASSWORD,
      });
      const wrong = Array.from({ length: 12 }, (_, i) => attempt('sam@riverbend.example', WRONG, i));
      // The right password once four wrong ones are counted: it reads the account before the lock, and
      // its check ends after it, behind the wrong ones still waiting for theirs.
      const counted = async () => {
        const row = await server.database.db
          .selectFrom('staff')
          .select(['failed_logins', 'locked_until'])
          .executeTakeFirstOrThrow();
        // Locked already (a slow machine polled past the fourth): the right password comes after the lock.
        return row.locked_until === null ? Number(row.failed_logins) : LOCK_AFTER;
      };
      while ((await counted()) < LOCK_AFTER - 1) await new Promise((resolve) => setTimeout(resolve, 5));
      const right = attempt('sam@riverbend.example', PASSWORD, 99);
      const answers = await Promise.all(wrong);
      const last = await right;

      expect(last.status).toBe(423);
      expect(last.headers.get('set-cookie')).toBeNull();
      // Each wrong try before the lock has its own count; every one after it meets the lock.
      const told = answers
        .filter((answer) => answer.status === 401)
        .map((answer) => /(\d) more tr(?:y|ies) before sign-in is locked/.exec(answer.body.error?.message ?? '')?.[1])
        .sort();
      expect(told).toEqual(['1', '2', '3', '4']);
      expect(answers.filter((answer) => answer.status === 423)).toHaveLength(12 - (LOCK_AFTER - 1));
      // The lock stands: the right password afterwards is refused too, and says 15 minutes, not 16.
      const after = await attempt('sam@riverbend.example', PASSWORD, 100);
      expect(after.status).toBe(423);
      expect(after.body.error?.message).toContain(`Try again in ${LOCK_MS / 60_000} minutes`);
      const account = await server.services.staff.findByEmail('sam@riverbend.example');
      expect(account?.lockedUntil?.getTime()).toBeGreaterThan(server.now().getTime());
      // One audit entry per counted failure, none for the tries the lock refused.
      expect(await server.auditEntries({ action: 'login.failed' })).toHaveLength(LOCK_AFTER);
      expect(await server.auditEntries({ action: 'login' })).toHaveLength(0);
    }, 30_000);

    it('locks an address with no account as it would an account, and keeps the lock over a restart', async () => {
      await server.addStaff('kim@riverbend.example');
      for (const [i, email] of ['nobody@riverbend.example', 'kim@riverbend.example'].entries()) {
        for (let n = 1; n < LOCK_AFTER; n++) expect((await attempt(email, WRONG, i)).status).toBe(401);
        const locked = await attempt(email, WRONG, i);
        expect(locked.status).toBe(423);
      }
      // A restart (a new app on the same database) or a second server: both addresses answer alike.
      const restarted = server.appWith(twoCenters());
      for (const email of ['nobody@riverbend.example', 'kim@riverbend.example']) {
        const answer = await server.request(
          '/admin/api/login',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: 'http://localhost', host: 'localhost' },
            body: JSON.stringify({ email, password: WRONG }),
          },
          restarted,
        );
        expect([email, answer.status]).toEqual([email, 423]);
      }
      // Only a hash of the address is kept.
      const rows = await server.database.db.selectFrom('signin_failures').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain('nobody');
      // After the lock, the count starts again, for both.
      server.later(LOCK_MS + 1000);
      expect((await attempt('nobody@riverbend.example', WRONG, 7)).status).toBe(401);
      expect((await attempt('kim@riverbend.example', PASSWORD, 7)).status).toBe(200);
    });
  });
}
