import { randomBytes } from 'node:crypto';
import { LOCK_AFTER, SESSION_MS } from '@intake-chat/server';
import { describe, expect, it } from 'vitest';
import { type Answer, PASSWORD, twoCenters, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';
import { visitor } from './support/validLead.js';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

// A token in the webhook's query string: the operator's secret, not for every staff member's eyes.
const config = twoCenters({ webhooks: [{ url: 'https://crm.riverbend.example/hooks?token=s3cret', secret: SECRET }] });

const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`the console API on ${backend.name}`, () => {
    const server = useConsoleApp(backend, { config, loginLimit: 12 });
    const { request, tryLogin, signIn, addStaff, submit, minutesLater, setClock, now } = server;

    const auditActions = async (center = 'riverbend') =>
      (await server.auditEntries({ center })).map(
        (entry) => `${entry.action} ${entry.staffEmail}${entry.leadId ? ` ${entry.leadId}` : ''}`,
      );

    describe('signing in', () => {
      it('sets a Secure, HttpOnly, SameSite=Strict host-only cookie and returns the session', async () => {
        await addStaff('sam@riverbend.example', 'riverbend', 'admin');
        const answer = await tryLogin('  Sam@Riverbend.example ');
        expect(answer.status).toBe(200);
        const cookie = answer.headers.get('set-cookie') ?? '';
        expect(cookie).toMatch(/^__Host-intake_session=[\w-]{40,};/);
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Strict/);
        expect(cookie).toMatch(/Secure/);
        expect(cookie).toMatch(/Path=\//);
        expect(cookie).not.toMatch(/Domain=/i);
        expect(answer.body).toMatchObject({
          staff: { email: 'sam@riverbend.example', role: 'admin', locale: 'en' },
          center: {
            id: 'riverbend',
            name: 'Riverbend Recovery',
            callbackTargetMinutes: 15,
            callbackTargets: { emergency: 5, urgent: 15, high: 15, normal: 15 },
          },
        });
        expect(JSON.stringify(answer.body)).not.toMatch(/scrypt|password/i);

        const session = await request('/admin/api/session', { headers: { cookie: cookie.split(';')[0] ?? '' } });
        expect(session.status).toBe(200);
        expect(session.body.csrf).toBe(answer.body.csrf);
        expect(await auditActions()).toEqual(['login sam@riverbend.example']);
      });

      it('says how many tries are left, then locks the account with a clear message, even for the right password', async () => {
        await addStaff('sam@riverbend.example');
        for (let tries = 1; tries < LOCK_AFTER; tries++) {
          const wrong = await tryLogin('sam@riverbend.example', 'not the password');
          expect(wrong.status).toBe(401);
          expect(wrong.body.error.message).toContain(
            `${LOCK_AFTER - tries} more ${LOCK_AFTER - tries === 1 ? 'try' : 'tries'} before sign-in is locked for 15 minutes`,
          );
        }
        const locked = await tryLogin('sam@riverbend.example', 'not the password');
        expect(locked.status).toBe(423);
        expect(locked.body.error).toMatchObject({ code: 'locked' });
        expect(locked.body.error.message).toMatch(/locked after 5 failed attempts. Try again in 15 minutes/);
        expect(locked.headers.get('retry-after')).toBe('900');

        minutesLater(5);
        const stillLocked = await tryLogin('sam@riverbend.example');
        expect(stillLocked.status).toBe(423);
        expect(stillLocked.body.error.message).toMatch(/Try again in 10 minutes/);
        expect(stillLocked.headers.get('set-cookie')).toBeNull();

        minutesLater(10);
        expect((await tryLogin('sam@riverbend.example')).status).toBe(200);
        const actions = await auditActions();
        expect(actions.filter((action) => action.startsWith('login.failed'))).toHaveLength(LOCK_AFTER);
        expect(actions.at(-1)).toBe('login sam@riverbend.example');
      });

      it('answers an unknown address exactly like a wrong password, lockout included', async () => {
        for (let tries = 1; tries < LOCK_AFTER; tries++) {
          const wrong = await tryLogin('nobody@riverbend.example', 'guess');
          expect(wrong.status).toBe(401);
          expect(wrong.body.error.message).toContain(`${LOCK_AFTER - tries} more`);
        }
        expect((await tryLogin('nobody@riverbend.example', 'guess')).status).toBe(423);
      });

      it('slows down one address that tries many accounts', async () => {
        await addStaff('sam@riverbend.example');
        let last: Answer<{ error: { code: string } }> | undefined;
        for (let i = 0; i < 13; i++) last = await tryLogin(`guess${i}@riverbend.example`, 'guess');
        expect(last?.status).toBe(429);
        expect(last?.body.error.code).toBe('rate_limited');
        expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      });

      it('refuses a sign-in posted from another site', async () => {
        await addStaff('sam@riverbend.example');
        const answer = await tryLogin('sam@riverbend.example', PASSWORD, {
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        });
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('csrf');
        expect(answer.headers.get('set-cookie')).toBeNull();
      });

      it('names the missing fields', async () => {
        const answer = await request<{ error: { issues: { path: string }[] } }>('/admin/api/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: '' }),
        });
        expect(answer.status).toBe(400);
        expect(answer.body.error.issues.map((issue) => issue.path)).toEqual(['email', 'password']);
      });

      it('ends the session on sign-out and after one shift', async () => {
        await addStaff('sam@riverbend.example');
        const first = await signIn('sam@riverbend.example');
        expect((await first.post('/admin/api/logout', {})).status).toBe(204);
        expect((await first.get('/admin/api/session')).status).toBe(401);

        const second = await signIn('sam@riverbend.example');
        minutesLater(SESSION_MS / 60_000 - 1);
        expect((await second.get('/admin/api/session')).status).toBe(200);
        minutesLater(2);
        const expired = await second.get<{ error: { code: string; message: string } }>('/admin/api/leads');
        expect(expired.status).toBe(401);
        expect(expired.body.error).toMatchObject({
          code: 'signed_out',
          message: 'You are signed out. Sign in to continue.',
        });
      });
    });

    describe('changes need the console token', () => {
      it('refuses a status change without the CSRF token, or with another one, and leaves the lead alone', async () => {
        await addStaff('sam@riverbend.example');
        const sam = await signIn('sam@riverbend.example');
        const id = await submit();
        for (const token of [undefined, 'forged-token']) {
          const answer = await request<{ error: { code: string } }>(`/admin/api/leads/${id}/status`, {
            method: 'POST',
            headers: {
              cookie: sam.cookie,
              'content-type': 'application/json',
              ...(token === undefined ? {} : { 'x-csrf-token': token }),
            },
            body: JSON.stringify({ from: 'new', to: 'contacted' }),
          });
          expect(answer.status).toBe(403);
          expect(answer.body.error.code).toBe('csrf');
        }
        const crossSite = await sam.post<{ error: { code: string } }>(
          `/admin/api/leads/${id}/status`,
          { from: 'new', to: 'contacted' },
          { origin: 'https://evil.example', host: 'localhost' },
        );
        expect(crossSite.status).toBe(403);
        expect((await sam.get<{ status: string }>(`/admin/api/leads/${id}`)).body.status).toBe('new');
      });
    });

    describe('the inbox', () => {
      it('puts new leads first by urgency, then the longest wait, with the wait against the target', async () => {
        await addStaff('sam@riverbend.example');
        const normal = await submit();
        minutesLater(2);
        const urgent = await submit({ answers: { substances: ['alcohol'], 'use-frequency': 'daily' } });
        minutesLater(1);
        const emergency = await submit({ answers: { 'safety-now': 'yes' } });
        minutesLater(1);
        const high = await submit({ answers: { 'home-safe': 'no' } });
        const contacted = await submit();
        const sam = await signIn('sam@riverbend.example');
        await sam.post(`/admin/api/leads/${contacted}/status`, { from: 'new', to: 'contacted' });
        minutesLater(4);

        const inbox = await sam.get<{ now: string; leads: Record<string, unknown>[] }>('/admin/api/leads');
        expect(inbox.status).toBe(200);
        expect(inbox.body.now).toBe(now().toISOString());
        expect(inbox.body.leads.map((lead) => lead.id)).toEqual([emergency, urgent, high, normal, contacted]);
        expect(inbox.body.leads.map((lead) => lead.urgency)).toEqual([
          'emergency',
          'urgent',
          'high',
          'normal',
          'normal',
        ]);
        // Waits: 5, 6, 4, 8 minutes against riverbend's targets (5 minutes for an emergency, else 15); the
        // contacted lead was reached at once.
        expect(inbox.body.leads.map((lead) => [lead.minutesWaiting, lead.sla])).toEqual([
          [5, 'amber'],
          [6, 'green'],
          [4, 'green'],
          [8, 'amber'],
          [0, null],
        ]);
        expect(inbox.body.leads[0]).toMatchObject({
          name: visitor.name,
          phone: visitor.phone,
          phoneE164: visitor.phoneE164,
          route: 'crisis',
          status: 'new',
          bestTime: 'evening',
          voicemailOk: expect.any(Boolean),
          textOk: expect.any(Boolean),
        });

        // 15, 16, 14 and 18 minutes: at the target is still amber, past it red.
        minutesLater(10);
        const later = await sam.get<{ leads: { sla: string | null }[] }>('/admin/api/leads');
        expect(later.body.leads.map((lead) => lead.sla)).toEqual(['red', 'red', 'amber', 'red', null]);
      });

      it("measures each lead's wait against the target of its urgency: an emergency at 4 of 5 minutes is amber", async () => {
        await addStaff('sam@riverbend.example');
        const emergency = await submit({ answers: { 'safety-now': 'yes' } });
        const normal = await submit();
        const sam = await signIn('sam@riverbend.example');
        const badges = async () =>
          (await sam.get<{ leads: { id: string; sla: string }[] }>('/admin/api/leads')).body.leads.map((lead) => [
            lead.id,
            lead.sla,
          ]);

        minutesLater(2);
        expect(await badges()).toEqual([
          [emergency, 'green'],
          [normal, 'green'],
        ]);
        minutesLater(2);
        expect(await badges()).toEqual([
          [emergency, 'amber'],
          [normal, 'green'],
        ]);
        minutesLater(2);
        expect(await badges()).toEqual([
          [emergency, 'red'],
          [normal, 'green'],
        ]);
      });

      it('shows a center only its own leads: another center gets 404 for them', async () => {
        await addStaff('sam@riverbend.example');
        await addStaff('lee@lakeside.example', 'lakeside', 'admin');
        const riverbendLead = await submit();
        const lakesideLead = await submit({ center: 'lakeside' });
        const lee = await signIn('lee@lakeside.example');

        const inbox = await lee.get<{ leads: { id: string }[] }>('/admin/api/leads?view=all');
        expect(inbox.body.leads.map((lead) => lead.id)).toEqual([lakesideLead]);
        expect((await lee.get(`/admin/api/leads/${riverbendLead}`)).status).toBe(404);
        expect(
          (await lee.post(`/admin/api/leads/${riverbendLead}/status`, { from: 'new', to: 'contacted' })).status,
        ).toBe(404);
        expect((await lee.post(`/admin/api/leads/${riverbendLead}/notes`, { note: 'hello' })).status).toBe(404);
        const csv = await lee.get<string>('/admin/api/export.csv?since=2026-01-01');
        expect(csv.body).toContain(lakesideLead);
        expect(csv.body).not.toContain(riverbendLead);

        const sam = await signIn('sam@riverbend.example');
        expect((await sam.get<{ status: string }>(`/admin/api/leads/${riverbendLead}`)).body.status).toBe('new');
      });

      it('writes viewing the inbox to the audit log at most every 15 minutes per session', async () => {
        await addStaff('sam@riverbend.example');
        const sam = await signIn('sam@riverbend.example');
        for (let i = 0; i < 5; i++) {
          await sam.get('/admin/api/leads');
          minutesLater(1);
        }
        minutesLater(15);
        await sam.get('/admin/api/leads');
        const views = (await auditActions()).filter((action) => action.startsWith('inbox.view'));
        expect(views).toHaveLength(2);
      });
    });

    describe('a lead', () => {
      it('shows each answer as its question and label in the staff member’s language, with flags and consent', async () => {
        await addStaff('ana@riverbend.example', 'riverbend', 'staff', 'es');
        const id = await submit({
          answers: { 'safety-now': 'yes', substances: ['alcohol'], 'use-frequency': 'daily' },
        });
        const ana = await signIn('ana@riverbend.example');
        const detail = await ana.get<{
          answers: { stepId: string; question: string; answer: string[] }[];
          reasons: { key: string; text: string }[];
          flags: Record<string, boolean>;
          consent: Record<string, unknown>;
          route: string;
          nextStatuses: string[];
          deliveries: unknown[];
        }>(`/admin/api/leads/${id}`);
        expect(detail.status).toBe(200);
        expect(detail.body.route).toBe('crisis');
        // A crisis lead who also drinks every day: the withdrawal risk is flagged though crisis decided the route.
        expect(detail.body.flags).toEqual({ crisis: true, withdrawal: true });
        const frequency = detail.body.answers.find((answer) => answer.stepId === 'use-frequency');
        expect(frequency?.question).toMatch(/¿/);
        expect(frequency?.answer).toEqual([expect.stringMatching(/día/i)]);
        expect(detail.body.answers[0]?.stepId).toBe('for-whom');
        expect(detail.body.reasons[0]).toMatchObject({ key: 'in-danger', text: expect.stringMatching(/peligro/) });
        expect(detail.body.consent).toMatchObject({ call: true, textVersion: expect.any(String) });
        expect(detail.body.nextStatuses).toEqual(['contacted', 'unreachable']);
        expect(await auditActions()).toContain(`lead.view ana@riverbend.example ${id}`);
      });

      it('shows a typed answer as the visitor wrote it, and the reasons that repeat their choices, in English and Spanish', async () => {
        await addStaff('sam@riverbend.example');
        await addStaff('ana@riverbend.example', 'riverbend', 'staff', 'es');
        const typed = 'Call after 5 please, I work days. Can my sister come too?';
        // iopFitAnswers: support "some" and hours "maybe", which the reasons must not turn into a yes.
        const id = await submit({ answers: { 'anything-else': typed } });
        type Detail = {
          route: string;
          answers: { stepId: string; question: string; answer: string[] }[];
          reasons: { key: string; text: string }[];
        };
        const english = (await (await signIn('sam@riverbend.example')).get<Detail>(`/admin/api/leads/${id}`)).body;
        const spanish = (await (await signIn('ana@riverbend.example')).get<Detail>(`/admin/api/leads/${id}`)).body;

        expect(english.route).toBe('iop-fit');
        expect(english.answers.at(-1)).toEqual({
          stepId: 'anything-else',
          question: 'Is there anything you want the team to know before they call?',
          answer: [typed],
        });
        expect(spanish.answers.at(-1)).toEqual({
          stepId: 'anything-else',
          question: '¿Hay algo que quiera que el equipo sepa antes de llamar?',
          answer: [typed],
        });
        expect(english.reasons).toEqual([
          { key: 'home-stable', text: 'Home is safe and free of drugs and alcohol.' },
          { key: 'some-support', text: 'There is a little support for recovery.' },
          {
            key: 'might-attend',
            text: 'About 9 hours a week might work. The team can talk through the schedule.',
          },
        ]);
        expect(spanish.reasons.map((reason) => reason.text)).toEqual([
          'El hogar es seguro y libre de drogas y alcohol.',
          'Hay un poco de apoyo para la recuperación.',
          'Unas 9 horas por semana tal vez podrían funcionar. El equipo puede hablar del horario.',
        ]);
      });

      it('says whether the visitor or the person they ask for may be in danger', async () => {
        await addStaff('ana@riverbend.example', 'riverbend', 'staff', 'es');
        const id = await submit({ answers: { 'for-whom': 'loved-one', 'safety-now': 'yes' } });
        const ana = await signIn('ana@riverbend.example');
        const detail = await ana.get<{ reasons: { key: string; text: string }[] }>(`/admin/api/leads/${id}`);
        expect(detail.body.reasons).toEqual([
          {
            key: 'in-danger-loved-one',
            text: 'Nos dijo que usted o la persona por quien pregunta podría estar en peligro ahora mismo.',
          },
        ]);
      });

      it('moves through the workflow with notes, refuses a stale or impossible change, and audits each step', async () => {
        await addStaff('sam@riverbend.example');
        await addStaff('kim@riverbend.example');
        const id = await submit();
        const sam = await signIn('sam@riverbend.example');
        const kim = await signIn('kim@riverbend.example');
        minutesLater(7);

        const contacted = await sam.post<{
          status: string;
          contactedAt: string;
          minutesWaiting: number;
          history: unknown[];
        }>(`/admin/api/leads/${id}/status`, {
          from: 'new',
          to: 'contacted',
          note: 'Left a message; will call again at 6.',
        });
        expect(contacted.status).toBe(200);
        expect(contacted.body).toMatchObject({
          status: 'contacted',
          contactedAt: now().toISOString(),
          minutesWaiting: 7,
        });

        // Kim's screen still shows "new": her change is refused instead of overwriting Sam's.
        const stale = await kim.post<{ error: { code: string; message: string } }>(`/admin/api/leads/${id}/status`, {
          from: 'new',
          to: 'unreachable',
        });
        expect(stale.status).toBe(409);
        expect(stale.body.error.message).toMatch(/it is now "contacted"/);

        const impossible = await kim.post<{ error: { code: string; message: string } }>(
          `/admin/api/leads/${id}/status`,
          {
            from: 'contacted',
            to: 'new',
          },
        );
        expect(impossible.status).toBe(422);
        expect(impossible.body.error.message).toBe(
          'A lead that is "contacted" cannot become "new". Allowed next: scheduled, admitted, not-a-fit, unreachable.',
        );

        minutesLater(30);
        await kim.post(`/admin/api/leads/${id}/notes`, { note: 'Prefers evenings.' });
        const admitted = await kim.post<{
          status: string;
          contactedAt: string;
          nextStatuses: string[];
          history: unknown[];
        }>(`/admin/api/leads/${id}/status`, { from: 'contacted', to: 'admitted' });
        expect(admitted.body.status).toBe('admitted');
        expect(admitted.body.nextStatuses).toEqual([]);
        // The first contact still measures the callback.
        expect(admitted.body.contactedAt).toBe(contacted.body.contactedAt);
        expect(admitted.body.history).toEqual([
          expect.objectContaining({
            by: 'sam@riverbend.example',
            from: 'new',
            to: 'contacted',
            note: 'Left a message; will call again at 6.',
          }),
          expect.objectContaining({ by: 'kim@riverbend.example', from: null, to: null, note: 'Prefers evenings.' }),
          expect.objectContaining({ by: 'kim@riverbend.example', from: 'contacted', to: 'admitted', note: null }),
        ]);

        const actions = await auditActions();
        expect(actions).toEqual(
          expect.arrayContaining([
            `lead.status sam@riverbend.example ${id}`,
            `lead.note kim@riverbend.example ${id}`,
            `lead.status kim@riverbend.example ${id}`,
          ]),
        );
        // Notes may hold health information: they are sealed at rest, never in the audit log.
        const stored = await server.database.db.selectFrom('lead_events').select('note').execute();
        expect(JSON.stringify(stored)).not.toContain('evenings');
        const audit = await server.database.db.selectFrom('audit').select('detail').execute();
        expect(JSON.stringify(audit)).not.toContain('evenings');
      });

      it('explains a bad request', async () => {
        await addStaff('sam@riverbend.example');
        const id = await submit();
        const sam = await signIn('sam@riverbend.example');
        const bad = await sam.post<{ error: { issues: { path: string }[] } }>(`/admin/api/leads/${id}/status`, {
          from: 'new',
          to: 'called',
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.issues.map((issue) => issue.path)).toEqual(['to']);
        const long = await sam.post<{ error: { message: string } }>(`/admin/api/leads/${id}/notes`, {
          note: 'x'.repeat(2001),
        });
        expect(long.status).toBe(400);
        expect(long.body.error.message).toBe('Notes are limited to 2000 characters; this one has 2001.');
        const empty = await sam.post(`/admin/api/leads/${id}/notes`, { note: '   ' });
        expect(empty.status).toBe(400);
      });
    });

    describe('deliveries', () => {
      it('counts dead letters in the inbox and queues one again on replay, audited', async () => {
        await addStaff('sam@riverbend.example');
        const id = await submit();
        const [job] = await server.database.db.selectFrom('outbox').select('id').where('lead_id', '=', id).execute();
        if (job === undefined) throw new Error('the demo center should have an alert job');
        await server.database.db
          .updateTable('outbox')
          .set({ status: 'dead', last_error: 'HTTP 503 from https://crm.example/hook' })
          .where('id', '=', job.id)
          .execute();
        const sam = await signIn('sam@riverbend.example');
        expect((await sam.get<{ deadLetters: number }>('/admin/api/leads')).body.deadLetters).toBe(1);
        const dead = await sam.get<{ deliveries: { id: string; lastError: string }[] }>(
          '/admin/api/deliveries?status=dead',
        );
        expect(dead.body.deliveries).toEqual([
          expect.objectContaining({ id: job.id, lastError: expect.stringContaining('503') }),
        ]);

        const replayed = await sam.post<{ status: string }>(`/admin/api/deliveries/${job.id}/replay`, {});
        expect(replayed.status).toBe(200);
        expect(replayed.body.status).toBe('pending');
        expect((await sam.post(`/admin/api/deliveries/${job.id}/replay`, {})).status).toBe(409);
        expect((await sam.get<{ deadLetters: number }>('/admin/api/leads')).body.deadLetters).toBe(0);
        expect(await auditActions()).toContain(`delivery.replay sam@riverbend.example ${id}`);

        await addStaff('lee@lakeside.example', 'lakeside');
        const lee = await signIn('lee@lakeside.example');
        expect((await lee.post(`/admin/api/deliveries/${job.id}/replay`, {})).status).toBe(404);
      });
    });

    describe('admins only', () => {
      it('lets an admin read the audit log page by page, and not a staff member', async () => {
        await addStaff('ada@riverbend.example', 'riverbend', 'admin');
        await addStaff('sam@riverbend.example');
        const id = await submit();
        const ada = await signIn('ada@riverbend.example');
        for (let i = 0; i < 120; i++) await ada.get(`/admin/api/leads/${id}`);

        const sam = await signIn('sam@riverbend.example');
        const refused = await sam.get<{ error: { code: string } }>('/admin/api/audit');
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('forbidden');

        const first = await ada.get<{ entries: { action: string; staffEmail: string }[]; next: string }>(
          '/admin/api/audit',
        );
        expect(first.body.entries).toHaveLength(100);
        expect(first.body.entries[0]).toMatchObject({ action: 'login', staffEmail: 'sam@riverbend.example' });
        const second = await ada.get<{ entries: { action: string }[]; next: string | null }>(
          `/admin/api/audit?before=${first.body.next}`,
        );
        // 120 views and ada's and sam's sign-ins, less the 100 of the first page.
        expect(second.body.entries).toHaveLength(22);
        expect(second.body.entries.at(-1)?.action).toBe('login');
        expect(second.body.next).toBeNull();
      });

      it('exports the center’s leads as CSV for an admin, and writes the export to the audit log', async () => {
        await addStaff('ada@riverbend.example', 'riverbend', 'admin');
        await addStaff('sam@riverbend.example');
        setClock('2026-10-01T12:00:00Z');
        await submit();
        setClock('2026-11-20T12:00:00Z');
        const recent = await submit();
        const ada = await signIn('ada@riverbend.example');

        const csv = await ada.get<string>('/admin/api/export.csv?since=2026-11-01');
        expect(csv.status).toBe(200);
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(csv.headers.get('content-disposition')).toBe(
          'attachment; filename="riverbend-leads-since-2026-11-01.csv"',
        );
        const lines = csv.body.trim().split('\r\n');
        expect(lines).toHaveLength(2);
        expect(lines[1]).toContain(recent);
        expect(lines[1]).toContain(visitor.phoneE164);
        // Written once, before the first byte, with how many leads leave the server.
        expect((await auditActions()).filter((action) => action.startsWith('leads.export'))).toEqual([
          'leads.export ada@riverbend.example',
        ]);
        const exported = await server.database.db
          .selectFrom('audit')
          .select('detail')
          .where('action', '=', 'leads.export')
          .execute();
        expect(exported.map((row) => JSON.parse(row.detail ?? '{}'))).toEqual([
          { since: '2026-11-01', format: 'csv', leads: 1 },
        ]);
        expect((await ada.get('/admin/api/export.csv?since=2026-02-31')).status).toBe(400);

        const sam = await signIn('sam@riverbend.example');
        expect((await sam.get('/admin/api/export.csv?since=2026-11-01')).status).toBe(403);
        const bad = await ada.get<{ error: { message: string } }>('/admin/api/export.csv?since=last%20week');
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toBe('since must be a date such as 2026-11-01, not "last week".');
      });
    });

    it('shows webhook receivers without their query string', async () => {
      await addStaff('sam@riverbend.example');
      const id = await submit();
      const sam = await signIn('sam@riverbend.example');
      const detail = await sam.get<{ deliveries: { kind: string; target: string }[] }>(`/admin/api/leads/${id}`);
      expect(detail.body.deliveries.map((delivery) => [delivery.kind, delivery.target]).sort()).toEqual([
        ['email', 'admissions@riverbend.example'],
        ['webhook', 'https://crm.riverbend.example/hooks'],
      ]);
    });

    it('refuses HEAD, so that nothing is written to the audit log as viewed that no one saw', async () => {
      await addStaff('sam@riverbend.example', 'riverbend', 'admin');
      const id = await submit();
      const sam = await signIn('sam@riverbend.example');
      for (const path of [`/admin/api/leads/${id}`, '/admin/api/export.csv?since=2026-01-01']) {
        const answer = await request(path, { method: 'HEAD', headers: { cookie: sam.cookie } });
        expect(answer.status).toBe(405);
      }
      expect(await auditActions()).toEqual(['login sam@riverbend.example']);
    });

    it('sends /admin/ (as typed or linked) to the console', async () => {
      const answer = await server.app.request('/admin/');
      expect(answer.status).toBe(308);
      expect(answer.headers.get('location')).toBe('/admin');
    });

    it('serves the console page under a strict policy and never lets a page be cached', async () => {
      const page = await request<string>('/admin');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<div id="console"></div>');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('cache-control')).toBe('no-store');
      const signedOut = await request('/admin/api/leads');
      expect(signedOut.status).toBe(401);
      expect(signedOut.headers.get('cache-control')).toBe('no-store');
    });
  });
}
