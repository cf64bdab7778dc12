import { type Context, Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { CenterConfig } from '../config/loadConfig.js';
import { createRateLimiter, type RateLimit } from '../http/createRateLimiter.js';
import { HttpError } from '../http/HttpError.js';
import { readJsonObject } from '../http/plumbing.js';
import type { Session, StaffStore } from '../staff/createStaffStore.js';
import { type ConsoleSession, MFA_TICKET_MINUTES, type MfaChallenge } from './consoleApi.js';
import type { SessionCookie } from './sessionCookie.js';
import { LOCK_AFTER, LOCK_MS, SESSION_MS, type SignInPolicy } from './signInPolicy.js';

/** What a ticket from `startMfaTicket` looks like: 32 random bytes, base64url. Anything else is not looked up. */
const TICKET = /^[\w-]{43}$/;

/** `POST /login`, its code step `POST /login/mfa`, and `POST /logout`: the routes that need no session (API.md, Session). */
export function sessionRoutes(options: {
  readonly policy: SignInPolicy;
  readonly staff: Pick<StaffStore, 'startSession' | 'session' | 'endSession'>;
  readonly audit: Pick<AuditLog, 'write'>;
  readonly cookie: SessionCookie;
  readonly now: () => Date;
  readonly clientAddress: (c: Context) => string;
  /** Sign-in attempts per address; the defaults slow a guesser down without bothering a person. */
  readonly loginLimit?: RateLimit | undefined;
}) {
  const { policy, staff, audit, cookie, now } = options;
  const loginLimiter = createRateLimiter(
    options.loginLimit ?? { limit: 20, windowMs: 15 * 60_000 },
    'Too many sign-in attempts from this network. Wait a few minutes, then try again.',
  );
  const routes = new Hono();

  routes.post('/login', async (c) => {
    loginLimiter.hit(options.clientAddress(c));
    const body = await readJsonObject(c);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const issues = [
      ...(email === '' ? [{ path: 'email', message: 'Enter the e-mail address of your staff account.' }] : []),
      ...(password === '' ? [{ path: 'password', message: 'Enter your password.' }] : []),
    ];
    if (issues.length > 0) throw new HttpError(400, 'invalid_input', 'Enter your e-mail address and password.', issues);

    const result = await policy.signIn(email, password);
    switch (result.outcome) {
      case 'mfa_required':
        // No session yet, and no cookie: only the code with this ticket makes one.
        return c.json<MfaChallenge>({ mfa: 'required', ticket: result.ticket });
      case 'bad_credentials':
        throw badCredentials(result.triesLeft);
      case 'locked':
        throw lockedError(result.until, now());
      case 'unknown_center':
        throw new HttpError(
          403,
          'unknown_center',
          `Your account belongs to the center "${result.center}", which this server no longer serves. Ask your admin.`,
        );
    }
    const { token, session } = await staff.startSession(result.account.id, SESSION_MS);
    cookie.set(c, token, SESSION_MS);
    return c.json(sessionBody(session, result.center));
  });

  routes.post('/login/mfa', async (c) => {
    // The same allowance as the password step: a guesser at codes is slowed as one at passwords.
    loginLimiter.hit(options.clientAddress(c));
    const body = await readJsonObject(c);
    const ticket = typeof body.ticket === 'string' ? body.ticket : '';
    const code = typeof body.code === 'string' ? body.code.trim() : '';
    if (code === '') {
      throw new HttpError(400, 'invalid_input', 'Enter the 6-digit code from your app, or a recovery code.', [
        { path: 'code', message: 'Enter the 6-digit code from your app, or a recovery code.' },
      ]);
    }
    const result = TICKET.test(ticket)
      ? await policy.secondStep(ticket, code)
      : ({ outcome: 'ticket_expired' } as const);
    switch (result.outcome) {
      case 'ticket_expired':
        throw new HttpError(
          401,
          'mfa_expired',
          `This sign-in has waited more than ${MFA_TICKET_MINUTES} minutes for its code, or was finished already. Sign in again with your e-mail address and password.`,
        );
      case 'bad_code':
        throw badCode(result.triesLeft, result.replayed);
      case 'locked':
        throw lockedError(result.until, now());
      case 'unreadable':
        throw new HttpError(
          409,
          'mfa_unreadable',
          'This server cannot check codes from your app: the data key that protects your two-step sign-in is missing. Use a recovery code, or ask an admin to reset your two-step sign-in.',
        );
      case 'unknown_center':
        throw new HttpError(
          403,
          'unknown_center',
          `Your account belongs to the center "${result.center}", which this server no longer serves. Ask your admin.`,
        );
    }
    const { token, session } = await staff.startSession(result.staffId, SESSION_MS);
    cookie.set(c, token, SESSION_MS);
    return c.json<ConsoleSession>(sessionBody(session, result.center));
  });

  routes.post('/logout', async (c) => {
    const token = cookie.read(c);
    if (token !== undefined) {
      const session = await staff.session(token);
      await staff.endSession(token);
      if (session !== null) {
        await audit.write({ center: session.staff.center, staffEmail: session.staff.email, action: 'logout' });
      }
    }
    cookie.clear(c);
    return c.body(null, 204);
  });

  return routes;
}

/** The session as the console reads it (API.md, `Session`). */
export function sessionBody(session: Session, center: CenterConfig): ConsoleSession {
  return {
    staff: {
      email: session.staff.email,
      role: session.staff.role,
      locale: session.staff.locale,
      alerts: { sound: session.staff.alerts.sound, desktop: session.staff.alerts.desktop },
    },
    center: {
      id: center.id,
      name: center.name,
      phone: center.phone,
      phoneE164: center.phoneE164,
      timeZone: center.timeZone,
      callbackTargets: center.callbackTargets,
      callbackTargetMinutes: center.callbackTargets.normal,
    },
    csrf: session.csrf,
    expiresAt: session.expiresAt.toISOString(),
    mfaEnabled: session.mfa.enabled,
    mfaRequired: session.mfa.required,
    mfaSetupRequired: mfaSetupRequired(session),
  };
}

/** The center requires a code and this person has not set up an app yet: enrolment comes before anything else. */
export function mfaSetupRequired(session: Session): boolean {
  return session.mfa.required && !session.mfa.enabled;
}

function badCredentials(triesLeft: number) {
  const tries = triesLeft === 1 ? '1 more try' : `${triesLeft} more tries`;
  return new HttpError(
    401,
    'bad_credentials',
    `That e-mail address and password do not match. ${tries} before sign-in is locked for ${LOCK_MS / 60_000} minutes.`,
  );
}

/** A wrong code (or one already used), as a wrong password is answered: the tries left before the lock. */
function badCode(triesLeft: number, replayed: boolean) {
  const tries = triesLeft === 1 ? '1 more try' : `${triesLeft} more tries`;
  const what = replayed
    ? 'That code has been used already. Wait for the next code in your app, then type it.'
    : 'That code is not right. Type the code your app shows now, or a recovery code.';
  return new HttpError(401, 'bad_code', `${what} ${tries} before sign-in is locked for ${LOCK_MS / 60_000} minutes.`, [
    { path: 'code', message: what },
  ]);
}

function lockedError(until: Date, at: Date) {
  const seconds = Math.max(1, Math.ceil((until.getTime() - at.getTime()) / 1000));
  // Never more than the lock itself: a lock set a moment after `at` still reads "15 minutes".
  const minutes = Math.min(LOCK_MS / 60_000, Math.ceil(seconds / 60));
  return new HttpError(
    423,
    'locked',
    `Sign-in is locked after ${LOCK_AFTER} failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset your password.`,
    undefined,
    { 'Retry-After': String(seconds) },
  );
}
