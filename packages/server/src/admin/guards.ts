import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { CenterConfig } from '../config/loadConfig.js';
import { HttpError } from '../http/HttpError.js';
import type { Session, StaffStore } from '../staff/createStaffStore.js';
import type { SessionCookie } from './sessionCookie.js';
import { mfaSetupRequired } from './sessionRoutes.js';

/** What the console's routes know of a request once `signedIn` has let it through. */
export type ConsoleEnv = { Variables: { session: Session; center: CenterConfig } };

/**
 * A change must come from the console's own pages: the browser's own word on where a request comes
 * from (Origin, Sec-Fetch-Site). Behind the operator's own proxy the browser's host is the forwarded one.
 */
export function sameOrigin({ trustProxy }: { trustProxy: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const host = (trustProxy ? c.req.header('x-forwarded-host') : undefined) ?? c.req.header('host');
    // The scheme as the browser used it: the proxy's word behind the operator's own proxy, else this
    // connection's. A page on plain http must not act on the https console of the same host. (Seen as
    // http, a request may have come through a proxy that ended TLS: then the scheme cannot be told.)
    const scheme =
      (trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined) ?? schemeOf(c.req.url);
    const foreign =
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (origin !== undefined &&
        (host === undefined || hostOf(origin) !== host || (scheme === 'https' && schemeOf(origin) !== 'https')));
    if (foreign) {
      throw new HttpError(403, 'csrf', 'This request did not come from the console. Open the console and try again.');
    }
    await next();
  };
}

/** What a session that must set up two-step sign-in may still call: the session itself and enrolment. */
const ENROLMENT = /\/api\/(session|me\/mfa\/(start|confirm))$/;

/**
 * A live session for a center this server serves, and for a change, the token only the console's
 * script can read; where the center requires two-step sign-in, one set up (or the way to set it up).
 * Sets `session` and `center` for the routes after it.
 */
export function signedIn(options: {
  readonly staff: Pick<StaffStore, 'session'>;
  readonly centers: ReadonlyMap<string, CenterConfig>;
  readonly cookie: SessionCookie;
}): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = options.cookie.read(c);
    const session = token === undefined ? null : await options.staff.session(token);
    const center = session === null ? undefined : options.centers.get(session.staff.center);
    if (session === null || center === undefined) {
      if (token !== undefined) options.cookie.clear(c);
      // An export is opened as a link: a browser that navigated here gets the console's sign-in, which
      // comes back to the export page, rather than a page of JSON.
      if (c.req.header('sec-fetch-mode') === 'navigate' && /\/export\.\w+$/.test(c.req.path)) {
        return c.redirect('/admin#/export', 303);
      }
      throw new HttpError(401, 'signed_out', 'You are signed out. Sign in to continue.');
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameToken(c.req.header('x-csrf-token'), session.csrf)) {
      throw new HttpError(
        403,
        'csrf',
        "This change was refused because it did not carry the console's security token. Reload the console and try again.",
      );
    }
    // Nothing of the inbox for a password alone where the center asks for more: enrolment first.
    if (mfaSetupRequired(session) && !ENROLMENT.test(c.req.path)) {
      throw new HttpError(
        403,
        'mfa_setup_required',
        'Your center requires two-step sign-in. Set it up in My settings first: it takes a minute, with an authenticator app on your phone.',
      );
    }
    c.set('session', session);
    c.set('center', center);
    await next();
  };
}

/** For admins of the center only: the audit log, the export, the team. */
export function adminOnly(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.get('session').staff.role !== 'admin') {
      throw new HttpError(403, 'forbidden', 'Only an admin of your center can do this. Ask one for help.');
    }
    await next();
  };
}

/** The host (and port) of an Origin header; '' for "null" or anything unreadable. */
function schemeOf(url: string): string {
  try {
    return new URL(url).protocol.replace(/:$/, '');
  } catch {
    return '';
  }
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
