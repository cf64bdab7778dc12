// The team, one-time link and own-account routes of the console API (API.md: "Your own account",
// "One-time links", "Admins only" /team), in memory, around the fake server's `fetch`: these routes
// are answered here and everything else goes to the fake server as it is.
import type { HandoverBody, LinkInfo, Locale, Role, Session, TeamMember } from '../../src/types.js';
import { LINK_HOURS, PASSWORD_MIN } from '../../src/types.js';
import {
  CENTER,
  createFakeServer,
  type FakeServer,
  type FakeServerOptions,
  mfaState,
  type StaffAccount,
} from './fakeServer.js';

const HOUR = 60 * 60_000;
const ASK = 'Ask an admin of your center for a new link.';
const SHORT = `the password must be at least ${PASSWORD_MIN} characters; a few unrelated words make a good one`;

export interface OneTimeLink {
  email: string;
  purpose: 'invite' | 'reset';
  expiresAt: number;
  used: boolean;
}

export interface AccountsExtras {
  /** One-time links by token, as the server would keep their hashes. */
  readonly links: Map<string, OneTimeLink>;
  /** A link for an account of the center, as an admin's invitation or reset would make; returns the token. */
  addLink: (email: string, options?: { purpose?: 'invite' | 'reset'; used?: boolean; expired?: boolean }) => string;
  /** An account that has not used its invitation yet (never signed in, a link waiting). */
  addInvited: (email: string, role?: Role, locale?: Locale) => string;
  /** Locks an account after failed sign-ins, for `minutes`. */
  lock: (email: string, minutes?: number) => void;
  /** The password the account now signs in with. */
  passwordOf: (email: string) => string | undefined;
}

export type AccountsServer = FakeServer & AccountsExtras;

/** A fake server (a fresh one, or `base`) that also answers the team, link and /me routes. */
export function createAccountsServer(options: FakeServerOptions | FakeServer = {}): AccountsServer {
  const base = 'fetch' in options ? options : createFakeServer(options);
  const links = new Map<string, OneTimeLink>();
  let tokens = 0;
  let generated = 0;

  const account = (email: string) => base.accounts.get(email.toLowerCase());
  const now = () => base.now;

  const member = (found: StaffAccount): TeamMember => ({
    email: found.email,
    role: found.role,
    locale: found.locale,
    lastSignInAt: found.lastSignInAt,
    lockedUntil: found.lockedUntil,
    linkExpiresAt: found.linkExpiresAt,
    mfaEnabledAt: found.mfaEnabledAt,
  });

  const log = (by: string, action: string, detail: Record<string, unknown> | null = null) => {
    base.audit.unshift({
      id: `audit-${String(base.audit.length + 1).padStart(6, '0')}`,
      at: new Date(now()).toISOString(),
      staffEmail: by,
      action,
      leadId: null,
      detail,
    });
  };

  const makeLink = (email: string, purpose: 'invite' | 'reset', expiresAt = now() + LINK_HOURS * HOUR) => {
    tokens += 1;
    const token = `tok${String(tokens).padStart(4, '0')}_${purpose}-${'x'.repeat(30)}`;
    // A newer link replaces the older ones of the same account.
    for (const [key, link] of links) if (link.email === email && !link.used) links.delete(key);
    links.set(token, { email, purpose, expiresAt, used: false });
    const found = account(email);
    if (found) found.linkExpiresAt = new Date(expiresAt).toISOString();
    return token;
  };

  const handOver = (found: StaffAccount, purpose: 'invite' | 'reset', handover: 'link' | 'password'): HandoverBody => {
    if (handover === 'password') {
      generated += 1;
      found.password = `Generated-pass-${String(generated).padStart(4, '0')}`;
      found.linkExpiresAt = null;
      for (const [key, link] of links) if (link.email === found.email) links.delete(key);
      return { member: member(found), password: found.password };
    }
    const token = makeLink(found.email, purpose);
    return { member: member(found), link: `/admin#/link/${token}` };
  };

  /** The session as the server would answer it now: its account's role, language, alerts and second step. */
  const currentSession = (): Session | null => {
    const session = base.session;
    if (!session) return null;
    const found = account(session.staff.email);
    if (!found) return null;
    return {
      ...session,
      staff: { email: found.email, role: found.role, locale: found.locale, alerts: { ...found.alerts } },
      ...mfaState(found, base.mfa.required),
    };
  };

  const linkAnswer = (token: string): { link: OneTimeLink } | { response: Response } => {
    const link = links.get(token);
    if (!link || !account(link.email)) {
      return {
        response: fail(
          404,
          'link_not_found',
          `This link is not known: it may have been replaced by a newer one. ${ASK}`,
        ),
      };
    }
    if (link.used)
      return { response: fail(410, 'link_used', `This link has already been used; it works only once. ${ASK}`) };
    if (link.expiresAt <= now()) {
      return { response: fail(410, 'link_expired', `This link has expired; links work for 24 hours. ${ASK}`) };
    }
    return { link };
  };

  async function handle(
    method: string,
    url: URL,
    headers: Headers,
    body: Record<string, unknown>,
  ): Promise<Response | null> {
    const path = url.pathname.replace(/^\/admin\/api/, '');

    // An account locked with `lock()` cannot sign in until the lock ends or an admin lifts it, as on
    // the server (the fake server itself counts only failed sign-ins).
    if (method === 'POST' && path === '/login') {
      const locked = account(typeof body.email === 'string' ? body.email : '')?.lockedUntil;
      if (locked && Date.parse(locked) > now()) {
        const minutes = Math.ceil((Date.parse(locked) - now()) / 60_000);
        return fail(
          423,
          'locked',
          `Too many failed sign-ins. This account is locked; try again in ${minutes} minutes.`,
          undefined,
          { 'Retry-After': String(minutes * 60) },
        );
      }
      return null;
    }

    const linkPath = /^\/links\/(lookup|use)$/.exec(path);
    if (linkPath && method === 'POST') {
      // As the server: the token in the body only, never in a URL.
      const token = typeof body.token === 'string' ? body.token : '';
      const answer = linkAnswer(token);
      if ('response' in answer) return answer.response;
      const { link } = answer;
      if (linkPath[1] === 'lookup') {
        return json(200, {
          email: link.email,
          centerName: CENTER.name,
          locale: account(link.email)?.locale ?? 'en',
          purpose: link.purpose,
          expiresAt: new Date(link.expiresAt).toISOString(),
        } satisfies LinkInfo);
      }
      if (method === 'POST') {
        const password = typeof body.password === 'string' ? body.password : '';
        if (password.length < PASSWORD_MIN) {
          return fail(400, 'invalid_input', `Choose another password: ${SHORT}.`, [
            { path: 'password', message: `${SHORT[0]?.toUpperCase()}${SHORT.slice(1)}.` },
          ]);
        }
        const found = account(link.email);
        if (!found) return null;
        found.password = password;
        found.linkExpiresAt = null;
        found.lockedUntil = null;
        link.used = true;
        // Signed in as the fake server signs anyone in: through its own sign-in route.
        const signedIn = await base.fetch('/admin/api/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify({ email: found.email, password }),
        });
        if (signedIn.ok) log(found.email, 'staff.link_used', { account: found.email, purpose: link.purpose });
        return signedIn;
      }
      return null;
    }

    const session = currentSession();
    if (path === '/session' && method === 'GET') {
      return session ? json(200, session) : null;
    }
    const mine = path === '/me' || path === '/me/password';
    const team = path === '/team' || path.startsWith('/team/');
    if (!mine && !team) return null;
    if (!session) return fail(401, 'signed_out', 'Your session has ended. Sign in again.');
    if (method === 'POST') {
      if (headers.get('Content-Type') !== 'application/json' || headers.get('X-CSRF-Token') !== session.csrf) {
        return fail(403, 'csrf', 'This request is missing its security token. Reload the page.');
      }
    }
    const me = session.staff.email;
    const self = account(me);
    if (!self) return fail(401, 'signed_out', 'Your session has ended. Sign in again.');

    if (method === 'POST' && path === '/me') {
      const issues: { path: string; message: string }[] = [];
      if (body.locale !== undefined && body.locale !== 'en' && body.locale !== 'es') {
        issues.push({ path: 'locale', message: 'The language must be "en" or "es".' });
      }
      const alerts = body.alerts as { sound?: unknown; desktop?: unknown } | undefined;
      if (
        alerts !== undefined &&
        (typeof alerts !== 'object' ||
          alerts === null ||
          typeof alerts.sound !== 'boolean' ||
          typeof alerts.desktop !== 'boolean')
      ) {
        issues.push({
          path: 'alerts',
          message: 'The alerts must be { "sound": true or false, "desktop": true or false }.',
        });
      }
      if (issues.length > 0) return fail(400, 'invalid_input', 'Those settings could not be saved.', issues);
      if (body.locale !== undefined) self.locale = body.locale as Locale;
      if (alerts !== undefined)
        base.setAlerts(me, { sound: alerts.sound as boolean, desktop: alerts.desktop as boolean });
      log(me, 'staff.settings', {
        account: me,
        ...(body.locale === undefined ? {} : { locale: body.locale }),
        ...(alerts === undefined ? {} : { alerts }),
      });
      return json(200, currentSession());
    }

    if (method === 'POST' && path === '/me/password') {
      const current = typeof body.current === 'string' ? body.current : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const issues = [
        ...(current === '' ? [{ path: 'current', message: 'Enter your current password.' }] : []),
        ...(password.length < PASSWORD_MIN
          ? [{ path: 'password', message: `${SHORT[0]?.toUpperCase()}${SHORT.slice(1)}.` }]
          : []),
      ];
      if (issues.length > 0) {
        const message =
          password.length < PASSWORD_MIN ? `Choose another password: ${SHORT}.` : 'Enter your current password.';
        return fail(400, 'invalid_input', message, issues);
      }
      if (current !== self.password) {
        return fail(
          403,
          'bad_credentials',
          'Your current password is not the one you typed. Nothing was changed; try again.',
        );
      }
      self.password = password;
      log(me, 'staff.password', { account: me });
      return new Response(null, { status: 204 });
    }

    if (method === 'GET' && path === '/team') return null;
    if (self.role !== 'admin') return fail(403, 'forbidden', 'Only admins can manage the team.');

    if (method === 'POST' && path === '/team') {
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      const issues: { path: string; message: string }[] = [];
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        issues.push({ path: 'email', message: "Enter the colleague's e-mail address, such as sam@riverbend.example." });
      }
      if (body.role !== 'admin' && body.role !== 'staff') {
        issues.push({ path: 'role', message: 'The role must be "admin" or "staff".' });
      }
      if (body.locale !== 'en' && body.locale !== 'es') {
        issues.push({ path: 'locale', message: 'The language must be "en" or "es".' });
      }
      const handover = body.handover ?? 'link';
      if (handover !== 'link' && handover !== 'password') {
        issues.push({ path: 'handover', message: 'The handover must be "link" or "password".' });
      }
      if (issues.length > 0) {
        return fail(400, 'invalid_input', 'Check the address, role and language, then try again.', issues);
      }
      if (account(email)) {
        return fail(
          409,
          'staff_exists',
          `${email} already has a console account. One address can have one account; ask your server's operator if it belongs at another center.`,
        );
      }
      const added: StaffAccount = {
        email,
        password: `unknown-${Math.random()}`,
        role: body.role as Role,
        locale: body.locale as Locale,
        alerts: { sound: false, desktop: false },
        lastSignInAt: null,
        lockedUntil: null,
        linkExpiresAt: null,
        mfaEnabledAt: null,
      };
      base.accounts.set(email, added);
      const answer = handOver(added, 'invite', handover as 'link' | 'password');
      log(me, 'staff.invite', { account: email, role: added.role, locale: added.locale, handover });
      return json(201, answer);
    }

    const action = /^\/team\/([^/]+)\/(role|reset|unlock|remove)$/.exec(path);
    if (method === 'POST' && action) {
      const found = account(decodeURIComponent(action[1] ?? ''));
      if (!found) return fail(404, 'not_found', 'There is no such account at this center.');
      const admins = [...base.accounts.values()].filter((item) => item.role === 'admin').length;
      const lastAdmin = (what: string) =>
        fail(409, 'last_admin', `The center's last admin cannot be ${what}: make a colleague an admin first.`);
      switch (action[2]) {
        case 'role': {
          const role = body.role;
          if (role !== 'admin' && role !== 'staff') {
            return fail(400, 'invalid_input', 'Choose the role: admin or staff.', [
              { path: 'role', message: 'The role must be "admin" or "staff".' },
            ]);
          }
          if (found.role === 'admin' && role === 'staff' && admins <= 1) return lastAdmin('made staff');
          if (found.role !== role) log(me, 'staff.role', { account: found.email, from: found.role, to: role });
          found.role = role;
          return json(200, member(found));
        }
        case 'reset': {
          const handover = body.handover ?? 'link';
          if (handover !== 'link' && handover !== 'password') {
            return fail(400, 'invalid_input', 'Choose how to hand over the reset: a link or a password.', [
              { path: 'handover', message: 'The handover must be "link" or "password".' },
            ]);
          }
          found.password = `unknown-${Math.random()}`;
          const answer = handOver(found, 'reset', handover);
          log(me, 'staff.reset', { account: found.email, handover });
          if (found.email === me) base.endSession();
          return json(200, answer);
        }
        case 'unlock':
          found.lockedUntil = null;
          log(me, 'staff.unlock', { account: found.email });
          return json(200, member(found));
        case 'remove':
          if (found.role === 'admin' && admins <= 1) return lastAdmin('removed');
          base.removeAccount(found.email);
          log(me, 'staff.remove', { account: found.email, leadsReturned: 0 });
          return new Response(null, { status: 204 });
      }
    }
    return null;
  }

  const fetch: typeof globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost:3000');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : null;
    if (init.credentials !== 'same-origin') throw new Error('The console must send credentials: same-origin');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const answer = await handle(method, url, headers, (body ?? {}) as Record<string, unknown>);
    if (answer === null) return base.fetch(input, init);
    base.requests.push({ method, path: url.pathname + url.search, headers, body });
    return answer;
  }) as typeof globalThis.fetch;

  const extras: AccountsExtras = {
    links,
    addLink: (email, { purpose = 'invite', used = false, expired = false } = {}) => {
      const token = makeLink(email.toLowerCase(), purpose, expired ? now() - HOUR : now() + LINK_HOURS * HOUR);
      const link = links.get(token);
      if (link) link.used = used;
      return token;
    },
    addInvited: (email, role = 'staff', locale = 'en') => {
      const address = email.toLowerCase();
      base.accounts.set(address, {
        email: address,
        password: `unknown-${Math.random()}`,
        role,
        locale,
        alerts: { sound: false, desktop: false },
        lastSignInAt: null,
        lockedUntil: null,
        linkExpiresAt: null,
        mfaEnabledAt: null,
      });
      return makeLink(address, 'invite');
    },
    lock: (email, minutes = 15) => {
      const found = account(email);
      if (!found) throw new Error(`No account ${email}`);
      found.lockedUntil = new Date(now() + minutes * 60_000).toISOString();
    },
    passwordOf: (email) => account(email)?.password,
  };

  // The fake server's own getters (session, now) must keep working: it is the prototype, not copied.
  return Object.assign(Object.create(base) as FakeServer, { fetch }, extras);
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
}

function fail(
  status: number,
  code: string,
  message: string,
  issues?: { path: string; message: string }[],
  headers: Record<string, string> = {},
): Response {
  const response = json(status, { error: { code, message, ...(issues ? { issues } : {}) } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
