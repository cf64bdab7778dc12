import { type HandoverBody, LOCK_AFTER, LOCK_MS, type Team, type TeamMember } from '@intake-chat/server';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../src/staff/createStaffStore.js';
import { type Browser, ORIGIN, PASSWORD, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';

const NEW_PASSWORD = 'a brand new and long passphrase';
const WRONG = 'not my password at all';
const HOUR_MS = 60 * 60_000;

const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`hardened staff accounts on ${backend.name}`, () => {
    const server = useConsoleApp(backend, { staffCost: 10, loginLimit: 100 });
    const { request, tryLogin, signIn, now } = server;
    const addStaff = (email: string, role: 'admin' | 'staff' = 'staff', center = 'riverbend') =>
      server.addStaff(email, center, role);
    const member = (email: string) => `/admin/api/team/${encodeURIComponent(email)}`;
    const changePassword = (who: Browser, current: string, password = NEW_PASSWORD) =>
      who.post('/admin/api/me/password', { current, password });
    /** A link's page, as the console posts it: the token in the body. */
    const linkCall = (step: 'lookup' | 'use', body: Record<string, unknown>) =>
      request(`/admin/api/links/${step}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, host: 'localhost' },
        body: JSON.stringify(body),
      });
    const lookUp = (token: string) => linkCall('lookup', { token });
    const useLink = (token: string, password: string) => linkCall('use', { token, password });
    const tokenOf = (link: string | undefined) => (link ?? '').slice('/admin#/link/'.length);

    async function teamOf(viewer: Browser): Promise<TeamMember[]> {
      const answer = await viewer.get<Team>('/admin/api/team');
      expect(answer.status).toBe(200);
      return answer.body.members;
    }

    describe('a wrong current password when changing one’s own', () => {
      it('counts as a failed sign-in of the account, says how many tries are left and is audited', async () => {
        await addStaff('sam@riverbend.example');
        const sam = await signIn('sam@riverbend.example');

        const wrong = await changePassword(sam, WRONG);
        expect(wrong.status).toBe(403);
        expect(wrong.body.error?.code).toBe('bad_credentials');
        expect(wrong.body.error?.message).toContain(`${LOCK_AFTER - 1} more tries`);
        expect(wrong.body.error?.message).toContain('Nothing was changed');

        // The same count as the sign-in page's: one wrong try there leaves three.
        const atSignIn = await tryLogin('sam@riverbend.example', WRONG);
        expect(atSignIn.status).toBe(401);
        expect(atSignIn.body.error?.message).toContain(`${LOCK_AFTER - 2} more tries`);
        const again = await changePassword(sam, WRONG);
        expect(again.body.error?.message).toContain(`${LOCK_AFTER - 3} more tries`);

        const failed = await server.auditEntries({ action: 'staff.password_failed' });
        expect(failed).toEqual([
          {
            action: 'staff.password_failed',
            staffEmail: 'sam@riverbend.example',
            leadId: null,
            detail: { failures: 1 },
          },
          {
            action: 'staff.password_failed',
            staffEmail: 'sam@riverbend.example',
            leadId: null,
            detail: { failures: 3 },
          },
        ]);
        expect(JSON.stringify(await server.auditEntries())).not.toContain(WRONG);
        // The password did not change, and the session goes on.
        expect((await sam.get('/admin/api/session')).status).toBe(200);
        expect((await changePassword(sam, PASSWORD)).status).toBe(204);
      });

      it(`locks the account at the ${LOCK_AFTER}th and ends every session of it, until an admin unlocks it`, async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const thief = await signIn('sam@riverbend.example');
        const owner = await signIn('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');

        for (let tries = 1; tries < LOCK_AFTER; tries++) expect((await changePassword(thief, WRONG)).status).toBe(403);
        expect((await owner.get('/admin/api/session')).status).toBe(200);
        const locked = await changePassword(thief, WRONG);
        expect(locked.status).toBe(423);
        expect(locked.body.error?.code).toBe('locked');
        expect(locked.body.error?.message).toContain(`${LOCK_MS / 60_000} minutes`);
        expect(locked.headers.get('retry-after')).toBe(String(LOCK_MS / 1000));
        const lockedUntil = new Date(now().getTime() + LOCK_MS).toISOString();

        // Every session of the account ends; a colleague's does not.
        expect((await thief.get('/admin/api/session')).status).toBe(401);
        expect((await owner.get('/admin/api/session')).status).toBe(401);
        expect((await rosa.get('/admin/api/session')).status).toBe(200);
        expect((await tryLogin('sam@riverbend.example', PASSWORD)).status).toBe(423);
        expect((await teamOf(rosa)).find((entry) => entry.email === 'sam@riverbend.example')?.lockedUntil).toBe(
          lockedUntil,
        );
        const failed = await server.auditEntries({ action: 'staff.password_failed' });
        expect(failed).toHaveLength(LOCK_AFTER);
        expect(failed.at(-1)?.detail).toEqual({ failures: LOCK_AFTER, lockedUntil });

        expect((await rosa.post(`${member('sam@riverbend.example')}/unlock`)).status).toBe(200);
        await signIn('sam@riverbend.example');
      });

      it('is refused while the account is locked, before any password is checked', async () => {
        await addStaff('sam@riverbend.example');
        const sam = await signIn('sam@riverbend.example');
        // Locked from the sign-in page, by someone else; Sam's own session goes on.
        for (let tries = 0; tries < LOCK_AFTER; tries++) await tryLogin('sam@riverbend.example', WRONG);
        expect((await sam.get('/admin/api/session')).status).toBe(200);

        const right = await changePassword(sam, PASSWORD);
        expect(right.status).toBe(423);
        expect(right.body.error?.code).toBe('locked');
        expect(right.headers.get('retry-after')).toBe(String(LOCK_MS / 1000));
        server.minutesLater(10);
        const later = await changePassword(sam, WRONG);
        expect(later.status).toBe(423);
        expect(later.body.error?.message).toContain('5 minutes');
        expect(later.headers.get('retry-after')).toBe(String(LOCK_MS / 1000 - 600));

        // A hash that cannot be read makes any check throw: the refusal comes before one.
        await server.database.db
          .updateTable('staff')
          .set({ password_hash: 'not a hash' })
          .where('email', '=', 'sam@riverbend.example')
          .execute();
        expect((await changePassword(sam, PASSWORD)).status).toBe(423);
        // Nothing was counted while locked.
        expect(await server.auditEntries({ action: 'staff.password_failed' })).toEqual([]);
        expect((await server.services.staff.findByEmail('sam@riverbend.example'))?.failedLogins).toBe(0);
        expect((await sam.get('/admin/api/session')).status).toBe(200);
      });
    });

    describe('a password set another way voids the waiting one-time links', () => {
      it('intake-chat staff password (setPassword) voids a waiting reset link', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');
        const reset = await rosa.post<HandoverBody>(`${member('sam@riverbend.example')}/reset`, { handover: 'link' });
        expect(reset.status).toBe(200);
        const token = tokenOf(reset.body.link);
        expect((await lookUp(token)).status).toBe(200);

        expect(await server.services.staff.setPassword('sam@riverbend.example', NEW_PASSWORD, 10)).toBe(true);

        expect((await lookUp(token)).status).toBe(404);
        const used = await useLink(token, 'what the old link would set');
        expect(used.status).toBe(404);
        expect(used.body.error?.code).toBe('link_not_found');
        await signIn('sam@riverbend.example', NEW_PASSWORD);
        expect((await teamOf(rosa)).find((entry) => entry.email === 'sam@riverbend.example')?.linkExpiresAt).toBeNull();
      });

      it('changing one’s own password voids a waiting link', async () => {
        const sam = await addStaff('sam@riverbend.example');
        const browser = await signIn('sam@riverbend.example');
        const { token } = await server.services.staff.createLink(sam.id, 'reset', 'rosa@riverbend.example', HOUR_MS);

        expect((await changePassword(browser, PASSWORD)).status).toBe(204);

        expect((await useLink(token, 'what the old link would set')).status).toBe(404);
        await signIn('sam@riverbend.example', NEW_PASSWORD);
      });
    });

    describe('two invitations of one address at the same time', () => {
      it('give 201 and the same 409 staff_exists as one after the other, even at two centers', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('lara@lakeside.example', 'admin', 'lakeside');
        const rosa = await signIn('rosa@riverbend.example');
        const lara = await signIn('lara@lakeside.example');

        for (const email of ['ana@example.org', 'ben@example.org', 'cy@example.org']) {
          const answers = await Promise.all([
            rosa.post('/admin/api/team', { email, role: 'staff', locale: 'en' }),
            lara.post('/admin/api/team', { email, role: 'staff', locale: 'en' }),
          ]);
          expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
          const refused = answers.find((answer) => answer.status === 409);
          expect(refused?.body.error?.code).toBe('staff_exists');
          const sequential = await rosa.post('/admin/api/team', { email, role: 'staff', locale: 'en' });
          expect(sequential.status).toBe(409);
          expect(refused?.body.error?.message).toBe(sequential.body.error?.message);
        }
        expect(await server.services.staff.list()).toHaveLength(5);

        const both = await Promise.allSettled([
          server.services.staff.add({ center: 'riverbend', email: 'dee@example.org', role: 'staff' }),
          server.services.staff.add({ center: 'lakeside', email: 'Dee@Example.org', role: 'staff' }),
        ]);
        expect(both.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
        const rejected = both.find((result) => result.status === 'rejected');
        expect((rejected as PromiseRejectedResult).reason).toMatchObject({ name: 'StaffExistsError' });
      });
    });

    describe('invitation addresses', () => {
      const hidden: [string, string][] = [
        ['a zero-width space', 'ana\u200b@riverbend.example'],
        ['a right-to-left override', 'ana@river\u202ebend.example'],
        ['a NUL', 'ana\u0000@riverbend.example'],
        ['a word joiner', 'a\u2060na@riverbend.example'],
        ['a soft hyphen', 'an\u00ada@riverbend.example'],
        ['a zero-width joiner at the end', 'ana@riverbend.example\u200d'],
        ['a line break', 'ana@river\nbend.example'],
        ['a private-use character', 'ana\ue000@riverbend.example'],
      ];

      it.each(hidden)('refuses one with %s, naming the address and the character', async (_what, email) => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');
        const invited = await rosa.post('/admin/api/team', { email, role: 'staff', locale: 'en' });
        expect(invited.status).toBe(400);
        expect(invited.body.error?.code).toBe('invalid_input');
        const issues = invited.body.error?.issues ?? [];
        expect(issues.map((issue) => issue.path)).toEqual(['email']);
        const hiddenCharacter = [...email].find((char) => /[\p{C}\s]/u.test(char)) ?? '';
        const codePoint = `U+${(hiddenCharacter.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
        expect(issues[0]?.message).toContain(codePoint);
        expect(issues[0]?.message).toMatch(/invisible or control character/);
        expect(await server.services.staff.list()).toHaveLength(1);
      });

      it('refuses one with a space inside, saying so', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');
        for (const email of [
          'ana bell@riverbend.example',
          'ana@river\u00a0bend.example',
          'ana@river\u3000bend.example',
        ]) {
          const invited = await rosa.post('/admin/api/team', { email, role: 'staff', locale: 'en' });
          expect(invited.status).toBe(400);
          expect(invited.body.error?.issues?.map((issue) => issue.path)).toEqual(['email']);
          expect(invited.body.error?.issues?.[0]?.message).toMatch(/space/);
        }
      });

      it('is kept in NFC, so one written with a combining accent is the same address', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');
        const decomposed = 'jose\u0301@riverbend.example';
        const composed = 'jos\u00e9@riverbend.example';
        const invited = await rosa.post<HandoverBody>('/admin/api/team', {
          email: decomposed,
          role: 'staff',
          locale: 'es',
        });
        expect(invited.status).toBe(201);
        expect(invited.body.member.email).toBe(composed);
        const again = await rosa.post('/admin/api/team', { email: composed, role: 'staff', locale: 'es' });
        expect(again.status).toBe(409);
        expect(again.body.error?.code).toBe('staff_exists');
        expect((await server.services.staff.findByEmail(decomposed))?.email).toBe(composed);
        expect(normalizeEmail(`  ${decomposed.toUpperCase()} `)).toBe(composed);
      });

      it('is refused by the staff store too (the command line adds through it)', async () => {
        await expect(
          server.services.staff.add({ center: 'riverbend', email: 'ana\u200b@riverbend.example', role: 'staff' }),
        ).rejects.toThrow(/U\+200B/);
        expect(await server.services.staff.list()).toEqual([]);
      });
    });

    describe('the team list', () => {
      it('shows sign-ins, locks and links to admins only; staff see who is on the team', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        await addStaff('lee@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');
        const sam = await signIn('sam@riverbend.example');
        expect(
          (await rosa.post('/admin/api/team', { email: 'tom@riverbend.example', role: 'staff', locale: 'en' })).status,
        ).toBe(201);
        for (let tries = 0; tries < LOCK_AFTER; tries++) await tryLogin('lee@riverbend.example', WRONG);

        const seenByAdmin = await teamOf(rosa);
        expect(seenByAdmin.find((entry) => entry.email === 'sam@riverbend.example')?.lastSignInAt).toBe(
          now().toISOString(),
        );
        expect(seenByAdmin.find((entry) => entry.email === 'lee@riverbend.example')?.lockedUntil).not.toBeNull();
        expect(seenByAdmin.find((entry) => entry.email === 'tom@riverbend.example')?.linkExpiresAt).not.toBeNull();

        const seenByStaff = await teamOf(sam);
        expect(seenByStaff).toEqual(
          ['lee', 'rosa', 'sam', 'tom'].map((name) => ({
            email: `${name}@riverbend.example`,
            role: name === 'rosa' ? 'admin' : 'staff',
            locale: 'en',
            lastSignInAt: null,
            lockedUntil: null,
            linkExpiresAt: null,
            mfaEnabledAt: null,
          })),
        );
      });
    });
    describe('the Origin check', () => {
      it('refuses a page on plain http acting on the https console of the same host', async () => {
        await addStaff('sam@riverbend.example');
        const login = (url: string, origin: string) =>
          server.app.request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin, host: 'console.example' },
            body: JSON.stringify({ email: 'sam@riverbend.example', password: PASSWORD }),
          });
        const downgraded = await login('https://console.example/admin/api/login', 'http://console.example');
        expect(downgraded.status).toBe(403);
        expect(((await downgraded.json()) as { error: { code: string } }).error.code).toBe('csrf');
        expect((await login('https://console.example/admin/api/login', 'https://console.example')).status).toBe(200);
        // Seen as http (behind a proxy that ended TLS, or on this machine), the host still decides.
        expect((await login('http://console.example/admin/api/login', 'https://console.example')).status).toBe(200);
        expect((await login('http://console.example/admin/api/login', 'http://elsewhere.example')).status).toBe(403);
      });
    });
  });
}
