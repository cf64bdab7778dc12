import type { CenterConfig } from '@intake-chat/server';
import { describe, expect, it } from 'vitest';
import { sessionCookie, twoCenters, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';
import { visitor } from './support/validLead.js';

const riverbendSteps = (twoCenters().centers.get('riverbend') as CenterConfig).flow.steps.map((step) => step.id);

/** The cells of an RFC 4180 text: CRLF between records, line breaks only inside quoted cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') cell += char;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (char === '\r' || char === '\n' || char === '"') {
      throw new Error(`a bare ${JSON.stringify(char)} at ${i} outside a quoted cell`);
    } else cell += char;
  }
  if (quoted || cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

/** The header and the rows as objects keyed by it. */
function csvRecords(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  for (const row of rows) expect(row).toHaveLength(header.length);
  return { header, rows: rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']))) };
}

interface ExportedLead {
  id: string;
  name: string;
  phone: string;
  status: string;
  assignee: string | null;
  answers: { stepId: string; question: string; answer: string[]; value: string | string[] }[];
  notes: { at: string; by: string; note: string }[];
  history: { at: string; by: string; from: string; to: string }[];
}

const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`the leads export on ${backend.name}`, () => {
    const server = useConsoleApp(backend);
    const { tryLogin, addStaff, submit, minutesLater, setClock, now } = server;

    /** A signed-in staff member's view of the API, whose changes must succeed. */
    async function signIn(email: string) {
      const session = await server.signIn(email);
      return {
        get: session.get,
        post: async (path: string, body: unknown) => {
          const answer = await session.post(path, body);
          expect(answer.status, answer.text).toBe(200);
          return answer;
        },
      };
    }

    /** A session's cookie alone, for a request the test makes itself. */
    const cookieOf = async (email: string) => sessionCookie((await tryLogin(email)).headers);

    const exportAudit = async (center = 'riverbend') =>
      (await server.auditEntries({ center, actionPrefix: 'leads.export' })).map((entry) => ({
        action: entry.action,
        by: entry.staffEmail,
        detail: entry.detail,
      }));

    it('gives every question of the flow a column of labels in the admin’s language and one of raw values', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin', 'en');
      await addStaff('eva@riverbend.example', 'riverbend', 'admin', 'es');
      const id = await submit();

      const english = await (await signIn('ada@riverbend.example')).get('/admin/api/export.csv?since=2026-11-01');
      expect(english.status).toBe(200);
      expect(english.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(english.headers.get('content-disposition')).toBe(
        'attachment; filename="riverbend-leads-since-2026-11-01.csv"',
      );
      const { header, rows } = csvRecords(english.text);
      expect(header).toEqual([
        ...['id', 'created_at', 'route', 'urgency', 'status', 'name', 'phone', 'best_time', 'voicemail_ok'],
        ...['text_ok', 'state', 'for_whom', 'locale', 'flow', 'consent_call', 'consent_text', 'consent_version'],
        'consent_at',
        ...riverbendSteps.flatMap((step) => [step, `${step} (value)`]),
        ...['other_answers', 'assignee', 'notes', 'status_history'],
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id,
        route: 'iop-fit',
        urgency: 'normal',
        status: 'new',
        name: visitor.name,
        phone: visitor.phoneE164,
        best_time: 'evening',
        voicemail_ok: 'true',
        text_ok: 'false',
        state: 'IL',
        for_whom: 'self',
        locale: 'en',
        flow: 'iop-intake@1',
        consent_call: 'true',
        consent_version: '2026-12-riverbend-call-v1',
        'for-whom': 'For myself',
        'for-whom (value)': 'self',
        substances: 'Stimulants (like meth, cocaine, Adderall); Cannabis',
        'substances (value)': 'cannabis; stimulants',
        coverage: expect.stringMatching(/medicaid/i),
        'coverage (value)': 'medicaid',
        // Not answered: both cells empty.
        'anything-else': '',
        'anything-else (value)': '',
        other_answers: '',
        assignee: '',
        notes: '',
        status_history: '',
      });

      const spanish = await (await signIn('eva@riverbend.example')).get('/admin/api/export.csv?since=2026-11-01');
      expect(csvRecords(spanish.text).rows[0]).toMatchObject({
        'for-whom': 'Para mí',
        'for-whom (value)': 'self',
        substances: 'Estimulantes (como metanfetamina, cocaína, Adderall); Cannabis o marihuana',
        'substances (value)': 'cannabis; stimulants',
      });
    });

    it('holds who has the lead, its notes and its status history, oldest first', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      await addStaff('sam@riverbend.example', 'riverbend', 'staff');
      const id = await submit();
      const sam = await signIn('sam@riverbend.example');
      minutesLater(5);
      const first = now().toISOString();
      await sam.post(`/admin/api/leads/${id}/notes`, { note: 'Left a voicemail.\nWill try after 6.' });
      minutesLater(60);
      const second = now().toISOString();
      await sam.post(`/admin/api/leads/${id}/status`, { from: 'new', to: 'contacted', note: 'Spoke with her' });
      minutesLater(1);
      const third = now().toISOString();
      await sam.post(`/admin/api/leads/${id}/status`, { from: 'contacted', to: 'scheduled' });
      await sam.post(`/admin/api/leads/${id}/assign`, { to: 'sam@riverbend.example' });

      const ada = await signIn('ada@riverbend.example');
      const [lead] = csvRecords((await ada.get('/admin/api/export.csv?since=2026-11-20')).text).rows;
      expect(lead).toMatchObject({
        status: 'scheduled',
        assignee: 'sam@riverbend.example',
        // One note a line; a note's own line break is indented, so each entry still starts a line.
        notes: [
          `${first} sam@riverbend.example: Left a voicemail.`,
          '  Will try after 6.',
          `${second} sam@riverbend.example: Spoke with her`,
        ].join('\n'),
        status_history: [
          `${second} sam@riverbend.example: new -> contacted`,
          `${third} sam@riverbend.example: contacted -> scheduled`,
        ].join('\n'),
      });

      const json = await ada.get<{ leads: ExportedLead[] }>('/admin/api/export.json?since=2026-11-20');
      expect(json.body.leads).toHaveLength(1);
      expect(json.body.leads[0]).toMatchObject({
        id,
        status: 'scheduled',
        assignee: 'sam@riverbend.example',
        notes: [
          { at: first, by: 'sam@riverbend.example', note: 'Left a voicemail.\nWill try after 6.' },
          { at: second, by: 'sam@riverbend.example', note: 'Spoke with her' },
        ],
        history: [
          { at: second, by: 'sam@riverbend.example', from: 'new', to: 'contacted' },
          { at: third, by: 'sam@riverbend.example', from: 'contacted', to: 'scheduled' },
        ],
      });
    });

    it('exports the same leads as JSON: a valid document with every answer labelled and raw', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      await addStaff('eva@riverbend.example', 'riverbend', 'admin', 'es');
      const ada = await signIn('ada@riverbend.example');
      const none = await ada.get<{ leads: ExportedLead[] }>('/admin/api/export.json?since=2026-11-01');
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ leads: [] });

      const older = await submit();
      minutesLater(10);
      const newer = await submit({ contact: { forWhom: 'loved-one' }, answers: { 'for-whom': 'loved-one' } });
      const json = await ada.get<{ leads: ExportedLead[] }>('/admin/api/export.json?since=2026-11-01');
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(json.headers.get('content-disposition')).toBe(
        'attachment; filename="riverbend-leads-since-2026-11-01.json"',
      );
      expect(json.body.leads.map((lead) => lead.id)).toEqual([older, newer]);
      const [first, second] = json.body.leads;
      expect(first).toMatchObject({
        name: visitor.name,
        phone: visitor.phoneE164,
        route: 'iop-fit',
        locale: 'en',
        flow: { id: 'iop-intake', version: 1 },
        consent: { call: true, text: false, textVersion: '2026-12-riverbend-call-v1' },
        assignee: null,
        notes: [],
        history: [],
      });
      expect(first?.answers.map((answer) => answer.stepId)).toEqual(
        riverbendSteps.filter((step) => step !== 'anything-else'),
      );
      expect(first?.answers).toContainEqual({
        stepId: 'substances',
        question: 'What do you use? Choose all that apply.',
        answer: ['Stimulants (like meth, cocaine, Adderall)', 'Cannabis'],
        value: ['cannabis', 'stimulants'],
      });
      // The question as this visitor was asked it: about a loved one.
      expect(second?.answers).toContainEqual({
        stepId: 'substances',
        question: 'What do they use? Choose all that apply.',
        answer: ['Stimulants (like meth, cocaine, Adderall)', 'Cannabis'],
        value: ['cannabis', 'stimulants'],
      });

      const csv = csvRecords((await ada.get('/admin/api/export.csv?since=2026-11-01')).text);
      expect(csv.rows.map((row) => row.id)).toEqual([older, newer]);
      expect(csv.rows[1]?.['for-whom']).toBe('For someone I care about');

      const eva = await signIn('eva@riverbend.example');
      const spanish = await eva.get<{ leads: ExportedLead[] }>('/admin/api/export.json?since=2026-11-01');
      expect(spanish.body.leads[0]?.answers).toContainEqual({
        stepId: 'for-whom',
        question: '¿Para quién pregunta?',
        answer: ['Para mí'],
        value: 'self',
      });
    });

    it('keeps the answers to a step the center’s flow no longer has', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      const id = await submit();
      // The center removes the coverage question; the lead answered it under the old flow.
      const config = twoCenters();
      const riverbend = config.centers.get('riverbend') as CenterConfig;
      const withoutCoverage = new Map(config.centers).set('riverbend', {
        ...riverbend,
        flow: { ...riverbend.flow, steps: riverbend.flow.steps.filter((step) => step.id !== 'coverage') },
      });
      const changed = server.appWith({ ...config, centers: withoutCoverage });
      const ada = await signIn('ada@riverbend.example');

      const csv = csvRecords((await ada.get('/admin/api/export.csv?since=2026-11-01', changed)).text);
      expect(csv.header).not.toContain('coverage');
      expect(csv.rows[0]).toMatchObject({ id, other_answers: 'coverage: medicaid' });
      const json = await ada.get<{ leads: ExportedLead[] }>('/admin/api/export.json?since=2026-11-01', changed);
      expect(json.body.leads[0]?.answers.at(-1)).toEqual({
        stepId: 'coverage',
        question: 'coverage',
        answer: ['medicaid'],
        value: 'medicaid',
      });
    });

    it('neutralises a cell a spreadsheet would run as a formula, in every column, and only in CSV', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      await submit({ contact: { name: '=cmd|calc' }, answers: { 'anything-else': '@SUM(1+1)' } });
      const ada = await signIn('ada@riverbend.example');

      const [row] = csvRecords((await ada.get('/admin/api/export.csv?since=2026-11-01')).text).rows;
      expect(row).toMatchObject({
        name: "'=cmd|calc",
        'anything-else': "'@SUM(1+1)",
        'anything-else (value)': "'@SUM(1+1)",
        // An E.164 number is a number, not a formula.
        phone: visitor.phoneE164,
      });
      const json = await ada.get<{ leads: ExportedLead[] }>('/admin/api/export.json?since=2026-11-01');
      expect(json.body.leads[0]?.name).toBe('=cmd|calc');
    });

    it('neutralises a formula behind white space or a line break at the start of a cell', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      const written = [' =1+1', '\n=1+1', '\r\n+SUM(1)', '\t @A1', '\u00a0-2+3', '   \n  =HYPERLINK("x")'];
      for (const text of written) await submit({ answers: { 'anything-else': text } });
      const ada = await signIn('ada@riverbend.example');

      const { rows } = csvRecords((await ada.get('/admin/api/export.csv?since=2026-11-01')).text);
      expect(rows.map((row) => row['anything-else']).sort()).toEqual(written.map((text) => `'${text}`).sort());
      expect(rows.map((row) => row['anything-else (value)']).sort()).toEqual(written.map((text) => `'${text}`).sort());
      // White space before words is kept as it is.
      await submit({ answers: { 'anything-else': '  call after 5 - thanks' } });
      const again = csvRecords((await ada.get('/admin/api/export.csv?since=2026-11-01')).text).rows;
      expect(again.map((row) => row['anything-else'])).toContain('  call after 5 - thanks');
    });

    it('writes each export to the audit log once, before the first byte, with its format and number of leads', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      setClock('2026-10-01T12:00:00Z');
      await submit();
      setClock('2026-11-20T12:00:00Z');
      await submit();
      await submit();
      const ada = await signIn('ada@riverbend.example');

      expect((await ada.get('/admin/api/export.csv?since=2026-11-01')).status).toBe(200);
      expect((await ada.get('/admin/api/export.json?since=2026-01-01')).status).toBe(200);
      expect(await exportAudit()).toEqual([
        {
          action: 'leads.export',
          by: 'ada@riverbend.example',
          detail: { since: '2026-11-01', format: 'csv', leads: 2 },
        },
        {
          action: 'leads.export',
          by: 'ada@riverbend.example',
          detail: { since: '2026-01-01', format: 'json', leads: 3 },
        },
      ]);

      // An export that is dropped after its first bytes was still an export.
      const response = await server.app.request('/admin/api/export.csv?since=2026-11-01', {
        headers: { cookie: await cookieOf('ada@riverbend.example') },
      });
      const reader = response.body?.getReader();
      expect((await reader?.read())?.done).toBe(false);
      await reader?.cancel();
      expect((await exportAudit()).map((entry) => entry.detail)).toContainEqual({
        since: '2026-11-01',
        format: 'csv',
        leads: 2,
      });
      expect(await exportAudit()).toHaveLength(3);
    });

    it('is for admins only, and says what a bad date should look like', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      await addStaff('sam@riverbend.example', 'riverbend', 'staff');
      await submit();
      const sam = await signIn('sam@riverbend.example');
      const ada = await signIn('ada@riverbend.example');
      for (const format of ['csv', 'json']) {
        const forbidden = await sam.get<{ error: { code: string } }>(`/admin/api/export.${format}?since=2026-11-01`);
        expect(forbidden.status).toBe(403);
        expect(forbidden.body.error.code).toBe('forbidden');
        for (const since of ['last%20week', '2026-02-31', '']) {
          const bad = await ada.get<{ error: { code: string; message: string } }>(
            `/admin/api/export.${format}?since=${since}`,
          );
          expect(bad.status).toBe(400);
          expect(bad.body.error.code).toBe('invalid_input');
        }
      }
      const bad = await ada.get<{ error: { message: string } }>('/admin/api/export.json?since=last%20week');
      expect(bad.body.error.message).toBe('since must be a date such as 2026-11-01, not "last week".');
      // Neither a refusal nor a bad date is an export.
      expect(await exportAudit()).toEqual([]);
    });

    it('never exports another center’s leads', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      await addStaff('lee@lakeside.example', 'lakeside', 'admin');
      const riverbendLead = await submit();
      const lakesideLead = await submit({ center: 'lakeside' });
      const lee = await signIn('lee@lakeside.example');

      const csv = await lee.get('/admin/api/export.csv?since=2026-01-01');
      expect(csvRecords(csv.text).rows.map((row) => row.id)).toEqual([lakesideLead]);
      expect(csv.text).not.toContain(riverbendLead);
      expect(csv.headers.get('content-disposition')).toBe('attachment; filename="lakeside-leads-since-2026-01-01.csv"');
      const json = await lee.get<{ leads: ExportedLead[] }>('/admin/api/export.json?since=2026-01-01');
      expect(json.body.leads.map((lead) => lead.id)).toEqual([lakesideLead]);
      expect(json.text).not.toContain(riverbendLead);
      expect((await exportAudit('lakeside')).map((entry) => entry.detail)).toEqual([
        { since: '2026-01-01', format: 'csv', leads: 1 },
        { since: '2026-01-01', format: 'json', leads: 1 },
      ]);
      expect(await exportAudit('riverbend')).toEqual([]);
    });

    it('refuses HEAD, which would be an export no one received', async () => {
      await addStaff('ada@riverbend.example', 'riverbend', 'admin');
      const cookie = await cookieOf('ada@riverbend.example');
      for (const format of ['csv', 'json']) {
        const answer = await server.app.request(`/admin/api/export.${format}?since=2026-11-01`, {
          method: 'HEAD',
          headers: { cookie },
        });
        expect(answer.status).toBe(405);
      }
      expect(await exportAudit()).toEqual([]);
    });

    it('sends a signed-out browser that opens an export to the sign-in, and then back', async () => {
      for (const format of ['csv', 'json']) {
        const answer = await server.app.request(`/admin/api/export.${format}?since=2026-11-01`, {
          headers: { 'sec-fetch-mode': 'navigate' },
        });
        expect(answer.status).toBe(303);
        expect(answer.headers.get('location')).toBe('/admin#/export');
      }
    });
  });
}
