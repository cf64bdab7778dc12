import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi } from '../src/api.js';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';

const staff = ACCOUNTS[1] ?? ACCOUNTS[0];

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`Expected an ApiError, got ${String(error)}`);
  return error;
}

describe('the API client', () => {
  it("sends the session's CSRF token and JSON type with every change, not with reads", async () => {
    const server = createFakeServer();
    const lead = server.addLead();
    const api = createApi({ fetcher: server.fetch });
    const session = await passwordOnly(api.login(staff?.email ?? '', staff?.password ?? ''));
    await api.inbox({ view: 'open' });
    await api.addNote(lead.id, 'Called, no answer.');
    const read = server.lastRequest('GET', '/admin/api/leads');
    const change = server.lastRequest('POST', `/admin/api/leads/${lead.id}/notes`);
    expect(read?.headers.get('X-CSRF-Token')).toBeNull();
    expect(change?.headers.get('X-CSRF-Token')).toBe(session.csrf);
    expect(change?.headers.get('Content-Type')).toBe('application/json');
  });

  it("throws the server's code and words, and calls back on signed_out only", async () => {
    const server = createFakeServer();
    const onSignedOut = vi.fn();
    const api = createApi({ fetcher: server.fetch, onSignedOut });
    const wrong = await failure(api.login(staff?.email ?? '', 'nope'));
    expect([wrong.status, wrong.code]).toEqual([401, 'bad_credentials']);
    expect(onSignedOut).not.toHaveBeenCalled();

    const gone = await failure(api.inbox({ view: 'open' }));
    expect([gone.status, gone.code, gone.message]).toEqual([
      401,
      'signed_out',
      'Your session has ended. Sign in again.',
    ]);
    expect(onSignedOut).toHaveBeenCalledOnce();
  });

  it('reports an answer that is not the contract (a proxy page) and no answer at all', async () => {
    const proxy = createApi({ fetcher: async () => new Response('<h1>Bad gateway</h1>', { status: 502 }) });
    expect(await failure(proxy.inbox({ view: 'open' }))).toMatchObject({ status: 502, code: 'unknown' });
    const offline = createApi({
      fetcher: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    expect(await failure(offline.inbox({ view: 'open' }))).toMatchObject({ status: 0, code: 'network' });
  });

  it('sends the inbox filters as its query, in a fixed order, without defaults', async () => {
    const server = createFakeServer({ signedInAs: staff?.email ?? '' });
    server.addLead({ name: 'Lupe', locale: 'es' });
    const api = createApi({ fetcher: server.fetch });
    await api.session();
    const inbox = await api.inbox({ q: 'Lupe', locale: 'es', view: 'open', page: 1, status: 'new' });
    // A search goes in a body, with its filters; its words are in no URL.
    const search = server.lastRequest('POST', '/admin/api/leads/search');
    expect(search?.body).toEqual({ status: 'new', locale: 'es', q: 'Lupe' });
    expect(search?.headers.get('X-CSRF-Token')).toBeTruthy();
    await api.inbox({ locale: 'es', status: 'new' });
    expect(server.lastRequest('GET', '/admin/api/leads')?.path).toBe('/admin/api/leads?status=new&locale=es');
    expect(inbox).toMatchObject({ total: 1, page: 1, pageSize: 500 });
    expect(inbox.leads[0]).toMatchObject({ name: 'Lupe', locale: 'es', assignee: null, targetMinutes: 15 });
    await api.inbox({});
    expect(server.lastRequest('GET', '/admin/api/leads')?.path).toBe('/admin/api/leads');
  });

  it('names the bad query parameter, as the server does', async () => {
    const server = createFakeServer({ signedInAs: staff?.email ?? '' });
    const api = createApi({ fetcher: server.fetch });
    await api.session();
    // Page 1 and below are the first page, never sent; a day that does not exist and a long search are.
    const bad = await failure(api.inbox({ from: '2026-02-30', q: 'x'.repeat(101), page: 0 }));
    expect([bad.status, bad.code]).toEqual([400, 'invalid_input']);
    expect(bad.issues.map((issue) => issue.path)).toEqual(['from', 'q']);
  });

  it('assigns a lead, gives it back, and lists the team', async () => {
    const server = createFakeServer();
    const lead = server.addLead();
    const api = createApi({ fetcher: server.fetch });
    const session = await passwordOnly(api.login(staff?.email ?? '', staff?.password ?? ''));
    const mine = await api.assign(lead.id, session.staff.email);
    expect(mine.assignee).toBe(session.staff.email);
    const request = server.lastRequest('POST', `/admin/api/leads/${lead.id}/assign`);
    expect(request?.body).toEqual({ to: session.staff.email });
    expect(request?.headers.get('X-CSRF-Token')).toBe(session.csrf);
    expect((await api.assign(lead.id, null)).assignee).toBeNull();
    const unknown = await failure(api.assign(lead.id, 'kim@elsewhere.example'));
    expect([unknown.status, unknown.code]).toEqual([422, 'unknown_staff']);

    const team = await api.team();
    expect(team.members.map((member) => member.email)).toEqual(ACCOUNTS.map((account) => account.email).sort());
    expect(team.members[0]).toMatchObject({ role: 'admin', locale: 'en', lockedUntil: null, linkExpiresAt: null });
    expect(server.audit.filter((entry) => entry.action === 'lead.assign').map((entry) => entry.detail)).toEqual([
      { from: session.staff.email, to: null },
      { from: null, to: session.staff.email },
    ]);
  });
});

/** A sign-in of an account without two-step sign-in: a session, never the code step's challenge. */
async function passwordOnly<T extends object>(answer: Promise<T>): Promise<Exclude<T, { mfa: 'required' }>> {
  const result = await answer;
  if ('mfa' in result) throw new Error('expected a session, not the code step');
  return result as Exclude<T, { mfa: 'required' }>;
}
