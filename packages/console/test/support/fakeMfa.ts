// Two-step sign-in (API.md: "Two-step sign-in"), in memory, around the accounts server's `fetch`: the
// code step of sign-in, enrolment in My settings and the team page's rule and reset are answered here;
// everything else goes on to the accounts server as it is.
import type { MfaEnrolment } from '@intake-chat/server/console-api';
import type { Session } from '../../src/types.js';
import { type AccountsServer, createAccountsServer } from './fakeAccounts.js';
import type { FakeServerOptions } from './fakeServer.js';

/** What the app on the person's phone shows now, for every account of this fake server. */
export const APP_CODE = '246810';
export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const TICKET_MS = 5 * 60_000;
const ENROLMENT = /^\/(session|me\/mfa\/(start|confirm)|logout)$/;

export interface MfaExtras {
  /** Turns two-step sign-in on for an account, as if they had set it up; returns their recovery codes. */
  enableMfa: (email: string) => string[];
  /** The recovery codes of an account not used yet. */
  recoveryCodesOf: (email: string) => string[];
}

export type MfaServer = AccountsServer & MfaExtras;

/** An accounts server that also answers two-step sign-in. */
export function createMfaServer(options: FakeServerOptions = {}): MfaServer {
  const base = createAccountsServer(options);
  const tickets = new Map<string, { email: string; expiresAt: number }>();
  const recovery = new Map<string, string[]>();
  let ticketCount = 0;

  const account = (email: string) => base.accounts.get(email.toLowerCase());
  const codesFor = (email: string) => {
    const codes = Array.from({ length: 10 }, (_, index) => `1000-2000-3000-4000-50${String(index).padStart(2, '0')}`);
    recovery.set(email, codes);
    return codes;
  };
  const sessionNow = async (): Promise<Session> =>
    (await base.fetch('/admin/api/session', { credentials: 'same-origin' })).json() as Promise<Session>;
  /** A session for the account, as the server opens one: through the plain sign-in, which knows the password. */
  const openSession = (email: string) => {
    const found = account(email);
    if (!found) throw new Error(`No account ${email}`);
    return base.fetch('/admin/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ email: found.email, password: found.password }),
    });
  };

  async function handle(method: string, path: string, headers: Headers, body: Record<string, unknown>) {
    if (method === 'POST' && path === '/login') {
      const found = account(typeof body.email === 'string' ? body.email : '');
      // A wrong password, or an account without a second step: the plain sign-in answers.
      if (!found?.mfaEnabledAt || found.password !== body.password) return null;
      ticketCount += 1;
      const ticket = `ticket-${ticketCount}-${'t'.repeat(30)}`;
      tickets.set(ticket, { email: found.email, expiresAt: base.now + TICKET_MS });
      return json(200, { mfa: 'required', ticket });
    }
    if (method === 'POST' && path === '/login/mfa') {
      const pending = tickets.get(typeof body.ticket === 'string' ? body.ticket : '');
      if (!pending || pending.expiresAt <= base.now) {
        return fail(
          401,
          'mfa_expired',
          'This sign-in has waited more than 5 minutes for its code. Sign in again with your e-mail address and password.',
        );
      }
      const code = String(body.code ?? '').trim();
      const codes = recovery.get(pending.email) ?? [];
      if (code !== APP_CODE && !codes.includes(code)) {
        return fail(401, 'bad_code', 'That code is not right. Type the code your app shows now. 4 more tries.', [
          { path: 'code', message: 'That code is not right.' },
        ]);
      }
      recovery.set(
        pending.email,
        codes.filter((item) => item !== code),
      );
      tickets.delete(typeof body.ticket === 'string' ? body.ticket : '');
      return openSession(pending.email);
    }

    const session = base.session;
    if (!session) return null;
    const self = account(session.staff.email);
    if (!self) return null;
    if (method === 'POST' && headers.get('X-CSRF-Token') !== session.csrf) {
      return fail(403, 'csrf', 'This request is missing its security token. Reload the page.');
    }
    const setupRequired = base.mfa.required && self.mfaEnabledAt === null;
    if (setupRequired && !ENROLMENT.test(path)) {
      return fail(403, 'mfa_setup_required', 'Your center requires two-step sign-in. Set it up in My settings first.');
    }

    if (method === 'POST' && path === '/me/mfa/start') {
      if (self.mfaEnabledAt) return fail(409, 'mfa_enabled', 'Two-step sign-in is already on.');
      return json(200, {
        secret: SECRET,
        otpauthUrl: `otpauth://totp/Riverbend%20Recovery:${encodeURIComponent(self.email)}?secret=${SECRET}`,
        qrSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M0 0h1v1H0z"/></svg>',
      } satisfies MfaEnrolment);
    }
    if (method === 'POST' && path === '/me/mfa/confirm') {
      if (String(body.code ?? '').replace(/\s/g, '') !== APP_CODE) {
        const message = 'That code is not right. Type the 6 digits your app shows now.';
        return fail(400, 'invalid_input', message, [{ path: 'code', message }]);
      }
      self.mfaEnabledAt = new Date(base.now).toISOString();
      return json(200, { recoveryCodes: codesFor(self.email), session: await sessionNow() });
    }
    if (method === 'POST' && path === '/me/mfa/disable') {
      if (body.password !== self.password) {
        return fail(403, 'bad_credentials', 'Your current password is not the one you typed. Nothing was changed.');
      }
      self.mfaEnabledAt = null;
      recovery.delete(self.email);
      return json(200, await sessionNow());
    }
    if (method === 'POST' && path === '/team/mfa') {
      if (self.role !== 'admin') return fail(403, 'forbidden', 'Only admins can manage the team.');
      if (body.required === true && !self.mfaEnabledAt) {
        return fail(
          409,
          'mfa_not_enabled',
          'Set up two-step sign-in for your own account first, in My settings. Then require it for everyone.',
        );
      }
      base.mfa.required = body.required === true;
      return json(200, { mfaRequired: base.mfa.required });
    }
    const reset = /^\/team\/([^/]+)\/mfa\/reset$/.exec(path);
    if (method === 'POST' && reset) {
      const found = account(decodeURIComponent(reset[1] ?? ''));
      if (!found) return fail(404, 'not_found', 'There is no such account at this center.');
      found.mfaEnabledAt = null;
      recovery.delete(found.email);
      const members = (await (await base.fetch('/admin/api/team', { credentials: 'same-origin' })).json()) as {
        members: { email: string }[];
      };
      return json(
        200,
        members.members.find((member) => member.email === found.email),
      );
    }
    return null;
  }

  const fetch: typeof globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost:3000');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    if (init.credentials !== 'same-origin') throw new Error('The console must send credentials: same-origin');
    const answer = await handle(method, url.pathname.replace(/^\/admin\/api/, ''), headers, body ?? {});
    if (answer === null) return base.fetch(input, init);
    base.requests.push({ method, path: url.pathname + url.search, headers, body });
    return answer;
  }) as typeof globalThis.fetch;

  const extras: MfaExtras = {
    enableMfa: (email) => {
      const found = account(email);
      if (!found) throw new Error(`No account ${email}`);
      found.mfaEnabledAt = new Date(base.now).toISOString();
      return codesFor(found.email);
    },
    recoveryCodesOf: (email) => recovery.get(email.toLowerCase()) ?? [],
  };

  // The accounts server's own getters must keep working: it is the prototype, not copied.
  return Object.assign(Object.create(base) as AccountsServer, { fetch }, extras);
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
}

function fail(status: number, code: string, message: string, issues?: { path: string; message: string }[]): Response {
  return json(status, { error: { code, message, ...(issues ? { issues } : {}) } });
}
