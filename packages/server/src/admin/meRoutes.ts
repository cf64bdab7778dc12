import { Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import { HttpError } from '../http/HttpError.js';
import { readJsonObject } from '../http/plumbing.js';
import { type StaffLocale, type StaffStore, staffLocales } from '../staff/createStaffStore.js';
import { passwordProblem, verifyPassword } from '../staff/passwords.js';
import type { AlertPreferences, ConsoleSession } from './consoleApi.js';
import type { ConsoleEnv } from './guards.js';
import { sessionBody } from './sessionRoutes.js';

type Issue = { path: string; message: string };

/** A person's own account (API.md, Your own account): language, alerts and password. */
export function meRoutes(options: {
  readonly staff: Pick<StaffStore, 'setLocale' | 'setPreferences' | 'findByEmail' | 'changePassword'>;
  readonly audit: Pick<AuditLog, 'write'>;
}) {
  const { staff, audit } = options;
  const routes = new Hono<ConsoleEnv>();

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
    const account = await staff.findByEmail(session.staff.email);
    if (account === null) throw new HttpError(401, 'signed_out', 'You are signed out. Sign in to continue.');
    if (!(await verifyPassword(current, account.passwordHash))) {
      throw new HttpError(
        403,
        'bad_credentials',
        'Your current password is not the one you typed. Nothing was changed; try again.',
      );
    }
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

  return routes;
}
