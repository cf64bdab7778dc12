import { Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import { HttpError } from '../http/HttpError.js';
import { readJsonObject } from '../http/plumbing.js';
import {
  type Session,
  type StaffAccount,
  type StaffLocale,
  type StaffStore,
  staffLocales,
} from '../staff/createStaffStore.js';
import { otpauthUrl, qrSvg } from '../staff/mfa.js';
import { passwordProblem, verifyPassword } from '../staff/passwords.js';
import type { AlertPreferences, ConsoleSession, MfaEnabled, MfaEnrolment } from './consoleApi.js';
import type { ConsoleEnv } from './guards.js';
import { sessionBody } from './sessionRoutes.js';
import { LOCK_AFTER, LOCK_MS } from './signInPolicy.js';

type Issue = { path: string; message: string };

/** A person's own account (API.md, Your own account): language, alerts, password and two-step sign-in. */
export function meRoutes(options: {
  readonly staff: Pick<
    StaffStore,
    | 'setLocale'
    | 'setPreferences'
    | 'findByEmail'
    | 'changePassword'
    | 'recordFailure'
    | 'runningLock'
    | 'endSessions'
    | 'startMfa'
    | 'confirmMfa'
    | 'disableMfa'
  >;
  readonly audit: Pick<AuditLog, 'write'>;
}) {
  const { staff, audit } = options;
  const routes = new Hono<ConsoleEnv>();

  /**
   * The account, once `password` is proven its current one. Locked (by wrong passwords here or at
   * sign-in): refused before any hashing, the right password too, so that a guesser learns nothing and
   * costs nothing while the lock runs. A wrong password is a failed sign-in of the account: whoever
   * holds a session (a stolen one, say) gets as few guesses as at the sign-in page, and the lock ends
   * every session of it.
   */
  async function provenAccount(session: Session, password: string): Promise<StaffAccount> {
    const account = await staff.findByEmail(session.staff.email);
    if (account === null) throw new HttpError(401, 'signed_out', 'You are signed out. Sign in to continue.');
    const lock = await staff.runningLock(account.id);
    if (lock !== null) throw stillLocked(lock.msLeft);
    if (await verifyPassword(password, account.passwordHash)) return account;
    const { failures, lockedUntil } = await staff.recordFailure(account.id, LOCK_AFTER, LOCK_MS);
    if (lockedUntil !== null) await staff.endSessions(account.id);
    await audit.write({
      center: account.center,
      staffEmail: account.email,
      action: 'staff.password_failed',
      detail: lockedUntil === null ? { failures } : { failures, lockedUntil: lockedUntil.toISOString() },
    });
    if (lockedUntil !== null) throw lockedNow();
    throw wrongCurrent(LOCK_AFTER - failures);
  }

  routes.post('/me', async (c) => {
    const session = c.get('session');
    const body = await readJsonObject(c);
    const issues: Issue[] = [];
    let locale: StaffLocale | undefined;
    if (body.locale !== undefined) {
      locale = staffLocales.find((candidate) => candidate === body.locale);
      if (locale === undefined) issues.push({ path: 'locale', message: 'The language must be "en" or "es".' });
    }
    let alerts: AlertPreferences | undefined;
    if (body.alerts !== undefined) {
      const given = body.alerts as { sound?: unknown; desktop?: unknown } | null;
      if (
        typeof given !== 'object' ||
        given === null ||
        typeof given.sound !== 'boolean' ||
        typeof given.desktop !== 'boolean'
      ) {
        issues.push({
          path: 'alerts',
          message: 'The alerts must be { "sound": true or false, "desktop": true or false }.',
        });
      } else {
        alerts = { sound: given.sound, desktop: given.desktop };
      }
    }
    if (issues.length > 0) throw new HttpError(400, 'invalid_input', 'Those settings could not be saved.', issues);

    let updated = session.staff;
    if (locale !== undefined) updated = (await staff.setLocale(updated.id, locale)) ?? updated;
    if (alerts !== undefined) updated = (await staff.setPreferences(updated.id, { alerts })) ?? updated;
    if (locale !== undefined || alerts !== undefined) {
      await audit.write({
        center: updated.center,
        staffEmail: updated.email,
        action: 'staff.settings',
        detail: {
          account: updated.email,
          ...(locale === undefined ? {} : { locale }),
          ...(alerts === undefined ? {} : { alerts }),
        },
      });
    }
    return c.json<ConsoleSession>(sessionBody({ ...session, staff: updated }, c.get('center')));
  });

  routes.post('/me/password', async (c) => {
    const session = c.get('session');
    const body = await readJsonObject(c);
    const current = typeof body.current === 'string' ? body.current : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const problem = passwordProblem(password);
    const issues: Issue[] = [
      ...(current === '' ? [{ path: 'current', message: 'Enter your current password.' }] : []),
      ...(problem === undefined
        ? []
        : [{ path: 'password', message: `${problem[0]?.toUpperCase()}${problem.slice(1)}.` }]),
    ];
    if (issues.length > 0) {
      const message = problem === undefined ? 'Enter your current password.' : `Choose another password: ${problem}.`;
      throw new HttpError(400, 'invalid_input', message, issues);
    }
    const account = await provenAccount(session, current);
    // Every other session of the account ends: a password someone else knew is no use to them now.
    await staff.changePassword(account.id, password, session.id);
    await audit.write({
      center: account.center,
      staffEmail: account.email,
      action: 'staff.password',
      detail: { account: account.email },
    });
    return c.body(null, 204);
  });

  routes.post('/me/mfa/start', async (c) => {
    const session = c.get('session');
    const started = await staff.startMfa(session.staff.id);
    if (started.outcome === 'already_enabled') throw alreadyEnabled();
    const url = otpauthUrl(started.secret, c.get('center').name, session.staff.email);
    return c.json<MfaEnrolment>({ secret: started.secret, otpauthUrl: url, qrSvg: await qrSvg(url) });
  });

  routes.post('/me/mfa/confirm', async (c) => {
    const session = c.get('session');
    const body = await readJsonObject(c);
    const code = typeof body.code === 'string' ? body.code : '';
    // A wrong code here is not counted toward the lock: whoever is here holds the secret already.
    const result = await staff.confirmMfa(session.staff.id, code, session.id);
    switch (result.outcome) {
      case 'already_enabled':
        throw alreadyEnabled();
      case 'not_started':
        throw new HttpError(
          409,
          'mfa_not_started',
          'Start setting up two-step sign-in again: the code was for a setup that has ended.',
        );
      case 'wrong_code': {
        const message =
          'That code is not right. Type the 6 digits your app shows now; if it keeps failing, check the time on your phone.';
        throw new HttpError(400, 'invalid_input', message, [{ path: 'code', message }]);
      }
    }
    await audit.write({
      center: session.staff.center,
      staffEmail: session.staff.email,
      action: 'staff.mfa_enabled',
      detail: { account: session.staff.email },
    });
    const enabled = { ...session, mfa: { ...session.mfa, enabled: true } };
    return c.json<MfaEnabled>({ recoveryCodes: result.recoveryCodes, session: sessionBody(enabled, c.get('center')) });
  });

  routes.post('/me/mfa/disable', async (c) => {
    const session = c.get('session');
    const body = await readJsonObject(c);
    const password = typeof body.password === 'string' ? body.password : '';
    if (password === '') {
      throw new HttpError(400, 'invalid_input', 'Enter your password.', [
        { path: 'password', message: 'Enter your password.' },
      ]);
    }
    if (session.mfa.required) {
      throw new HttpError(
        409,
        'mfa_required',
        'Your center requires two-step sign-in, so it stays on. If you have a new phone, ask an admin to reset it.',
      );
    }
    // The password, not the session alone: someone at an unlocked screen cannot turn it off.
    const account = await provenAccount(session, password);
    await staff.disableMfa(account.id);
    await audit.write({
      center: account.center,
      staffEmail: account.email,
      action: 'staff.mfa_disabled',
      detail: { account: account.email },
    });
    const disabled = { ...session, mfa: { ...session.mfa, enabled: false } };
    return c.json<ConsoleSession>(sessionBody(disabled, c.get('center')));
  });

  return routes;
}

function alreadyEnabled() {
  return new HttpError(
    409,
    'mfa_enabled',
    'Two-step sign-in is already on. Turn it off first to set it up with another phone.',
  );
}

const LOCK_MINUTES = LOCK_MS / 60_000;

/** A wrong current password, as sign-in says a wrong one: nothing changed, and the tries left before the lock. */
function wrongCurrent(triesLeft: number) {
  const tries = triesLeft === 1 ? '1 more try' : `${triesLeft} more tries`;
  return new HttpError(
    403,
    'bad_credentials',
    `Your current password is not the one you typed. Nothing was changed. ${tries} before your account is locked for ${LOCK_MINUTES} minutes and signed out everywhere.`,
  );
}

/** The try that locked the account: its sessions, this one too, have just ended. */
function lockedNow() {
  return new HttpError(
    423,
    'locked',
    `Your account is locked after ${LOCK_AFTER} wrong passwords in a row, and signed out everywhere. Sign in again in ${LOCK_MINUTES} minutes, or ask an admin to unlock it.`,
    undefined,
    { 'Retry-After': String(LOCK_MS / 1000) },
  );
}

function stillLocked(msLeft: number) {
  const seconds = Math.max(1, Math.ceil(msLeft / 1000));
  const minutes = Math.min(LOCK_MINUTES, Math.ceil(seconds / 60));
  return new HttpError(
    423,
    'locked',
    `Your account is locked after ${LOCK_AFTER} failed attempts; nothing was changed. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to unlock it.`,
    undefined,
    { 'Retry-After': String(seconds) },
  );
}
