import type { MfaChallenge, MfaEnabled, MfaEnrolment } from '@intake-chat/server/console-api';
import { inboxSearch } from './router.js';
import type {
  AlertPreferences,
  AuditPage,
  Delivery,
  ErrorBody,
  ExportFormat,
  Handover,
  HandoverBody,
  Inbox,
  InboxQuery,
  InsightRange,
  InsightReport,
  InsightTable,
  Invitation,
  LeadDetail,
  LinkInfo,
  Locale,
  Role,
  Session,
  StatusChange,
  Team,
  TeamMember,
} from './types.js';

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

  /** A session is remembered; a challenge for the code step has no token to remember yet. */
  const rememberAny = (answer: Session | MfaChallenge) => ('mfa' in answer ? answer : remember(answer));

  return {
    session: () => request<Session>('GET', '/session').then(remember),
    /** A session, or the code step's challenge when the account signs in with a code too. */
    login: (email: string, password: string) =>
      request<Session | MfaChallenge>('POST', '/login', { email, password }).then(rememberAny),
    loginCode: (ticket: string, code: string) =>
      request<Session>('POST', '/login/mfa', { ticket, code }).then(remember),
    startMfa: () => request<MfaEnrolment>('POST', '/me/mfa/start', {}),
    confirmMfa: (code: string) =>
      request<MfaEnabled>('POST', '/me/mfa/confirm', { code }).then((answer) => {
        remember(answer.session);
        return answer;
      }),
    disableMfa: (password: string) => request<Session>('POST', '/me/mfa/disable', { password }).then(remember),
    requireMfa: (required: boolean) => request<{ mfaRequired: boolean }>('POST', '/team/mfa', { required }),
    resetMfa: (email: string) => request<TeamMember>('POST', `/team/${encodeURIComponent(email)}/mfa/reset`, {}),
    logout: async () => {
      await request<void>('POST', '/logout', {});
      csrf = '';
    },
    /** One page of the inbox; a search goes in a POST body, since a query string ends up in access logs. */
    inbox: (query: InboxQuery = {}) => {
      const search = inboxSearch(query);
      if (query.q?.trim())
        return request<Inbox>('POST', '/leads/search', Object.fromEntries(new URLSearchParams(search)));
      return request<Inbox>('GET', search === '' ? '/leads' : `/leads?${search}`);
    },
    lead: (id: string) => request<LeadDetail>('GET', `/leads/${encodeURIComponent(id)}`),
    changeStatus: (id: string, change: StatusChange) =>
      request<LeadDetail>('POST', `/leads/${encodeURIComponent(id)}/status`, change),
    addNote: (id: string, note: string) =>
      request<LeadDetail>('POST', `/leads/${encodeURIComponent(id)}/notes`, { note }),
    /** Gives the lead to a colleague (their address), or back to no one (null). */
    assign: (id: string, to: string | null) =>
      request<LeadDetail>('POST', `/leads/${encodeURIComponent(id)}/assign`, { to }),
    team: () => request<Team>('GET', '/team'),
    invite: (invitation: Invitation) => request<HandoverBody>('POST', '/team', invitation),
    changeRole: (email: string, role: Role) =>
      request<TeamMember>('POST', `/team/${encodeURIComponent(email)}/role`, { role }),
    resetPassword: (email: string, handover: Handover) =>
      request<HandoverBody>('POST', `/team/${encodeURIComponent(email)}/reset`, { handover }),
    unlock: (email: string) => request<TeamMember>('POST', `/team/${encodeURIComponent(email)}/unlock`, {}),
    removeMember: (email: string) => request<void>('POST', `/team/${encodeURIComponent(email)}/remove`, {}),
    /**
     * Whom a one-time link is for; needs no session. The token goes in the body, never in the path:
     * paths end up in access logs (API.md, One-time links).
     */
    link: (token: string) => request<LinkInfo>('POST', '/links/lookup', { token }),
    /** Sets the password a one-time link allows, once, and signs in. */
    useLink: (token: string, password: string) =>
      request<Session>('POST', '/links/use', { token, password }).then(remember),
    /** The signed-in person's own language and alerts. */
    updateMe: (changes: { locale?: Locale; alerts?: AlertPreferences }) =>
      request<Session>('POST', '/me', changes).then(remember),
    changePassword: (current: string, password: string) => request<void>('POST', '/me/password', { current, password }),
    deadDeliveries: () => request<{ deliveries: Delivery[] }>('GET', '/deliveries?status=dead'),
    replay: (id: string) => request<Delivery>('POST', `/deliveries/${encodeURIComponent(id)}/replay`, {}),
    audit: (before: string | null) =>
      request<AuditPage>('GET', before ? `/audit?before=${encodeURIComponent(before)}` : '/audit'),
    insight: (days: InsightRange) => request<InsightReport>('GET', `/insight?days=${days}`),
  };
}

/** Where one table of the Insight screen downloads from as CSV (small counts written "fewer than 5"). */
export function insightCsvUrl(days: InsightRange, table: InsightTable): string {
  return `${BASE}/insight.csv?days=${days}&table=${table}`;
}

/** Where an export downloads from; the browser sends the session cookie with it. */
export function exportUrl(since: string, format: ExportFormat = 'csv'): string {
  return `${BASE}/export.${format}?since=${encodeURIComponent(since)}`;
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}
