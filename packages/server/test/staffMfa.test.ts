import { randomBytes } from 'node:crypto';
import { createSealer, LOCK_AFTER, LOCK_MS, type Team, type TeamMember } from '@intake-chat/server';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import type { ConsoleSession, MfaChallenge, MfaEnabled, MfaEnrolment } from '../src/admin/consoleApi.js';
import { type Browser, ORIGIN, PASSWORD, sessionCookie, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';

const STEP_MS = 30_000;
const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`two-step sign-in on ${backend.name}`, () => {
    const server = useConsoleApp(backend);
    const { request, tryLogin, signIn, browser, now, later, minutesLater } = server;
    const addStaff = (email: string, role: 'admin' | 'staff' = 'staff', center = 'riverbend') =>
      server.addStaff(email, center, role);

    /** The code an authenticator app shows for `secret` at `at` (the app's clock; by default the server's). */
    const codeAt = (secret: string, at = now()) =>
      TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at.getTime() });

    /** Six digits that are not the code of this step or the next. */
    const wrongCode = (secret: string) =>
      ['123456', '654321', '111111'].find(
        (code) => code !== codeAt(secret) && code !== codeAt(secret, new Date(now().getTime() + STEP_MS)),
      ) ?? '';

    /** The code step of a sign-in, as the console posts it. */
    const secondStep = (ticket: string, code: string, headers: Record<string, string> = {}) =>
      request<ConsoleSession>('/admin/api/login/mfa', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, host: 'localhost', ...headers },
        body: JSON.stringify({ ticket, code }),
      });

    /** The password step of an account with two-step sign-in: the ticket it answers with. */
    async function ticketFor(email: string): Promise<string> {
      const answer = await tryLogin(email);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toEqual({ mfa: 'required', ticket: expect.stringMatching(/^[\w-]{43}$/) });
      return (answer.body as unknown as MfaChallenge).ticket;
    }

    /** Both steps; the browser the session leaves. */
    async function signInWithCode(email: string, code: string): Promise<Browser> {
      const answer = await secondStep(await ticketFor(email), code);
      expect(answer.status, answer.text).toBe(200);
      return browser(sessionCookie(answer.headers), answer.body.csrf);
    }

    /** Turns two-step sign-in on for whoever `who` is; the clock then moves to the next step, as a person would. */
    async function enrol(who: Browser): Promise<{ secret: string; recoveryCodes: string[] }> {
      const started = await who.post<MfaEnrolment>('/admin/api/me/mfa/start');
      expect(started.status, started.text).toBe(200);
      const confirmed = await who.post<MfaEnabled>('/admin/api/me/mfa/confirm', {
        code: codeAt(started.body.secret),
      });
      expect(confirmed.status, confirmed.text).toBe(200);
      later(STEP_MS);
      return { secret: started.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
    }

    const staffRow = (email: string) =>
      server.database.db.selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirstOrThrow();

    it('enrols with a QR code or the typed secret, then asks for the code after the password', async () => {
      await addStaff('sam@riverbend.example');
      const sam = await signIn('sam@riverbend.example');
      const elsewhere = await signIn('sam@riverbend.example');
      expect((await sam.get<ConsoleSession>('/admin/api/session')).body).toMatchObject({
        mfaEnabled: false,
        mfaRequired: false,
        mfaSetupRequired: false,
      });

      const started = await sam.post<MfaEnrolment>('/admin/api/me/mfa/start');
      expect(started.status).toBe(200);
      const { secret, otpauthUrl, qrSvg } = started.body;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // The app lists the center and the person's address.
      expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Riverbend%20Recovery:sam%40riverbend\.example\?/);
      expect(otpauthUrl).toContain(`secret=${secret}`);
      expect(qrSvg).toMatch(/^<svg [^>]*viewBox/);
      // Stored sealed under the data key, and not on until a code proves the app has it.
      const waiting = await staffRow('sam@riverbend.example');
      expect(waiting.totp_secret).toMatch(/^v2\./);
      expect(waiting.totp_secret).not.toContain(secret);
      expect(waiting.mfa_enabled_at).toBeNull();
      expect((await tryLogin('sam@riverbend.example')).body.csrf).toEqual(expect.any(String));

      const wrong = await sam.post('/admin/api/me/mfa/confirm', { code: wrongCode(secret) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error?.issues?.map((issue) => issue.path)).toEqual(['code']);

      const confirmed = await sam.post<MfaEnabled>('/admin/api/me/mfa/confirm', { code: codeAt(secret) });
      expect(confirmed.status).toBe(200);
      const codes = confirmed.body.recoveryCodes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^\d{4}(-\d{4}){4}$/);
      expect(confirmed.body.session).toMatchObject({ mfaEnabled: true, mfaSetupRequired: false, csrf: sam.csrf });
      // Only the codes' hashes are kept.
      const stored = await server.database.db.selectFrom('recovery_codes').selectAll().execute();
      expect(stored.map((row) => row.code_hash)).toEqual(Array(10).fill(expect.stringMatching(/^[0-9a-f]{64}$/)));
      for (const code of codes) expect(JSON.stringify(stored)).not.toContain(code.replaceAll('-', ''));
      expect(await server.auditEntries({ action: 'staff.mfa_enabled' })).toEqual([
        expect.objectContaining({ staffEmail: 'sam@riverbend.example', detail: { account: 'sam@riverbend.example' } }),
      ]);
      // This session stays; one signed in with the password alone does not.
      expect((await sam.get('/admin/api/session')).status).toBe(200);
      expect((await elsewhere.get('/admin/api/session')).status).toBe(401);
      // Set up once: another phone means turning it off first.
      expect((await sam.post('/admin/api/me/mfa/start')).body.error?.code).toBe('mfa_enabled');

      later(STEP_MS);
      const password = await tryLogin('sam@riverbend.example');
      expect(password.status).toBe(200);
      expect(password.headers.get('set-cookie')).toBeNull();
      const ticket = (password.body as unknown as MfaChallenge).ticket;
      const done = await secondStep(ticket, codeAt(secret));
      expect(done.status, done.text).toBe(200);
      expect(done.headers.get('set-cookie')).toMatch(/^__Host-intake_session=/);
      expect(done.body).toMatchObject({ staff: { email: 'sam@riverbend.example' }, mfaEnabled: true });
      const signedIn = browser(sessionCookie(done.headers), done.body.csrf);
      expect((await signedIn.get('/admin/api/leads')).status).toBe(200);
      expect((await server.auditEntries({ action: 'login' })).at(-1)?.detail).toEqual({ mfa: 'totp' });
    });

    it('counts a wrong code toward the same lock as a wrong password, and audits it', async () => {
      await addStaff('sam@riverbend.example');
      const { secret } = await enrol(await signIn('sam@riverbend.example'));

      expect((await tryLogin('sam@riverbend.example', 'not my password')).status).toBe(401);
      // The right password does not start the count again: only the code does.
      const ticket = await ticketFor('sam@riverbend.example');
      const first = await secondStep(ticket, wrongCode(secret));
      expect(first.status).toBe(401);
      expect(first.body.error?.code).toBe('bad_code');
      expect(first.body.error?.message).toContain(`${LOCK_AFTER - 2} more tries`);
      expect(first.body.error?.issues?.map((issue) => issue.path)).toEqual(['code']);
      expect(first.headers.get('set-cookie')).toBeNull();
      for (let failure = 3; failure < LOCK_AFTER; failure += 1) {
        expect((await secondStep(ticket, wrongCode(secret))).status).toBe(401);
      }
      const locking = await secondStep(ticket, wrongCode(secret));
      expect(locking.status).toBe(423);
      expect(locking.headers.get('retry-after')).toBe(String(LOCK_MS / 1000));
      // Locked: the right code and the right password are refused alike.
      expect((await secondStep(ticket, codeAt(secret))).status).toBe(423);
      expect((await tryLogin('sam@riverbend.example')).status).toBe(423);

      const failed = await server.auditEntries({ action: 'login.mfa_failed' });
      expect(failed.map((entry) => entry.detail)).toEqual([
        { failures: 2 },
        { failures: 3 },
        { failures: 4 },
        { failures: 5, lockedUntil: new Date(now().getTime() + LOCK_MS).toISOString() },
      ]);

      minutesLater(LOCK_MS / 60_000 + 1);
      await signInWithCode('sam@riverbend.example', codeAt(secret));
    });

    it('never takes the same code twice, the one that turned it on included', async () => {
      await addStaff('sam@riverbend.example');
      const sam = await signIn('sam@riverbend.example');
      const started = await sam.post<MfaEnrolment>('/admin/api/me/mfa/start');
      const { secret } = started.body;
      const enrolling = codeAt(secret);
      expect((await sam.post('/admin/api/me/mfa/confirm', { code: enrolling })).status).toBe(200);
      const replayedAtOnce = await secondStep(await ticketFor('sam@riverbend.example'), enrolling);
      expect(replayedAtOnce.status).toBe(401);
      expect(replayedAtOnce.body.error?.message).toContain('used already');

      later(STEP_MS);
      const code = codeAt(secret);
      await signInWithCode('sam@riverbend.example', code);
      // Seen over a shoulder, still within its window: refused, and counted as a failure.
      later(5_000);
      const replayed = await secondStep(await ticketFor('sam@riverbend.example'), code);
      expect(replayed.status).toBe(401);
      expect(replayed.body.error?.code).toBe('bad_code');
      expect((await server.auditEntries({ action: 'login.mfa_failed' })).at(-1)?.detail).toEqual({
        failures: 1,
        replayed: true,
      });

      // A phone a step behind or ahead is fine; two steps is not.
      later(STEP_MS);
      await signInWithCode('sam@riverbend.example', codeAt(secret, new Date(now().getTime() + STEP_MS)));
      const farBehind = await secondStep(
        await ticketFor('sam@riverbend.example'),
        codeAt(secret, new Date(now().getTime() - 2 * STEP_MS)),
      );
      expect(farBehind.status).toBe(401);
    });

    it('takes each recovery code once, with or without its dashes, and says how many are left', async () => {
      await addStaff('sam@riverbend.example');
      const { recoveryCodes } = await enrol(await signIn('sam@riverbend.example'));
      const [first = '', second = ''] = recoveryCodes;

      const typed = first.replaceAll('-', ' ');
      const signedIn = await signInWithCode('sam@riverbend.example', ` ${typed} `);
      expect((await signedIn.get('/admin/api/session')).status).toBe(200);
      expect((await server.auditEntries({ action: 'login' })).at(-1)?.detail).toEqual({ mfa: 'recovery' });
      expect(await server.auditEntries({ action: 'staff.recovery_used' })).toEqual([
        expect.objectContaining({ staffEmail: 'sam@riverbend.example', detail: { left: 9 } }),
      ]);

      const again = await secondStep(await ticketFor('sam@riverbend.example'), first);
      expect(again.status).toBe(401);
      expect(again.body.error?.code).toBe('bad_code');
      await signInWithCode('sam@riverbend.example', second);
    });

    it('keeps the ticket between the steps hashed, for five minutes and one sign-in', async () => {
      await addStaff('sam@riverbend.example');
      const { secret } = await enrol(await signIn('sam@riverbend.example'));

      const slow = await ticketFor('sam@riverbend.example');
      const stored = await server.database.db.selectFrom('mfa_tickets').selectAll().execute();
      expect(stored.map((row) => row.id)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
      expect(JSON.stringify(stored)).not.toContain(slow);
      minutesLater(5);
      const expired = await secondStep(slow, codeAt(secret));
      expect(expired.status).toBe(401);
      expect(expired.body.error?.code).toBe('mfa_expired');
      expect(expired.body.error?.message).toContain('Sign in again');

      const ticket = await ticketFor('sam@riverbend.example');
      expect((await secondStep(ticket, codeAt(secret))).status).toBe(200);
      later(STEP_MS);
      expect((await secondStep(ticket, codeAt(secret))).body.error?.code).toBe('mfa_expired');
      expect((await secondStep('made-up', codeAt(secret))).body.error?.code).toBe('mfa_expired');
      expect((await secondStep(randomBytes(32).toString('base64url'), codeAt(secret))).status).toBe(401);

      const empty = await secondStep(await ticketFor('sam@riverbend.example'), ' ');
      expect(empty.status).toBe(400);
      expect(empty.body.error?.issues?.map((issue) => issue.path)).toEqual(['code']);
      // Like every other post, from the console's own pages only.
      const foreign = await secondStep(await ticketFor('sam@riverbend.example'), codeAt(secret), {
        origin: 'https://evil.example',
      });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error?.code).toBe('csrf');
    });

    it('sends everyone without it to enrolment once the center requires it, and keeps the inbox shut until then', async () => {
      await addStaff('rosa@riverbend.example', 'admin');
      await addStaff('sam@riverbend.example');
      await addStaff('lee@lakeside.example', 'admin', 'lakeside');
      const rosa = await signIn('rosa@riverbend.example');
      const samBefore = await signIn('sam@riverbend.example');

      // Not before the admin's own: the next call would shut them out of this page.
      const tooSoon = await rosa.post('/admin/api/team/mfa', { required: true });
      expect(tooSoon.status).toBe(409);
      expect(tooSoon.body.error?.code).toBe('mfa_not_enabled');
      expect((await samBefore.post('/admin/api/team/mfa', { required: true })).status).toBe(403);
      expect((await rosa.post('/admin/api/team/mfa', { required: 'yes' })).status).toBe(400);
      await enrol(rosa);
      const required = await rosa.post<Team>('/admin/api/team/mfa', { required: true });
      expect(required.status, required.text).toBe(200);
      expect(required.body).toEqual({ mfaRequired: true });
      expect((await rosa.get<Team>('/admin/api/team')).body.mfaRequired).toBe(true);
      expect((await server.auditEntries({ action: 'center.mfa_required' })).map((entry) => entry.detail)).toEqual([
        { required: true },
      ]);

      // A session from before is held to the rule at its next call; so is a new sign-in.
      for (const sam of [samBefore, await signIn('sam@riverbend.example')]) {
        const session = await sam.get<ConsoleSession>('/admin/api/session');
        expect(session.body).toMatchObject({ mfaEnabled: false, mfaRequired: true, mfaSetupRequired: true });
        for (const path of ['/admin/api/leads', '/admin/api/team', '/admin/api/deliveries?status=dead']) {
          const refused = await sam.get(path);
          expect(refused.status, path).toBe(403);
          expect(refused.body.error?.code).toBe('mfa_setup_required');
        }
        expect((await sam.post('/admin/api/me', { locale: 'es' })).body.error?.code).toBe('mfa_setup_required');
      }
      const sam = await signIn('sam@riverbend.example');
      const started = await sam.post<MfaEnrolment>('/admin/api/me/mfa/start');
      const confirmed = await sam.post<MfaEnabled>('/admin/api/me/mfa/confirm', { code: codeAt(started.body.secret) });
      expect(confirmed.body.session).toMatchObject({ mfaEnabled: true, mfaSetupRequired: false });
      expect((await sam.get('/admin/api/leads')).status).toBe(200);
      // Required: it stays on.
      const off = await sam.post('/admin/api/me/mfa/disable', { password: PASSWORD });
      expect(off.status).toBe(409);
      expect(off.body.error?.code).toBe('mfa_required');

      // Another center's rule is its own.
      const lee = await signIn('lee@lakeside.example');
      expect((await lee.get<ConsoleSession>('/admin/api/session')).body.mfaRequired).toBe(false);
      expect((await lee.get('/admin/api/leads')).status).toBe(200);

      const lifted = await rosa.post<Team>('/admin/api/team/mfa', { required: false });
      expect(lifted.body).toEqual({ mfaRequired: false });
    });

    it("lets an admin reset a colleague's two-step sign-in for a lost phone, which signs them out", async () => {
      await addStaff('rosa@riverbend.example', 'admin');
      await addStaff('sam@riverbend.example');
      await addStaff('lee@lakeside.example', 'admin', 'lakeside');
      const samBefore = await signIn('sam@riverbend.example');
      const { secret } = await enrol(samBefore);
      const rosa = await signIn('rosa@riverbend.example');
      const team = await rosa.get<Team>('/admin/api/team');
      const samRow = (members: TeamMember[]) => members.find((member) => member.email === 'sam@riverbend.example');
      expect(samRow(team.body.members)?.mfaEnabledAt).toBe(new Date(now().getTime() - STEP_MS).toISOString());
      // Colleagues do not see each other's.
      expect(samRow((await samBefore.get<Team>('/admin/api/team')).body.members)?.mfaEnabledAt).toBeNull();

      const lee = await signIn('lee@lakeside.example');
      expect((await lee.post('/admin/api/team/sam%40riverbend.example/mfa/reset')).status).toBe(404);
      const reset = await rosa.post<TeamMember>('/admin/api/team/sam%40riverbend.example/mfa/reset');
      expect(reset.status, reset.text).toBe(200);
      expect(reset.body.mfaEnabledAt).toBeNull();
      expect((await samBefore.get('/admin/api/session')).status).toBe(401);
      expect(await server.database.db.selectFrom('recovery_codes').selectAll().execute()).toEqual([]);
      expect((await staffRow('sam@riverbend.example')).totp_secret).toBeNull();
      expect(await server.auditEntries({ action: 'staff.mfa_reset' })).toEqual([
        expect.objectContaining({ staffEmail: 'rosa@riverbend.example', detail: { account: 'sam@riverbend.example' } }),
      ]);
      // The password alone signs in again, and the old secret's codes are nothing now.
      const sam = await signIn('sam@riverbend.example');
      const again = await enrol(sam);
      expect(again.secret).not.toBe(secret);
    });

    it('turns off only with the current password, a wrong one counting toward the lock', async () => {
      await addStaff('sam@riverbend.example');
      const sam = await signIn('sam@riverbend.example');
      await enrol(sam);

      const missing = await sam.post('/admin/api/me/mfa/disable', {});
      expect(missing.status).toBe(400);
      expect(missing.body.error?.issues?.map((issue) => issue.path)).toEqual(['password']);
      const wrong = await sam.post('/admin/api/me/mfa/disable', { password: 'not my password' });
      expect(wrong.status).toBe(403);
      expect(wrong.body.error?.code).toBe('bad_credentials');
      expect(wrong.body.error?.message).toContain(`${LOCK_AFTER - 1} more tries`);
      expect((await sam.get<ConsoleSession>('/admin/api/session')).body.mfaEnabled).toBe(true);

      const off = await sam.post<ConsoleSession>('/admin/api/me/mfa/disable', { password: PASSWORD });
      expect(off.status, off.text).toBe(200);
      expect(off.body.mfaEnabled).toBe(false);
      expect(await server.auditEntries({ action: 'staff.mfa_disabled' })).toHaveLength(1);
      expect((await staffRow('sam@riverbend.example')).totp_secret).toBeNull();
      // The password alone signs in now.
      const answer = await tryLogin('sam@riverbend.example');
      expect(answer.body.csrf).toEqual(expect.any(String));
    });

    it("turns it off with an admin's password reset, since a reset link signs in by itself", async () => {
      await addStaff('rosa@riverbend.example', 'admin');
      await addStaff('sam@riverbend.example');
      await enrol(await signIn('sam@riverbend.example'));
      const rosa = await signIn('rosa@riverbend.example');
      const reset = await rosa.post('/admin/api/team/sam%40riverbend.example/reset', { handover: 'link' });
      expect(reset.status, reset.text).toBe(200);
      expect((reset.body.member as TeamMember).mfaEnabledAt).toBeNull();
      expect((await server.auditEntries({ action: 'staff.reset' })).at(-1)?.detail).toEqual({
        account: 'sam@riverbend.example',
        handover: 'link',
        mfaReset: true,
      });
    });

    it('re-seals the secret under a new data key as it is used', async () => {
      await addStaff('sam@riverbend.example');
      const { secret } = await enrol(await signIn('sam@riverbend.example'));
      const before = (await staffRow('sam@riverbend.example')).totp_secret;
      const newKey = randomBytes(32);
      await server.restartWith([newKey, server.dataKey]);
      await signInWithCode('sam@riverbend.example', codeAt(secret));
      const after = (await staffRow('sam@riverbend.example')).totp_secret;
      expect(before?.split('.')[1]).toBe(createSealer(server.dataKey).currentKeyId);
      expect(after?.split('.')[1]).toBe(createSealer(newKey).currentKeyId);
    });
  });
}
