import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createRateLimiter, type RateLimit } from '../app/createRateLimiter.js';
import { HttpError } from '../app/HttpError.js';
import { createConsoleAssets, defaultConsoleDir } from '../app/widgetAssets.js';
import { leadsToCsv } from '../cli/leadsToCsv.js';
import type { CenterConfig, Config } from '../config/loadConfig.js';
import type { Outbox } from '../delivery/createOutbox.js';
import type { Session, StaffStore } from '../staff/createStaffStore.js';
import { hashPassword, verifyPassword } from '../staff/passwords.js';
import type { LeadStore } from '../store/createLeadStore.js';
import { consoleCsp, consolePage } from './consolePage.js';
import type { ConsoleStore } from './createConsoleStore.js';
import { isLeadStatus } from './leadStatuses.js';
import { leadDetail, leadRow } from './leadViews.js';

/** What the console needs of the outbox: each lead's deliveries, the dead letters, and replay. */
export type DeliveryLedger = Pick<Outbox, 'forLead' | 'list' | 'countByStatus' | 'replay'>;

export interface AdminOptions {
  readonly config: Config;
  readonly staff: StaffStore;
  readonly consoleStore: ConsoleStore;
  readonly leads: LeadStore;
  readonly deliveries: DeliveryLedger;
  readonly now: () => Date;
  readonly clientAddress: (c: Context) => string;
  /** Secure cookies (named `__Host-…`): everywhere but local development over plain http. */
  readonly secureCookies: boolean;
  readonly consoleDir?: string;
  /** Take the host from X-Forwarded-Host for the same-origin check. */
  readonly trustProxy?: boolean;
  /** Sign-in attempts per address; the defaults slow a guesser down without bothering a person. */
  readonly loginLimit?: RateLimit;
}

/** Failed sign-ins in a row that lock an account, and for how long. */
export const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60_000;
/** A session lasts one shift; staff sign in again after it. */
export const SESSION_MS = 12 * 60 * 60_000;
/** The inbox is polled every few seconds; its viewing is audited at most this often per session. */
const INBOX_AUDIT_GAP_MS = 15 * 60_000;
const NOTE_LIMIT = 2000;

type Env = { Variables: { session: Session; center: CenterConfig } };

/** The staff console (`/admin`) and its API (`/admin/api`, packages/console/API.md). */
export function createAdminRoutes(options: AdminOptions) {
  const { config, staff, consoleStore, deliveries, now } = options;
  const cookieName = options.secureCookies ? '__Host-intake_session' : 'intake_session';
  const loginLimiter = createRateLimiter(
    options.loginLimit ?? { limit: 20, windowMs: 15 * 60_000 },
    'Too many sign-in attempts from this network. Wait a few minutes, then try again.',
  );
  // Failed sign-ins for addresses that have no account, counted like real ones so the answers match.
  const unknownFailures = new Map<string, { failures: number; lockedUntil: number }>();
  // Checked against when the address is unknown, so that it takes as long to refuse as a wrong password;
  // made on first need, at the default cost, from a password no one knows.
  let unknownAccountHash: Promise<string> | undefined;
  const asset = createConsoleAssets(options.consoleDir ?? defaultConsoleDir);
  const admin = new Hono<Env>();

  admin.use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
  });

  admin.get('/', (c) => {
    c.header('Content-Security-Policy', consoleCsp);
    return c.html(
      consolePage({
        script: `/admin/console.js?v=${asset('console.js')?.hash ?? 'missing'}`,
        style: `/admin/console.css?v=${asset('console.css')?.hash ?? 'missing'}`,
      }),
    );
  });
  for (const file of ['console.js', 'console.css'] as const) {
    admin.get(`/${file}`, (c) => {
      const found = asset(file);
      if (found === null) {
        throw new HttpError(503, 'console_not_built', `${file} is not built yet. Run "npm run build", then restart.`);
      }
      c.header('Content-Type', found.type);
      return c.body(found.body as Uint8Array<ArrayBuffer>);
    });
  }

  const api = new Hono<Env>();

  // A change must come from the console's own pages: the browser's own word on where a request comes
  // from (Origin, Sec-Fetch-Site), and a token only the console's script can read.
  const sameOrigin: MiddlewareHandler<Env> = async (c, next) => {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    // Behind the operator's own proxy (INTAKE_TRUST_PROXY=1) the browser's host is the forwarded one.
    const host = (options.trustProxy ? c.req.header('x-forwarded-host') : undefined) ?? c.req.header('host');
    const foreign =
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (origin !== undefined && (host === undefined || hostOf(origin) !== host));
    if (foreign) {
      throw new HttpError(403, 'csrf', 'This request did not come from the console. Open the console and try again.');
    }
    await next();
  };

  const signedIn: MiddlewareHandler<Env> = async (c, next) => {
    const token = getCookie(c, cookieName);
    const session = token === undefined ? null : await staff.session(token);
    const center = session === null ? undefined : config.centers.get(session.staff.center);
    if (session === null || center === undefined) {
      if (token !== undefined) deleteCookie(c, cookieName, cookieOptions());
      throw new HttpError(401, 'signed_out', 'You are signed out. Sign in to continue.');
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameToken(c.req.header('x-csrf-token'), session.csrf)) {
      throw new HttpError(
        403,
        'csrf',
        "This change was refused because it did not carry the console's security token. Reload the console and try again.",
      );
    }
    c.set('session', session);
    c.set('center', center);
    await next();
  };

  const adminOnly: MiddlewareHandler<Env> = async (c, next) => {
    if (c.get('session').staff.role !== 'admin') {
      throw new HttpError(403, 'forbidden', 'Only an admin of your center can do this. Ask one for help.');
    }
    await next();
  };

  api.use(async (c, next) => {
    // Hono answers HEAD with the GET handler: that would write "viewed" for a lead no one saw.
    if (c.req.method === 'HEAD') {
      throw new HttpError(405, 'method_not_allowed', 'Use GET.', undefined, { Allow: 'GET' });
    }
    if (c.req.method === 'POST') {
      const type = c.req.header('content-type') ?? '';
      if (!c.req.path.endsWith('/logout') && !/^application\/json\s*(;|$)/i.test(type)) {
        throw new HttpError(
          415,
          'unsupported_media_type',
          'Send the request as JSON with Content-Type: application/json.',
        );
      }
    }
    await next();
  });
  api.use(
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new HttpError(413, 'too_large', 'The request is larger than 16 KB; shorten the note.');
      },
    }),
  );
  api.post('/*', sameOrigin);

  api.post('/login', async (c) => {
    loginLimiter.hit(options.clientAddress(c));
    const body = await jsonBody(c);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const issues = [
      ...(email === '' ? [{ path: 'email', message: 'Enter the e-mail address of your staff account.' }] : []),
      ...(password === '' ? [{ path: 'password', message: 'Enter your password.' }] : []),
    ];
    if (issues.length > 0) throw new HttpError(400, 'invalid_input', 'Enter your e-mail address and password.', issues);

    const account = await staff.findByEmail(email);
    unknownAccountHash ??= hashPassword(randomBytes(18).toString('base64'));
    // One scrypt check for every attempt, known address or not, locked or not: the time taken says nothing.
    const matches = await verifyPassword(password, account?.passwordHash ?? (await unknownAccountHash));
    const at = now();
    if (account === null) {
      const known = unknownFailures.get(email);
      if (known !== undefined && known.lockedUntil > at.getTime()) throw lockedError(new Date(known.lockedUntil), at);
      const failures = (known?.failures ?? 0) + 1;
      if (unknownFailures.size > 10_000) unknownFailures.clear();
      if (failures >= LOCK_AFTER) {
        unknownFailures.set(email, { failures: 0, lockedUntil: at.getTime() + LOCK_MS });
        throw lockedError(new Date(at.getTime() + LOCK_MS), at);
      }
      unknownFailures.set(email, { failures, lockedUntil: 0 });
      throw badCredentials(LOCK_AFTER - failures);
    }
    if (account.lockedUntil !== null && account.lockedUntil > at) {
      // While locked, even the right password is refused: a guesser learns nothing from trying it.
      throw lockedError(account.lockedUntil, at);
    }
    if (!matches) {
      const { failures, lockedUntil } = await staff.recordFailure(account.id, LOCK_AFTER, LOCK_MS);
      await consoleStore.audit({
        center: account.center,
        staffEmail: account.email,
        action: 'login.failed',
        detail: lockedUntil === null ? { failures } : { failures, lockedUntil: lockedUntil.toISOString() },
      });
      if (lockedUntil !== null) throw lockedError(lockedUntil, at);
      throw badCredentials(LOCK_AFTER - failures);
    }
    const center = config.centers.get(account.center);
    if (center === undefined) {
      throw new HttpError(
        403,
        'unknown_center',
        `Your account belongs to the center "${account.center}", which this server no longer serves. Ask your admin.`,
      );
    }
    await staff.recordSuccess(account.id);
    // Audited first: a sign-in that cannot be written to the log does not happen.
    await consoleStore.audit({ center: center.id, staffEmail: account.email, action: 'login' });
    const { token, session } = await staff.startSession(account.id, SESSION_MS);
    setCookie(c, cookieName, token, { ...cookieOptions(), maxAge: SESSION_MS / 1000 });
    return c.json(sessionBody(session, center));
  });

  api.post('/logout', async (c) => {
    const token = getCookie(c, cookieName);
    if (token !== undefined) {
      const session = await staff.session(token);
      await staff.endSession(token);
      if (session !== null) {
        await consoleStore.audit({ center: session.staff.center, staffEmail: session.staff.email, action: 'logout' });
      }
    }
    deleteCookie(c, cookieName, cookieOptions());
    return c.body(null, 204);
  });

  api.use('/*', signedIn);

  api.get('/session', (c) => c.json(sessionBody(c.get('session'), c.get('center'))));

  api.get('/leads', async (c) => {
    const { staff: member, id: sessionId } = c.get('session');
    const center = c.get('center');
    const view = c.req.query('view') ?? 'open';
    if (view !== 'open' && view !== 'all') {
      throw new HttpError(400, 'invalid_input', `view must be "open" or "all", not "${view}".`);
    }
    const at = now();
    const [leads, deadLetters] = await Promise.all([
      consoleStore.inbox(center.id, view),
      deliveries.countByStatus(center.id, 'dead'),
    ]);
    // The open inbox is polled, so its views are written at most every 15 minutes; a look at all
    // leads is asked for on purpose, and written each time.
    if (view === 'all' || (await staff.claimInboxAudit(sessionId, INBOX_AUDIT_GAP_MS))) {
      await consoleStore.audit({
        center: center.id,
        staffEmail: member.email,
        action: 'inbox.view',
        detail: { view, leads: leads.length },
      });
    }
    return c.json({
      now: at.toISOString(),
      leads: leads.map((lead) => leadRow(lead, center, member.locale, at)),
      deadLetters,
    });
  });

  /** The lead detail after reading the lead, its history and its deliveries; 404 if not this center's. */
  async function detail(c: Context<Env>, id: string) {
    const center = c.get('center');
    const lead = await options.leads.find(center.id, id);
    if (lead === null) throw notFound();
    const [history, leadDeliveries] = await Promise.all([
      consoleStore.history(center.id, id),
      deliveries.forLead(center.id, id),
    ]);
    return leadDetail(lead, center, c.get('session').staff.locale, now(), { history, deliveries: leadDeliveries });
  }

  api.get('/leads/:id', async (c) => {
    const body = await detail(c, c.req.param('id'));
    const { staff: member } = c.get('session');
    await consoleStore.audit({ center: member.center, staffEmail: member.email, action: 'lead.view', leadId: body.id });
    return c.json(body);
  });

  api.post('/leads/:id/status', async (c) => {
    const id = c.req.param('id');
    const body = await jsonBody(c);
    const { from, to } = body;
    const note = readNote(body.note, false);
    if (!isLeadStatus(from) || !isLeadStatus(to)) {
      throw new HttpError(400, 'invalid_input', 'Send the lead\'s current status as "from" and the new one as "to".', [
        ...(isLeadStatus(from) ? [] : [{ path: 'from', message: 'Use one of the statuses of API.md, such as "new".' }]),
        ...(isLeadStatus(to)
          ? []
          : [{ path: 'to', message: 'Use one of the statuses of API.md, such as "contacted".' }]),
      ]);
    }
    const { staff: member } = c.get('session');
    const result = await consoleStore.changeStatus(member.center, id, { from, to, note }, member.email);
    if (result.outcome === 'not_found') throw notFound();
    if (result.outcome === 'conflict') {
      throw new HttpError(
        409,
        'conflict',
        `Someone else changed this lead first: it is now "${result.current}". Check it, then choose again.`,
      );
    }
    if (result.outcome === 'not_allowed') {
      const allowed = result.allowed.length === 0 ? 'none: it is closed' : result.allowed.join(', ');
      throw new HttpError(
        422,
        'bad_transition',
        `A lead that is "${result.current}" cannot become "${to}". Allowed next: ${allowed}.`,
      );
    }
    return c.json(await detail(c, id));
  });

  api.post('/leads/:id/notes', async (c) => {
    const id = c.req.param('id');
    const note = readNote((await jsonBody(c)).note, true) ?? '';
    const { staff: member } = c.get('session');
    if (!(await consoleStore.addNote(member.center, id, note, member.email))) throw notFound();
    return c.json(await detail(c, id));
  });

  api.get('/deliveries', async (c) => {
    const status = c.req.query('status') ?? 'dead';
    const statuses = ['dead', 'skipped', 'pending', 'sending', 'delivered'] as const;
    const known = statuses.find((candidate) => candidate === status);
    if (known === undefined) {
      throw new HttpError(400, 'invalid_input', `status must be one of ${statuses.join(', ')}, not "${status}".`);
    }
    return c.json({ deliveries: await deliveries.list(c.get('center').id, known) });
  });

  api.post('/deliveries/:id/replay', async (c) => {
    const { staff: member } = c.get('session');
    const result = await deliveries.replay(member.center, c.req.param('id'));
    if (result === 'not_found') throw notFound('delivery');
    if (result === 'not_replayable') {
      throw new HttpError(409, 'not_replayable', 'Only a delivery that failed or was skipped can be sent again.');
    }
    await consoleStore.audit({
      center: member.center,
      staffEmail: member.email,
      action: 'delivery.replay',
      leadId: result.leadId,
      detail: { delivery: result.id },
    });
    return c.json(result);
  });

  api.get('/audit', adminOnly, async (c) => {
    const before = c.req.query('before');
    const entries = await consoleStore.auditPage(c.get('center').id, before || undefined, 100);
    return c.json({ entries, next: entries.length === 100 ? (entries.at(-1)?.id ?? null) : null });
  });

  api.get('/export.csv', adminOnly, async (c) => {
    const since = c.req.query('since') ?? '';
    const day = /^\d{4}-\d{2}-\d{2}$/.test(since) ? new Date(`${since}T00:00:00Z`) : new Date(Number.NaN);
    // 2026-02-31 parses as March 3rd: only a day that exists is taken.
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== since) {
      throw new HttpError(400, 'invalid_input', `since must be a date such as 2026-11-01, not "${since}".`);
    }
    const center = c.get('center');
    const { staff: member } = c.get('session');
    // Audited before the first byte: an export that is interrupted was still an export.
    await consoleStore.audit({
      center: center.id,
      staffEmail: member.email,
      action: 'leads.export',
      detail: { since },
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${center.id}-leads-since-${since}.csv"`);
    let rows = 0;
    async function* counted() {
      for await (const lead of options.leads.list(center.id, day)) {
        rows += 1;
        yield lead;
      }
    }
    const chunks = leadsToCsv(counted());
    const encoder = new TextEncoder();
    return c.body(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (!next.done) {
            controller.enqueue(encoder.encode(next.value));
            return;
          }
          // How many leads left the server, once they have.
          await consoleStore.audit({
            center: center.id,
            staffEmail: member.email,
            action: 'leads.exported',
            detail: { since, leads: rows },
          });
          controller.close();
        },
      }),
    );
  });

  admin.route('/api', api);
  return admin;

  function cookieOptions() {
    return {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict' as const,
      secure: options.secureCookies,
    };
  }
}

function sessionBody(session: Session, center: CenterConfig) {
  return {
    staff: { email: session.staff.email, role: session.staff.role, locale: session.staff.locale },
    center: {
      id: center.id,
      name: center.name,
      phone: center.phone,
      phoneE164: center.phoneE164,
      timeZone: center.timeZone,
      /** The normal target; `callbackTargets` has each urgency's (API.md). */
      callbackTargetMinutes: center.callbackTargets.normal,
      callbackTargets: center.callbackTargets,
    },
    csrf: session.csrf,
    expiresAt: session.expiresAt.toISOString(),
  };
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_json', 'Send a JSON object.');
  }
  return body as Record<string, unknown>;
}

function readNote(value: unknown, required: boolean): string | undefined {
  const note = typeof value === 'string' ? value.trim() : undefined;
  if (value !== undefined && typeof value !== 'string') {
    throw new HttpError(400, 'invalid_input', 'The note must be text.', [
      { path: 'note', message: 'Write the note as text.' },
    ]);
  }
  if (required && !note) {
    throw new HttpError(400, 'invalid_input', 'Write a note before saving it.', [
      { path: 'note', message: 'The note is empty.' },
    ]);
  }
  if (note !== undefined && note.length > NOTE_LIMIT) {
    throw new HttpError(
      400,
      'invalid_input',
      `Notes are limited to ${NOTE_LIMIT} characters; this one has ${note.length}.`,
      [{ path: 'note', message: `Shorten the note to ${NOTE_LIMIT} characters.` }],
    );
  }
  return note || undefined;
}

/** The host (and port) of an Origin header; '' for "null" or anything unreadable. */
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

function notFound(what: 'lead' | 'delivery' = 'lead') {
  return new HttpError(
    404,
    'not_found',
    `No such ${what} in your center's inbox. It may have been deleted after the retention period.`,
  );
}

function badCredentials(triesLeft: number) {
  const tries = triesLeft === 1 ? '1 more try' : `${triesLeft} more tries`;
  return new HttpError(
    401,
    'bad_credentials',
    `That e-mail address and password do not match. ${tries} before sign-in is locked for ${LOCK_MS / 60_000} minutes.`,
  );
}

function lockedError(until: Date, at: Date) {
  const seconds = Math.max(1, Math.ceil((until.getTime() - at.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new HttpError(
    423,
    'locked',
    `Sign-in is locked after ${LOCK_AFTER} failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset your password.`,
    undefined,
    { 'Retry-After': String(seconds) },
  );
}
