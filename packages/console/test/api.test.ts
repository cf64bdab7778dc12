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
    const session = await api.login(staff?.email ?? '', staff?.password ?? '');
    await api.inbox('open');
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

    const gone = await failure(api.inbox('open'));
    expect([gone.status, gone.code, gone.message]).toEqual([
      401,
      'signed_out',
      'Your session has ended. Sign in again.',
    ]);
    expect(onSignedOut).toHaveBeenCalledOnce();
  });

  it('reports an answer that is not the contract (a proxy page) and no answer at all', async () => {
    const proxy = createApi({ fetcher: async () => new Response('<h1>Bad gateway</h1>', { status: 502 }) });
    expect(await failure(proxy.inbox('open'))).toMatchObject({ status: 502, code: 'unknown' });
    const offline = createApi({
      fetcher: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    expect(await failure(offline.inbox('open'))).toMatchObject({ status: 0, code: 'network' });
  });
});
