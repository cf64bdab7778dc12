import { randomBytes } from 'node:crypto';
import {
  type AuditEntry,
  type HandoverBody,
  type LinkInfo,
  LOCK_AFTER,
  type Team,
  type TeamMember,
} from '@intake-chat/server';
import { describe, expect, it } from 'vitest';
import { type Browser, ORIGIN, PASSWORD, sessionCookie, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';
import { validLead } from './support/validLead.js';

const NEW_PASSWORD = 'a brand new and long passphrase';
const DAY_MS = 24 * 60 * 60_000;

interface SessionAnswer {
  staff: { email: string; role: string; locale: string; alerts: { sound: boolean; desktop: boolean } };
  center: { id: string; name: string };
  csrf: string;
}

const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`the team, links and own settings on ${backend.name}`, () => {
    const server = useConsoleApp(backend, { loginLimit: 100, staffCost: 10 });
    const { request, tryLogin, signIn, browser, now, later } = server;
    const addStaff = (email: string, role: 'admin' | 'staff' = 'staff', center = 'riverbend') =>
      server.addStaff(email, center, role);

    /** A link's token, from the path the API hands over. */
    const tokenOf = (link: string | undefined) => {
      expect(link).toMatch(/^\/admin#\/link\/[\w-]{43}$/);
      return (link ?? '').slice('/admin#/link/'.length);
    };

    /** The page of a link, as the console's link page posts them: the token in the body, never in a URL. */
    const linkCall = <T>(step: 'lookup' | 'use', body: Record<string, unknown>) =>
      request<T>(`/admin/api/links/${step}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, host: 'localhost' },
        body: JSON.stringify(body),
      });
    const lookUp = <T = Record<string, unknown>>(token: string) => linkCall<T>('lookup', { token });
    const useLink = (token: string, password: string) => linkCall<SessionAnswer>('use', { token, password });

    const member = (email: string) => `/admin/api/team/${encodeURIComponent(email)}`;

    async function teamOf(viewer: Browser): Promise<TeamMember[]> {
      const answer = await viewer.get<Team>('/admin/api/team');
      expect(answer.status).toBe(200);
      return answer.body.members;
    }

    async function auditOf(admin: Browser): Promise<AuditEntry[]> {
      const answer = await admin.get<{ entries: AuditEntry[] }>('/admin/api/audit');
      expect(answer.status).toBe(200);
      return answer.body.entries;
    }

    describe('inviting by link', () => {
      it('makes a link that shows whom it is for, sets a password once and signs the person in', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');

        const invited = await rosa.post<HandoverBody>('/admin/api/team', {
          email: '  Ana@Riverbend.Example ',
          role: 'staff',
          locale: 'es',
        });
        expect(invited.status).toBe(201);
        expect(invited.body.member).toEqual({
          email: 'ana@riverbend.example',
          role: 'staff',
          locale: 'es',
          lastSignInAt: null,
          lockedUntil: null,
          linkExpiresAt: new Date(now().getTime() + DAY_MS).toISOString(),
          mfaEnabledAt: null,
        });
        expect(invited.body.password).toBeUndefined();
        expect(invited.text).not.toMatch(/scrypt/);
        const token = tokenOf(invited.body.link);
        // Only the token's hash is stored.
        const stored = await server.database.db.selectFrom('staff_links').selectAll().execute();
        expect(stored).toHaveLength(1);
        expect(stored[0]?.id).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(stored)).not.toContain(token);

        const info = await lookUp<LinkInfo>(token);
        expect(info.status).toBe(200);
        expect(info.body).toEqual({
          email: 'ana@riverbend.example',
          centerName: 'Riverbend Recovery',
          locale: 'es',
          purpose: 'invite',
          expiresAt: new Date(now().getTime() + DAY_MS).toISOString(),
        });

        // No one knows the invited account's password until the link sets one.
        expect((await tryLogin('ana@riverbend.example', PASSWORD)).status).toBe(401);

        const short = await useLink(token, 'too short');
        expect(short.status).toBe(400);
        expect(short.body.error?.code).toBe('invalid_input');
        expect(short.body.error?.issues?.map((issue) => issue.path)).toEqual(['password']);
        expect(short.body.error?.message).toContain('at least 12 characters');

        later(60_000);
        const used = await useLink(token, NEW_PASSWORD);
        expect(used.status).toBe(200);
        const cookie = used.headers.get('set-cookie') ?? '';
        expect(cookie).toMatch(/^__Host-intake_session=[\w-]{40,};/);
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Strict/);
        expect(cookie).toMatch(/Secure/);
        expect(used.body.staff).toEqual({
          email: 'ana@riverbend.example',
          role: 'staff',
          locale: 'es',
          alerts: { sound: false, desktop: false },
        });
        const ana = browser(sessionCookie(used.headers), used.body.csrf);
        expect((await ana.get('/admin/api/session')).status).toBe(200);

        const again = await useLink(token, 'another long password');
        expect(again.status).toBe(410);
        expect(again.body.error?.code).toBe('link_used');
        expect(again.body.error?.message).toMatch(/ask an admin .* for a new link/i);
        expect((await lookUp(token)).body.error?.code).toBe('link_used');
        // The second try did not change the password.
        expect((await tryLogin('ana@riverbend.example', 'another long password')).status).toBe(401);
        expect((await tryLogin('ana@riverbend.example', NEW_PASSWORD)).status).toBe(200);
        // The token went in request bodies only: the request log (and a proxy's) never saw it.
        expect(server.logged()).toContain('/admin/api/links/use');
        expect(server.logged()).not.toContain(token);

        const team = await teamOf(rosa);
        expect(team.find((entry) => entry.email === 'ana@riverbend.example')).toMatchObject({
          lastSignInAt: now().toISOString(),
          linkExpiresAt: null,
        });

        const entries = await auditOf(rosa);
        const invite = entries.find((entry) => entry.action === 'staff.invite');
        expect(invite).toMatchObject({
          staffEmail: 'rosa@riverbend.example',
          detail: { account: 'ana@riverbend.example', role: 'staff', locale: 'es', handover: 'link' },
        });
        expect(entries.find((entry) => entry.action === 'staff.link_used')).toMatchObject({
          staffEmail: 'ana@riverbend.example',
          detail: { account: 'ana@riverbend.example', purpose: 'invite' },
        });
        expect(JSON.stringify(entries)).not.toContain(token);
        expect(JSON.stringify(entries)).not.toContain(NEW_PASSWORD);
      });

      it('works once even when two requests use it at the same moment', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');
        const invited = await rosa.post<HandoverBody>('/admin/api/team', {
          email: 'ana@riverbend.example',
          role: 'staff',
          locale: 'en',
        });
        const token = tokenOf(invited.body.link);
        const answers = await Promise.all([
          useLink(token, 'first long password'),
          useLink(token, 'second long password'),
        ]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410]);
        const winner = answers[0]?.status === 200 ? 'first long password' : 'second long password';
        const loser = answers[0]?.status === 200 ? 'second long password' : 'first long password';
        expect((await tryLogin('ana@riverbend.example', winner)).status).toBe(200);
        expect((await tryLogin('ana@riverbend.example', loser)).status).toBe(401);
      });

      it('expires after 24 hours, and an unknown link is not found', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');
        const invited = await rosa.post<HandoverBody>('/admin/api/team', {
          email: 'ana@riverbend.example',
          role: 'staff',
          locale: 'en',
        });
        const token = tokenOf(invited.body.link);

        later(DAY_MS + 60_000);
        const info = await lookUp(token);
        expect(info.status).toBe(410);
        expect(info.body.error?.code).toBe('link_expired');
        expect(info.body.error?.message).toMatch(/ask an admin .* for a new link/i);
        const used = await useLink(token, NEW_PASSWORD);
        expect(used.status).toBe(410);
        expect(used.body.error?.code).toBe('link_expired');
        expect(used.headers.get('set-cookie')).toBeNull();
        expect((await teamOf(await signIn('rosa@riverbend.example')))[0]?.linkExpiresAt).toBeNull();

        for (const unknown of [randomBytes(32).toString('base64url'), 'not-a-token']) {
          const missing = await lookUp(unknown);
          expect(missing.status).toBe(404);
          expect(missing.body.error?.code).toBe('link_not_found');
          expect(missing.body.error?.message).toMatch(/ask an admin .* for a new link/i);
          expect((await useLink(unknown, NEW_PASSWORD)).status).toBe(404);
        }
      });

      it('replaces a waiting link with a new one', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');
        const invited = await rosa.post<HandoverBody>('/admin/api/team', {
          email: 'ana@riverbend.example',
          role: 'staff',
          locale: 'en',
        });
        const first = tokenOf(invited.body.link);
        const reset = await rosa.post<HandoverBody>(`${member('ana@riverbend.example')}/reset`, {});
        expect(reset.status).toBe(200);
        const second = tokenOf(reset.body.link);
        expect((await useLink(first, NEW_PASSWORD)).status).toBe(404);
        expect((await lookUp<LinkInfo>(second)).body.purpose).toBe('reset');
        expect((await useLink(second, NEW_PASSWORD)).status).toBe(200);
      });
    });

    describe('inviting', () => {
      it('hands over a generated password, shown once, that signs the person in', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const rosa = await signIn('rosa@riverbend.example');
        const invited = await rosa.post<HandoverBody>('/admin/api/team', {
          email: 'ben@riverbend.example',
          role: 'admin',
          locale: 'en',
          handover: 'password',
        });
        expect(invited.status).toBe(201);
        expect(invited.body.link).toBeUndefined();
        expect(invited.body.password).toMatch(/^[A-Za-z0-9]{20}$/);
        expect(invited.body.member).toMatchObject({
          email: 'ben@riverbend.example',
          role: 'admin',
          linkExpiresAt: null,
        });
        const ben = await signIn('ben@riverbend.example', invited.body.password);
        expect((await ben.get<SessionAnswer>('/admin/api/session')).body.staff.role).toBe('admin');

        const entry = (await auditOf(rosa)).find((candidate) => candidate.action === 'staff.invite');
        expect(entry?.detail).toEqual({
          account: 'ben@riverbend.example',
          role: 'admin',
          locale: 'en',
          handover: 'password',
        });
        expect(JSON.stringify(await auditOf(rosa))).not.toContain(invited.body.password);
      });

      it('refuses an address that has an account here or at another center, and bad fields', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('lee@lakeside.example', 'staff', 'lakeside');
        const rosa = await signIn('rosa@riverbend.example');
        for (const email of ['Rosa@riverbend.example', 'lee@lakeside.example']) {
          const taken = await rosa.post('/admin/api/team', { email, role: 'staff', locale: 'en' });
          expect(taken.status).toBe(409);
          expect(taken.body.error?.code).toBe('staff_exists');
          expect(taken.body.error?.message).not.toContain('lakeside"');
        }
        const bad = await rosa.post('/admin/api/team', {
          email: 'not an address',
          role: 'owner',
          locale: 'fr',
          handover: 'pigeon',
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error?.code).toBe('invalid_input');
        expect(bad.body.error?.issues?.map((issue) => issue.path)).toEqual(['email', 'role', 'locale', 'handover']);
        expect((await teamOf(rosa)).map((entry) => entry.email)).toEqual(['rosa@riverbend.example']);
      });
    });

    describe('who may change the team', () => {
      it('lets staff list the team but refuses every change with 403', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        await addStaff('lee@lakeside.example', 'admin', 'lakeside');
        const sam = await signIn('sam@riverbend.example');
        const team = await teamOf(sam);
        expect(team.map((entry) => entry.email)).toEqual(['rosa@riverbend.example', 'sam@riverbend.example']);
        expect(JSON.stringify(team)).not.toMatch(/scrypt|password|hash|alerts/i);

        const changes: [string, unknown][] = [
          ['/admin/api/team', { email: 'new@riverbend.example', role: 'staff', locale: 'en' }],
          [`${member('rosa@riverbend.example')}/role`, { role: 'staff' }],
          [`${member('rosa@riverbend.example')}/reset`, {}],
          [`${member('rosa@riverbend.example')}/unlock`, {}],
          [`${member('rosa@riverbend.example')}/remove`, {}],
          [`${member('sam@riverbend.example')}/role`, { role: 'admin' }],
        ];
        for (const [path, body] of changes) {
          const refused = await sam.post(path, body);
          expect(refused.status, path).toBe(403);
          expect(refused.body.error?.code).toBe('forbidden');
        }
        expect((await teamOf(sam)).map((entry) => `${entry.email} ${entry.role}`)).toEqual([
          'rosa@riverbend.example admin',
          'sam@riverbend.example staff',
        ]);
      });

      it('changes roles, audited with from and to, and never leaves the center without an admin', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');

        for (const path of [`${member('rosa@riverbend.example')}/role`, `${member('rosa@riverbend.example')}/remove`]) {
          const refused = await rosa.post(path, { role: 'staff' });
          expect(refused.status).toBe(409);
          expect(refused.body.error?.code).toBe('last_admin');
          expect(refused.body.error?.message).toMatch(/last admin/);
        }

        const promoted = await rosa.post<TeamMember>(`${member('Sam@Riverbend.example')}/role`, { role: 'admin' });
        expect(promoted.status).toBe(200);
        expect(promoted.body).toMatchObject({ email: 'sam@riverbend.example', role: 'admin' });
        const sam = await signIn('sam@riverbend.example');
        expect((await sam.get<SessionAnswer>('/admin/api/session')).body.staff.role).toBe('admin');

        const bad = await rosa.post(`${member('sam@riverbend.example')}/role`, { role: 'owner' });
        expect(bad.status).toBe(400);
        expect(bad.body.error?.issues?.[0]?.path).toBe('role');

        // With a second admin, Rosa may step down; then she is staff, at once.
        const demoted = await rosa.post<TeamMember>(`${member('rosa@riverbend.example')}/role`, { role: 'staff' });
        expect(demoted.status).toBe(200);
        expect(demoted.body.role).toBe('staff');
        expect((await rosa.post(`${member('sam@riverbend.example')}/role`, { role: 'staff' })).status).toBe(403);
        expect((await sam.post(`${member('sam@riverbend.example')}/role`, { role: 'staff' })).body.error?.code).toBe(
          'last_admin',
        );
        expect((await sam.post(`${member('sam@riverbend.example')}/remove`)).body.error?.code).toBe('last_admin');

        const roles = (await auditOf(sam)).filter((entry) => entry.action === 'staff.role');
        expect(roles.map((entry) => [entry.staffEmail, entry.detail])).toEqual([
          ['rosa@riverbend.example', { account: 'rosa@riverbend.example', from: 'admin', to: 'staff' }],
          ['rosa@riverbend.example', { account: 'sam@riverbend.example', from: 'staff', to: 'admin' }],
        ]);
      });

      it('does not find another center’s accounts', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('lee@lakeside.example', 'admin', 'lakeside');
        await addStaff('kim@lakeside.example', 'staff', 'lakeside');
        const rosa = await signIn('rosa@riverbend.example');
        expect((await teamOf(rosa)).map((entry) => entry.email)).toEqual(['rosa@riverbend.example']);
        for (const action of ['role', 'reset', 'unlock', 'remove']) {
          const answer = await rosa.post(`${member('kim@lakeside.example')}/${action}`, { role: 'admin' });
          expect(answer.status, action).toBe(404);
          expect(answer.body.error?.code).toBe('not_found');
          expect(answer.body.error?.message).toContain('No such account in your center');
        }
        expect((await rosa.post(`${member('nobody@riverbend.example')}/unlock`)).status).toBe(404);
        // Untouched: Kim is still staff and signs in with the same password.
        const kim = await signIn('kim@lakeside.example');
        expect((await kim.get<SessionAnswer>('/admin/api/session')).body.staff.role).toBe('staff');
      });
    });

    describe('resets, unlocking and removing', () => {
      it('reset by link: the old password fails at once and the sessions end', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');
        const sam = await signIn('sam@riverbend.example');

        const reset = await rosa.post<HandoverBody>(`${member('sam@riverbend.example')}/reset`, {});
        expect(reset.status).toBe(200);
        expect(reset.body.member).toMatchObject({
          email: 'sam@riverbend.example',
          linkExpiresAt: new Date(now().getTime() + DAY_MS).toISOString(),
        });
        expect(reset.body.password).toBeUndefined();
        expect((await sam.get('/admin/api/session')).status).toBe(401);
        expect((await tryLogin('sam@riverbend.example', PASSWORD)).status).toBe(401);

        const token = tokenOf(reset.body.link);
        expect((await lookUp<LinkInfo>(token)).body).toMatchObject({
          email: 'sam@riverbend.example',
          purpose: 'reset',
        });
        const used = await useLink(token, NEW_PASSWORD);
        expect(used.status).toBe(200);
        expect((await tryLogin('sam@riverbend.example', NEW_PASSWORD)).status).toBe(200);

        const entries = await auditOf(rosa);
        expect(entries.find((entry) => entry.action === 'staff.reset')?.detail).toEqual({
          account: 'sam@riverbend.example',
          handover: 'link',
        });
        expect(entries.find((entry) => entry.action === 'staff.link_used')?.detail).toEqual({
          account: 'sam@riverbend.example',
          purpose: 'reset',
        });
      });

      it('reset by password hands over a new password and unlocks the account', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');
        for (let tries = 0; tries < LOCK_AFTER; tries++) await tryLogin('sam@riverbend.example', 'wrong password!');
        const reset = await rosa.post<HandoverBody>(`${member('sam@riverbend.example')}/reset`, {
          handover: 'password',
        });
        expect(reset.status).toBe(200);
        expect(reset.body.link).toBeUndefined();
        expect(reset.body.member).toMatchObject({ lockedUntil: null, linkExpiresAt: null });
        expect((await tryLogin('sam@riverbend.example', PASSWORD)).status).toBe(401);
        await signIn('sam@riverbend.example', reset.body.password);
        const bad = await rosa.post(`${member('sam@riverbend.example')}/reset`, { handover: 'fax' });
        expect(bad.status).toBe(400);
        expect(bad.body.error?.issues?.[0]?.path).toBe('handover');
      });

      it('unlock lifts the lock after failed sign-ins', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');
        for (let tries = 0; tries < LOCK_AFTER; tries++) await tryLogin('sam@riverbend.example', 'wrong password!');
        expect((await tryLogin('sam@riverbend.example')).status).toBe(423);
        const locked = (await teamOf(rosa)).find((entry) => entry.email === 'sam@riverbend.example');
        expect(locked?.lockedUntil).toBe(new Date(now().getTime() + 15 * 60_000).toISOString());

        const unlocked = await rosa.post<TeamMember>(`${member('sam@riverbend.example')}/unlock`);
        expect(unlocked.status).toBe(200);
        expect(unlocked.body).toMatchObject({ email: 'sam@riverbend.example', lockedUntil: null });
        await signIn('sam@riverbend.example');
        expect((await auditOf(rosa)).find((entry) => entry.action === 'staff.unlock')).toMatchObject({
          staffEmail: 'rosa@riverbend.example',
          detail: { account: 'sam@riverbend.example' },
        });
      });

      it('remove signs the person out and gives their leads back', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');
        const sam = await signIn('sam@riverbend.example');
        const submitted = await request<{ id: string }>('/v1/leads', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(validLead()),
        });
        expect(submitted.status).toBe(201);
        const leadId = submitted.body.id;
        await server.services.leads.assign('riverbend', leadId, 'sam@riverbend.example', 'rosa@riverbend.example');
        expect((await server.services.leads.find('riverbend', leadId))?.assignedTo).toBe('sam@riverbend.example');

        const removed = await rosa.post(`${member('sam@riverbend.example')}/remove`);
        expect(removed.status).toBe(204);
        expect((await sam.get('/admin/api/session')).status).toBe(401);
        expect((await tryLogin('sam@riverbend.example')).status).toBe(401);
        expect((await teamOf(rosa)).map((entry) => entry.email)).toEqual(['rosa@riverbend.example']);
        expect((await server.services.leads.find('riverbend', leadId))?.assignedTo).toBeNull();
        expect((await rosa.post(`${member('sam@riverbend.example')}/remove`)).status).toBe(404);
        expect((await auditOf(rosa)).find((entry) => entry.action === 'staff.remove')).toMatchObject({
          staffEmail: 'rosa@riverbend.example',
          detail: { account: 'sam@riverbend.example', leadsReturned: 1 },
        });
      });
    });

    describe('one’s own account', () => {
      it('changes the password with the right current one and signs out the other sessions', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        const here = await signIn('rosa@riverbend.example');
        const elsewhere = await signIn('rosa@riverbend.example');

        const wrong = await here.post('/admin/api/me/password', { current: 'not my password', password: NEW_PASSWORD });
        expect(wrong.status).toBe(403);
        expect(wrong.body.error?.code).toBe('bad_credentials');
        const short = await here.post('/admin/api/me/password', { current: PASSWORD, password: 'short' });
        expect(short.status).toBe(400);
        expect(short.body.error?.code).toBe('invalid_input');
        expect(short.body.error?.issues?.map((issue) => issue.path)).toEqual(['password']);
        expect((await elsewhere.get('/admin/api/session')).status).toBe(200);

        const changed = await here.post('/admin/api/me/password', { current: PASSWORD, password: NEW_PASSWORD });
        expect(changed.status).toBe(204);
        expect((await here.get('/admin/api/session')).status).toBe(200);
        expect((await elsewhere.get('/admin/api/session')).status).toBe(401);
        expect((await tryLogin('rosa@riverbend.example', PASSWORD)).status).toBe(401);
        await signIn('rosa@riverbend.example', NEW_PASSWORD);

        const entries = await auditOf(here);
        expect(entries.filter((entry) => entry.action === 'staff.password')).toHaveLength(1);
        expect(JSON.stringify(entries)).not.toContain(NEW_PASSWORD);
      });

      it('saves the language and alerts, shown in the session', async () => {
        await addStaff('sam@riverbend.example');
        await addStaff('rosa@riverbend.example', 'admin');
        const sam = await signIn('sam@riverbend.example');
        expect((await sam.get<SessionAnswer>('/admin/api/session')).body.staff.alerts).toEqual({
          sound: false,
          desktop: false,
        });

        const saved = await sam.post<SessionAnswer>('/admin/api/me', {
          locale: 'es',
          alerts: { sound: true, desktop: false },
        });
        expect(saved.status).toBe(200);
        expect(saved.body.staff).toEqual({
          email: 'sam@riverbend.example',
          role: 'staff',
          locale: 'es',
          alerts: { sound: true, desktop: false },
        });
        expect(saved.body.csrf).toBe(sam.csrf);
        const session = await sam.get<SessionAnswer>('/admin/api/session');
        expect(session.body.staff).toEqual(saved.body.staff);

        const alertsOnly = await sam.post<SessionAnswer>('/admin/api/me', { alerts: { sound: false, desktop: true } });
        expect(alertsOnly.body.staff).toMatchObject({ locale: 'es', alerts: { sound: false, desktop: true } });
        // Kept for the next sign-in too.
        const again = await signIn('sam@riverbend.example');
        expect((await again.get<SessionAnswer>('/admin/api/session')).body.staff).toMatchObject({
          locale: 'es',
          alerts: { sound: false, desktop: true },
        });

        const bad = await sam.post('/admin/api/me', { locale: 'fr', alerts: { sound: 'yes' } });
        expect(bad.status).toBe(400);
        expect(bad.body.error?.issues?.map((issue) => issue.path)).toEqual(['locale', 'alerts']);

        const rosa = await signIn('rosa@riverbend.example');
        const settings = (await auditOf(rosa)).filter((entry) => entry.action === 'staff.settings');
        expect(settings.map((entry) => entry.detail)).toEqual([
          { account: 'sam@riverbend.example', alerts: { sound: false, desktop: true } },
          { account: 'sam@riverbend.example', locale: 'es', alerts: { sound: true, desktop: false } },
        ]);
      });

      it('shows when each person last signed in', async () => {
        await addStaff('rosa@riverbend.example', 'admin');
        await addStaff('sam@riverbend.example');
        const rosa = await signIn('rosa@riverbend.example');
        const signedInAt = now().toISOString();
        expect((await teamOf(rosa)).map((entry) => [entry.email, entry.lastSignInAt])).toEqual([
          ['rosa@riverbend.example', signedInAt],
          ['sam@riverbend.example', null],
        ]);
        later(90 * 60_000);
        await signIn('sam@riverbend.example');
        const team = await teamOf(rosa);
        expect(team.find((entry) => entry.email === 'sam@riverbend.example')?.lastSignInAt).toBe(now().toISOString());
        expect(team.find((entry) => entry.email === 'rosa@riverbend.example')?.lastSignInAt).toBe(signedInAt);
      });
    });
  });
}
