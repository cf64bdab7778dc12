import type { AuditPage, Delivery, ErrorBody, Inbox, LeadDetail, Session, StatusChange } from './types.js';

const BASE = '/admin/api';

/**
 * What the server said no with (API.md, conventions): `message` is a sentence staff can act on and is
 * shown as it is. `status` 0 with code `network` means no answer came at all; code `unknown` is an
 * answer that was not the contract's JSON (a proxy's error page, say).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface ApiOptions {
  readonly fetcher?: typeof fetch;
  /** Called on `401 signed_out` from any call: the session is gone (API.md, conventions). */
  readonly onSignedOut?: () => void;
}

export type Api = ReturnType<typeof createApi>;

/** The console's one way to the lead server: every call, its CSRF header, and its errors. */
export function createApi({ fetcher = fetch, onSignedOut }: ApiOptions = {}) {
  let csrf = '';

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    let response: Response;
    try {
      response = await fetcher(BASE + path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network', 'No answer from the server.');
    }
    if (response.status === 204) return undefined as T;
    const json = (await response.json().catch(() => null)) as unknown;
    if (response.ok && json !== null) return json as T;
    const error = isErrorBody(json) ? json.error : null;
    const failure = error
      ? new ApiError(response.status, error.code, error.message, error.issues ?? [])
      : new ApiError(response.status, 'unknown', `The server answered ${response.status}.`);
    if (failure.code === 'signed_out') {
      csrf = '';
      onSignedOut?.();
    }
    throw failure;
  }

  const remember = (session: Session) => {
    csrf = session.csrf;
    return session;
  };

  return {
    session: () => request<Session>('GET', '/session').then(remember),
    login: (email: string, password: string) => request<Session>('POST', '/login', { email, password }).then(remember),
    logout: async () => {
      await request<void>('POST', '/logout', {});
      csrf = '';
    },
    inbox: (view: 'open' | 'all') => request<Inbox>('GET', `/leads?view=${view}`),
    lead: (id: string) => request<LeadDetail>('GET', `/leads/${encodeURIComponent(id)}`),
    changeStatus: (id: string, change: StatusChange) =>
      request<LeadDetail>('POST', `/leads/${encodeURIComponent(id)}/status`, change),
    addNote: (id: string, note: string) =>
      request<LeadDetail>('POST', `/leads/${encodeURIComponent(id)}/notes`, { note }),
    deadDeliveries: () => request<{ deliveries: Delivery[] }>('GET', '/deliveries?status=dead'),
    replay: (id: string) => request<Delivery>('POST', `/deliveries/${encodeURIComponent(id)}/replay`, {}),
    audit: (before: string | null) =>
      request<AuditPage>('GET', before ? `/audit?before=${encodeURIComponent(before)}` : '/audit'),
  };
}

/** Where the CSV export downloads from; the browser sends the session cookie with it. */
export function exportUrl(since: string): string {
  return `${BASE}/export.csv?since=${encodeURIComponent(since)}`;
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}
