import { leadSchema, type Urgency } from '@intake-chat/engine/schema';
import type { Inbox, LeadDetail } from '@intake-chat/server';
import { INBOX_LIMIT } from '@intake-chat/server/console-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Failure, ORIGIN, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';
import { validLead } from './support/validLead.js';

const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`the inbox query on ${backend.name}`, () => {
    const server = useConsoleApp(backend);
    const { setClock, later, minutesLater } = server;

    beforeEach(async () => {
      await server.addStaff('sam@riverbend.example');
      await server.addStaff('kim@riverbend.example');
      await server.addStaff('lee@lakeside.example', 'lakeside');
    });

    /** A signed-in staff member's view of the API. */
    async function signIn(email: string) {
      const session = await server.signIn(email);
      /**
       * The inbox for a query string (without the "?"), as the console asks for it: a search with its
       * words in the body of POST /leads/search, anything else as GET /leads.
       */
      const inbox = <T = Inbox>(query = '') => {
        const params = new URLSearchParams(query);
        if (!params.get('q')?.trim()) return session.get<T>(`/admin/api/leads${query === '' ? '' : `?${query}`}`);
        return session.post<T>('/admin/api/leads/search', Object.fromEntries(params));
      };
      return {
        ...session,
        inbox,
        /** The inbox's leads' ids for a query string. */
        ids: async (query = '') => {
          const answer = await inbox(query);
          expect(answer.status).toBe(200);
          return answer.body.leads.map((lead) => lead.id);
        },
      };
    }

    /** A lead as the server stores it after its own triage, created at `at` or a second after the last one. */
    async function store(
      options: {
        center?: string;
        name?: string;
        phone?: string;
        locale?: string;
        route?: string;
        urgency?: Urgency;
        at?: string;
      } = {},
    ): Promise<string> {
      if (options.at === undefined) later(1000);
      else setClock(options.at);
      const lead = leadSchema.parse(
        validLead({
          center: options.center ?? 'riverbend',
          locale: options.locale ?? 'en',
          contact: { name: options.name ?? 'Marisol', phone: options.phone ?? '(312) 555-0142' },
        }),
      );
      const saved = await server.services.leads.save({
        lead,
        route: options.route ?? 'iop-fit',
        urgency: options.urgency ?? 'normal',
        reasons: [],
        callbackWindow: 'within 15 minutes',
        jobs: [],
      });
      return saved.id;
    }

    const auditOf = async (action: string) =>
      (await server.auditEntries({ action })).map((entry) => ({
        by: entry.staffEmail,
        lead: entry.leadId,
        detail: entry.detail,
      }));

    it('filters by status, urgency, route and language, alone and together, and shows each lead’s target and language', async () => {
      const normal = await store();
      const spanish = await store({ locale: 'es', route: 'withdrawal-first', urgency: 'urgent' });
      const emergency = await store({ route: 'crisis', urgency: 'emergency' });
      const contacted = await store();
      const admitted = await store();
      const sam = await signIn('sam@riverbend.example');
      await sam.post(`/admin/api/leads/${admitted}/status`, { from: 'new', to: 'contacted' });
      await sam.post(`/admin/api/leads/${admitted}/status`, { from: 'contacted', to: 'admitted' });
      minutesLater(1);
      await sam.post(`/admin/api/leads/${contacted}/status`, { from: 'new', to: 'contacted' });

      const open = await sam.get<Inbox>('/admin/api/leads');
      expect(open.body.leads.map((lead) => lead.id)).toEqual([emergency, spanish, normal, contacted]);
      expect(open.body).toMatchObject({ total: 4, page: 1, pageSize: INBOX_LIMIT });
      expect(open.body.leads.map((lead) => [lead.targetMinutes, lead.locale, lead.assignee])).toEqual([
        [5, 'en', null],
        [15, 'es', null],
        [15, 'en', null],
        [15, 'en', null],
      ]);

      // New leads first, then the rest, the most recently changed first.
      expect(await sam.ids('view=all')).toEqual([emergency, spanish, normal, contacted, admitted]);
      expect(await sam.ids('status=admitted')).toEqual([admitted]);
      // A status asked for overrides the view's statuses.
      expect(await sam.ids('view=open&status=admitted')).toEqual([admitted]);
      expect(await sam.ids('status=new')).toEqual([emergency, spanish, normal]);
      expect(await sam.ids('urgency=urgent')).toEqual([spanish]);
      expect(await sam.ids('route=crisis')).toEqual([emergency]);
      expect(await sam.ids('route=iop-fit&view=all')).toEqual([normal, contacted, admitted]);
      expect(await sam.ids('locale=es')).toEqual([spanish]);
      expect(await sam.ids('locale=en&urgency=normal&status=contacted')).toEqual([contacted]);
      expect(await sam.ids('locale=es&route=crisis')).toEqual([]);
      const none = await sam.get<Inbox>('/admin/api/leads?locale=es&route=crisis');
      expect(none.body.total).toBe(0);

      const detail = await sam.get<LeadDetail>(`/admin/api/leads/${spanish}`);
      expect(detail.body).toMatchObject({ locale: 'es', targetMinutes: 15, assignee: null });
    });

    it('finds leads created on the chosen days in the center’s time zone, midnight to midnight', async () => {
      // America/Chicago: clocks fall back on 2026-11-01, from UTC-5 to UTC-6.
      const october31 = await store({ at: '2026-11-01T04:59:59.000Z' }); // 11:59:59 PM on Oct 31
      const firstMinute = await store({ at: '2026-11-01T05:00:00.000Z' }); // midnight starting Nov 1
      const lastMinute = await store({ at: '2026-11-02T05:59:00.000Z' }); // 11:59 PM on Nov 1
      const november2 = await store({ at: '2026-11-02T06:00:00.000Z' }); // midnight starting Nov 2
      const later = await store({ at: '2026-11-10T12:00:00.000Z' });
      setClock('2026-11-20T15:00:00.000Z');
      const sam = await signIn('sam@riverbend.example');

      const sorted = (ids: string[]) => [...ids].sort();
      expect(sorted(await sam.ids('from=2026-11-01&to=2026-11-01'))).toEqual(sorted([firstMinute, lastMinute]));
      expect(sorted(await sam.ids('from=2026-11-02'))).toEqual(sorted([november2, later]));
      expect(await sam.ids('to=2026-10-31')).toEqual([october31]);
      expect(sorted(await sam.ids('from=2026-10-31&to=2026-11-02'))).toEqual(
        sorted([october31, firstMinute, lastMinute, november2]),
      );
      // Spring forward: 2026-03-08 begins at 06:00 UTC (CST) and the 9th at 05:00 UTC (CDT).
      const march8 = await store({ at: '2026-03-09T04:59:00.000Z' });
      const march9 = await store({ at: '2026-03-09T05:00:00.000Z' });
      setClock('2026-11-20T15:00:00.000Z');
      expect(await sam.ids('from=2026-03-08&to=2026-03-08')).toEqual([march8]);
      expect(await sam.ids('from=2026-03-09&to=2026-03-09')).toEqual([march9]);
    });

    it('finds a lead by the phone number typed in any common format, and by the first name in any case or accent', async () => {
      const maria = await store({ name: 'María', phone: '(312) 555-0142', locale: 'es' });
      const mario = await store({ name: 'Mario', phone: '773-555-0199' });
      const mariaJose = await store({ name: 'Maria  José', phone: '(872) 555-0123' });
      const sam = await signIn('sam@riverbend.example');
      const search = (words: string) => sam.ids(`q=${encodeURIComponent(words)}`);

      for (const phone of ['(312) 555-0142', '312.555.0142', '+1 312 555 0142', '13125550142', '312-555-0142']) {
        expect(await search(phone)).toEqual([maria]);
      }
      expect(await search('773 555 0199')).toEqual([mario]);
      for (const name of ['maria', 'MARIA', ' María ', 'mária']) {
        expect(await search(name)).toEqual([maria]);
      }
      // Matched whole: part of a name or of a number finds nothing, nor does a number of another area.
      expect(await search('mari')).toEqual([]);
      expect(await search('555-0142')).toEqual([]);
      expect(await search('(212) 555-0142')).toEqual([]);
      expect(await search('maria jose')).toEqual([mariaJose]);
      expect(await search('MARÍA   JOSÉ')).toEqual([mariaJose]);
      // With a filter, and words that are only punctuation are no search at all.
      expect(await sam.ids('q=maria&locale=en')).toEqual([]);
      expect(await sam.ids('q=maria&locale=es')).toEqual([maria]);
      expect((await search(' - ')).sort()).toEqual([maria, mario, mariaJose].sort());
      const found = await sam.inbox(`q=${encodeURIComponent('+1 312 555 0142')}`);
      expect(found.body.total).toBe(1);
      expect(found.body.leads[0]).toMatchObject({ name: 'María', phone: '(312) 555-0142' });
    });

    it('never shows another center’s lead, whatever the search or filter', async () => {
      const ours = await store({ name: 'María', locale: 'es', route: 'crisis', urgency: 'emergency' });
      const theirs = await store({
        center: 'lakeside',
        name: 'María',
        locale: 'es',
        route: 'crisis',
        urgency: 'emergency',
      });
      const sam = await signIn('sam@riverbend.example');
      const lee = await signIn('lee@lakeside.example');
      const queries = [
        '',
        'view=all',
        'status=new',
        'urgency=emergency',
        'route=crisis',
        'locale=es',
        'assignee=none',
        'from=2026-11-20&to=2026-11-20',
        'q=maria',
        `q=${encodeURIComponent('(312) 555-0142')}`,
      ];
      for (const query of queries) {
        expect(await sam.ids(query)).toEqual([ours]);
        expect(await lee.ids(query)).toEqual([theirs]);
      }
      await lee.post(`/admin/api/leads/${theirs}/assign`, { to: 'lee@lakeside.example' });
      expect(await sam.ids('assignee=lee%40lakeside.example')).toEqual([]);
    });

    it('pages past 500 leads, saying how many match on every page', async () => {
      const count = INBOX_LIMIT + 23;
      const emergency = await store({ route: 'crisis', urgency: 'emergency' });
      await Promise.all(Array.from({ length: count - 1 }, () => store()));
      const sam = await signIn('sam@riverbend.example');

      const first = await sam.get<Inbox>('/admin/api/leads');
      expect(first.body).toMatchObject({ total: count, page: 1, pageSize: INBOX_LIMIT });
      expect(first.body.leads).toHaveLength(INBOX_LIMIT);
      expect(first.body.leads[0]?.id).toBe(emergency);
      const second = await sam.get<Inbox>('/admin/api/leads?page=2');
      expect(second.body).toMatchObject({ total: count, page: 2 });
      expect(second.body.leads).toHaveLength(23);
      const third = await sam.get<Inbox>('/admin/api/leads?page=3');
      expect(third.body).toMatchObject({ total: count, page: 3, leads: [] });

      const seen = new Set([...first.body.leads, ...second.body.leads].map((lead) => lead.id));
      expect(seen.size).toBe(count);
      expect(await server.services.leads.count('riverbend')).toBe(count);
    });

    it('assigns a lead to me, to a colleague and back to no one, audited each time, and filters by who has it', async () => {
      const first = await store();
      const second = await store();
      const third = await store();
      const theirs = await store({ center: 'lakeside' });
      const sam = await signIn('sam@riverbend.example');
      const kim = await signIn('kim@riverbend.example');

      const mine = await sam.post<LeadDetail>(`/admin/api/leads/${first}/assign`, { to: 'Sam@Riverbend.example ' });
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ id: first, assignee: 'sam@riverbend.example', status: 'new' });
      const toKim = await sam.post<LeadDetail>(`/admin/api/leads/${second}/assign`, { to: 'kim@riverbend.example' });
      expect(toKim.body.assignee).toBe('kim@riverbend.example');

      expect(await sam.ids('view=mine')).toEqual([first]);
      expect(await kim.ids('view=mine')).toEqual([second]);
      expect(await sam.ids('assignee=me')).toEqual([first]);
      expect(await sam.ids('assignee=kim%40riverbend.example')).toEqual([second]);
      expect(await sam.ids('assignee=KIM%40riverbend.example')).toEqual([second]);
      expect(await sam.ids('assignee=none')).toEqual([third]);
      const rows = (await sam.get<Inbox>('/admin/api/leads')).body.leads;
      expect(rows.map((row) => [row.id, row.assignee])).toEqual([
        [first, 'sam@riverbend.example'],
        [second, 'kim@riverbend.example'],
        [third, null],
      ]);

      // Mine is open leads only: one that is closed leaves the list.
      await kim.post(`/admin/api/leads/${second}/status`, { from: 'new', to: 'contacted' });
      await kim.post(`/admin/api/leads/${second}/status`, { from: 'contacted', to: 'admitted' });
      expect(await kim.ids('view=mine')).toEqual([]);
      expect(await kim.ids('view=all&assignee=me')).toEqual([second]);

      const back = await sam.post<LeadDetail>(`/admin/api/leads/${first}/assign`, { to: null });
      expect(back.status).toBe(200);
      expect(back.body.assignee).toBeNull();
      expect(await sam.ids('view=mine')).toEqual([]);
      expect(await sam.ids('assignee=none')).toEqual([first, third]);

      expect(await auditOf('lead.assign')).toEqual([
        { by: 'sam@riverbend.example', lead: first, detail: { from: null, to: 'sam@riverbend.example' } },
        { by: 'sam@riverbend.example', lead: second, detail: { from: null, to: 'kim@riverbend.example' } },
        { by: 'sam@riverbend.example', lead: first, detail: { from: 'sam@riverbend.example', to: null } },
      ]);

      // Not a colleague: another center's account, or no account at all. Nothing changes.
      for (const to of ['lee@lakeside.example', 'nobody@riverbend.example']) {
        const refused = await sam.post<Failure>(`/admin/api/leads/${third}/assign`, { to });
        expect(refused.status).toBe(422);
        expect(refused.body.error.code).toBe('unknown_staff');
        expect(refused.body.error.message).toContain(to);
        expect(refused.body.error.message).toMatch(/\.$/);
      }
      expect((await sam.get<LeadDetail>(`/admin/api/leads/${third}`)).body.assignee).toBeNull();
      // Another center's lead is not found, even to assign to oneself.
      const elsewhere = await sam.post<Failure>(`/admin/api/leads/${theirs}/assign`, { to: 'sam@riverbend.example' });
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body.error.code).toBe('not_found');
      expect((await sam.post<Failure>('/admin/api/leads/no-such-lead/assign', { to: null })).status).toBe(404);
      for (const body of [{}, { to: 42 }, { to: '  ' }, { to: ['kim@riverbend.example'] }]) {
        const bad = await sam.post<Failure>(`/admin/api/leads/${third}/assign`, body);
        expect(bad.status).toBe(400);
        expect(bad.body.error.code).toBe('invalid_input');
        expect(bad.body.error.issues?.map((issue) => issue.path)).toEqual(['to']);
      }
      expect(await auditOf('lead.assign')).toHaveLength(3);

      // An account that is removed gives its leads back.
      await sam.post(`/admin/api/leads/${third}/assign`, { to: 'kim@riverbend.example' });
      expect(await server.services.leads.unassignAll('riverbend', 'Kim@riverbend.example')).toBe(2);
      expect(await kim.ids('view=all&assignee=me')).toEqual([]);
    });

    it('gives no lead to a colleague removed a moment before, whatever the route checked', async () => {
      const lead = await store();
      // The store decides as it writes: here the route's check is passed over, as in a race with a removal.
      const removed = await server.services.staff.removeMember('riverbend', 'kim@riverbend.example');
      expect(removed.outcome).toBe('removed');
      expect(
        await server.services.leads.assign('riverbend', lead, 'kim@riverbend.example', 'sam@riverbend.example'),
      ).toBe('unknown_staff');
      // Nor to another center's account.
      expect(
        await server.services.leads.assign('riverbend', lead, 'lee@lakeside.example', 'sam@riverbend.example'),
      ).toBe('unknown_staff');
      expect((await server.services.leads.find('riverbend', lead))?.assignedTo).toBeNull();
      expect(await auditOf('lead.assign')).toEqual([]);
    });

    it('refuses a bad parameter with 400, naming it and saying what it takes', async () => {
      const sam = await signIn('sam@riverbend.example');
      const refused = async (query: string) => {
        const answer = await sam.inbox<Failure>(query);
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe('invalid_input');
        return answer.body.error.issues ?? [];
      };
      expect(await refused('status=called')).toEqual([
        {
          path: 'status',
          message: 'status must be one of new, contacted, scheduled, admitted, not-a-fit, unreachable, not "called".',
        },
      ]);
      expect(await refused('view=archived')).toEqual([
        { path: 'view', message: 'view must be one of open, all, mine, not "archived".' },
      ]);
      expect((await refused('urgency=soon'))[0]?.message).toBe(
        'urgency must be one of emergency, urgent, high, normal, not "soon".',
      );
      const route = await refused('route=detox');
      expect(route[0]?.path).toBe('route');
      expect(route[0]?.message).toMatch(/^route must be one of crisis, .*iop-fit.*, not "detox"\.$/);
      expect((await refused('locale=fr'))[0]?.message).toBe('locale must be one of en, es, not "fr".');
      expect((await refused('assignee=kim'))[0]).toEqual({
        path: 'assignee',
        message: `assignee must be a colleague's e-mail address, me, or none, not "kim".`,
      });
      for (const day of ['yesterday', '11/01/2026', '2026-1-5']) {
        expect((await refused(`from=${encodeURIComponent(day)}`))[0]).toEqual({
          path: 'from',
          message: `from must be a day such as 2026-11-01, not "${day}".`,
        });
      }
      // A day that does not exist is refused, not moved to March.
      expect((await refused('to=2026-02-31'))[0]).toEqual({
        path: 'to',
        message: 'to must be a day such as 2026-11-01 that exists on the calendar, not "2026-02-31".',
      });
      expect((await refused('from=2026-11-05&to=2026-11-01'))[0]?.path).toBe('to');
      for (const page of ['0', 'two', '1.5', '-1']) {
        expect((await refused(`page=${page}`))[0]).toEqual({
          path: 'page',
          message: `page must be a whole number from 1, such as 2, not "${page}".`,
        });
      }
      expect((await refused('status=new&status=contacted'))[0]?.path).toBe('status');
      expect((await refused(`q=${'a'.repeat(101)}`))[0]?.path).toBe('q');
      // Every bad parameter at once, each named.
      const many = await refused('status=x&urgency=y&page=0&locale=de');
      expect(many.map((issue) => issue.path)).toEqual(['status', 'urgency', 'locale', 'page']);
      // An empty parameter is as if left out.
      expect((await sam.get('/admin/api/leads?status=&q=&page=')).status).toBe(200);
      expect((await sam.post('/admin/api/leads/search', { q: 'maria', status: '', page: null })).status).toBe(200);
      // A search's body takes the inbox's parameters as text, and nothing else.
      const odd = await sam.post<Failure>('/admin/api/leads/search', { q: ['maria'], page: 2, colour: 'red' });
      expect(odd.status).toBe(400);
      expect(odd.body.error.issues?.map((issue) => issue.path)).toEqual(['q', 'colour']);
    });

    it('keeps search words out of every URL and log: a search in the query string is refused', async () => {
      await store({ name: 'María', phone: '(312) 555-0142' });
      const sam = await signIn('sam@riverbend.example');
      const inUrl = await sam.get<Failure>(`/admin/api/leads?q=${encodeURIComponent('(312) 555-0142')}`);
      expect(inUrl.status).toBe(400);
      expect(inUrl.body.error.issues?.[0]?.path).toBe('q');
      expect(inUrl.body.error.message).toContain('POST /admin/api/leads/search');
      expect((await sam.inbox(`q=${encodeURIComponent('(312) 555-0142')}`)).body.total).toBe(1);
      expect((await sam.inbox('q=Mar%C3%ADa')).body.total).toBe(1);
      for (const words of ['María', '555', '0142']) expect(server.logged()).not.toContain(words);
      expect(server.logged()).toContain('/admin/api/leads/search');
      // Searching is for the signed-in, with the session's token, from the console's own origin.
      const forged = await server.request('/admin/api/leads/search', {
        method: 'POST',
        headers: { cookie: sam.cookie, 'content-type': 'application/json', origin: ORIGIN, host: 'localhost' },
        body: JSON.stringify({ q: 'maria' }),
      });
      expect(forged.status).toBe(403);
    });

    it('keeps one index per center: the same person at two centers has unrelated hashes', async () => {
      const here = await store({ name: 'María', phone: '(312) 555-0142' });
      const there = await store({ center: 'lakeside', name: 'María', phone: '(312) 555-0142' });
      const rows = await server.database.db
        .selectFrom('leads')
        .select(['id', 'search_phone', 'search_name'])
        .where('id', 'in', [here, there])
        .execute();
      const [first, second] = rows;
      expect(first?.search_phone).not.toBe(second?.search_phone);
      expect(first?.search_name).not.toBe(second?.search_name);
      expect(await (await signIn('lee@lakeside.example')).ids('q=maria')).toEqual([there]);
    });

    it('writes each view to the audit log when it is shown, not on every poll, never with the search words', async () => {
      await store({ name: 'María', phone: '(312) 555-0142' });
      const sam = await signIn('sam@riverbend.example');
      // The open inbox, however it is asked for, polled: written once.
      await sam.get('/admin/api/leads');
      await sam.get('/admin/api/leads?view=open');
      await sam.get('/admin/api/leads?page=1');
      expect(await auditOf('inbox.view')).toHaveLength(1);

      await sam.inbox(`q=${encodeURIComponent('María')}`);
      await sam.inbox(`q=${encodeURIComponent('(312) 555-0142')}&status=new`);
      // A filtered view left on screen is polled too: written when it is shown, not every 10 seconds.
      await sam.get('/admin/api/leads?status=new');
      await sam.get('/admin/api/leads?status=new');
      await sam.get('/admin/api/leads?status=new');
      await sam.get('/admin/api/leads?view=mine&locale=es&from=2026-11-01&to=2026-11-30');
      // Going back to a view shows it again, and that is written again.
      await sam.get('/admin/api/leads?status=new');
      const views = await auditOf('inbox.view');
      expect(views.map((view) => view.detail)).toEqual([
        { view: 'open', page: 1, leads: 1, total: 1 },
        { view: 'open', page: 1, search: true, leads: 1, total: 1 },
        { view: 'open', status: 'new', page: 1, search: true, leads: 1, total: 1 },
        { view: 'open', status: 'new', page: 1, leads: 1, total: 1 },
        { view: 'mine', locale: 'es', from: '2026-11-01', to: '2026-11-30', page: 1, leads: 0, total: 0 },
        { view: 'open', status: 'new', page: 1, leads: 1, total: 1 },
      ]);
      // The session remembers only a hash of the view it last wrote.
      const sessions = await server.database.db.selectFrom('sessions').select(['inbox_view']).execute();
      expect(sessions.map((session) => session.inbox_view)).toEqual([expect.stringMatching(/^[\w-]{43}$/)]);
      // Ids are hex and may hold any digits: the words are looked for in what the entries say.
      const written = JSON.stringify(
        await server.database.db.selectFrom('audit').select(['action', 'detail']).execute(),
      );
      for (const words of ['María', 'Mar', '555', '312', '0142']) expect(written).not.toContain(words);
    });

    it('finds leads stored before the search index, once they are indexed', async () => {
      const maria = await store({ name: 'María', phone: '(312) 555-0142' });
      const mario = await store({ name: 'Mario', phone: '773-555-0199' });
      await store({ center: 'lakeside', name: 'María' });
      // More than one batch of 500.
      await Promise.all(Array.from({ length: 510 }, () => store({ name: 'Dana', phone: '(415) 555-0100' })));
      await server.database.db.updateTable('leads').set({ search_phone: null, search_name: null }).execute();
      const sam = await signIn('sam@riverbend.example');
      expect(await sam.ids('q=maria')).toEqual([]);

      expect(await server.services.leads.indexForSearch()).toBe(513);
      expect((await sam.inbox('q=dana')).body.total).toBe(510);
      expect(await sam.ids('q=maria')).toEqual([maria]);
      expect(await sam.ids(`q=${encodeURIComponent('+1 773 555 0199')}`)).toEqual([mario]);
      expect(await server.services.leads.indexForSearch()).toBe(0);
      // The index holds keyed hashes, never the name or the number.
      const stored = JSON.stringify(
        await server.database.db.selectFrom('leads').select(['search_phone', 'search_name']).execute(),
      );
      for (const plain of ['maria', 'María', '3125550142', '7735550199']) expect(stored).not.toContain(plain);
    });
  });
}
