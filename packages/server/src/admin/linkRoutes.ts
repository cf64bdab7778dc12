import { type Context, Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { CenterConfig } from '../config/loadConfig.js';
import { HttpError } from '../http/HttpError.js';
import { readJsonObject } from '../http/plumbing.js';
import type { StaffStore } from '../staff/createStaffStore.js';
import { passwordProblem } from '../staff/passwords.js';
import type { ConsoleSession, ErrorBody, LinkInfo } from './consoleApi.js';
import type { SessionCookie } from './sessionCookie.js';
import { sessionBody } from './sessionRoutes.js';
import { SESSION_MS } from './signInPolicy.js';

/** What a token from `createLink` looks like: 32 random bytes, base64url. Anything else is not looked up. */
const TOKEN = /^[\w-]{43}$/;
const ASK = 'Ask an admin of your center for a new link.';

/**
 * One-time links (API.md, One-time links): whom a link is for, and setting a password with it, which
 * signs the person in. No session: mounted before `signedIn`.
 */
export function linkRoutes(options: {
  readonly staff: Pick<StaffStore, 'findLink' | 'useLink' | 'recordSuccess' | 'startSession'>;
  readonly audit: Pick<AuditLog, 'write'>;
  readonly centers: ReadonlyMap<string, CenterConfig>;
  readonly cookie: SessionCookie;
}) {
  const { staff, audit, centers, cookie } = options;
  const routes = new Hono();

  // The token travels in a POST body, never in a path or query string: those end up in access logs
  // (the server's and any proxy's), where a token still unused would be an account for the taking.
  routes.post('/links/lookup', async (c) => {
    const token = readToken(await readJsonObject(c));
    const link = token === null ? null : await staff.findLink(token);
    if (link === null) return linkNotFound(c);
    if (link.state === 'used') return linkUsed(c);
    if (link.state === 'expired') return linkExpired(c);
    return c.json<LinkInfo>({
      email: link.staff.email,
      centerName: centers.get(link.staff.center)?.name ?? link.staff.center,
      locale: link.staff.locale,
      purpose: link.purpose,
      expiresAt: link.expiresAt.toISOString(),
    });
  });

  routes.post('/links/use', async (c) => {
    const body = await readJsonObject(c);
    const token = readToken(body);
    const password = typeof body.password === 'string' ? body.password : '';
    if (token === null) return linkNotFound(c);
    const link = await staff.findLink(token);
    if (link === null) return linkNotFound(c);
    // A link that cannot be used says so before anything is asked of the password.
    if (link.state === 'used') return linkUsed(c);
    if (link.state === 'expired') return linkExpired(c);
    const problem = passwordProblem(password);
    if (problem !== undefined) {
      throw new HttpError(400, 'invalid_input', `Choose another password: ${problem}.`, [
        { path: 'password', message: `${problem[0]?.toUpperCase()}${problem.slice(1)}.` },
      ]);
    }
    const center = centers.get(link.staff.center);
    if (center === undefined) {
      throw new HttpError(
        403,
        'unknown_center',
        `Your account belongs to the center "${link.staff.center}", which this server no longer serves. Ask your admin.`,
      );
    }
    const result = await staff.useLink(token, password);
    switch (result.outcome) {
      case 'not_found':
        return linkNotFound(c);
      case 'link_used':
        return linkUsed(c);
      case 'link_expired':
        return linkExpired(c);
    }
    await staff.recordSuccess(result.staff.id);
    await audit.write({
      center: center.id,
      staffEmail: result.staff.email,
      action: 'staff.link_used',
      detail: { account: result.staff.email, purpose: result.purpose },
    });
    const { token: sessionToken, session } = await staff.startSession(result.staff.id, SESSION_MS);
    cookie.set(c, sessionToken, SESSION_MS);
    return c.json<ConsoleSession>(sessionBody(session, center));
  });

  return routes;
}

/** The body's `token`, if it has the shape `createLink` makes: anything else is not looked up. */
function readToken(body: Record<string, unknown>): string | null {
  return typeof body.token === 'string' && TOKEN.test(body.token) ? body.token : null;
}

// 410 is not one of HttpError's statuses: these answers are written here, in the same shape.
function linkError(c: Context, status: 404 | 410, code: string, message: string) {
  return c.json<ErrorBody>({ error: { code, message } }, status);
}

const linkNotFound = (c: Context) =>
  linkError(c, 404, 'link_not_found', `This link is not known: it may have been replaced by a newer one. ${ASK}`);
const linkUsed = (c: Context) =>
  linkError(c, 410, 'link_used', `This link has already been used; it works only once. ${ASK}`);
const linkExpired = (c: Context) =>
  linkError(c, 410, 'link_expired', `This link has expired; links work for 24 hours. ${ASK}`);
