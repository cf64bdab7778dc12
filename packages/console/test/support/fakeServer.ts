// A stand-in for the lead server's console API (packages/console/API.md), in memory, as a `fetch`.
// The real server is tested on its own, over HTTP and in a browser; this one lets the console's tests
// say what the server holds and see what the console sent.
import { leadStatuses, nextStatuses, openStatuses } from '@intake-chat/server/console-api';
import type {
  AlertPreferences,
  AuditEntry,
  Delivery,
  LeadDetail,
  LeadRow,
  Locale,
  Session,
  Status,
  TeamMember,
  Urgency,
} from '../../src/types.js';

export interface Account {
  email: string;
  password: string;
  role: 'admin' | 'staff';
  locale: Locale;
}

/** An account as the fake server keeps it: the sign-in, and what `GET /admin/api/team` shows of it. */
export interface StaffAccount extends Account, Omit<TeamMember, 'email' | 'role' | 'locale'> {
  alerts: AlertPreferences;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. "/admin/api/leads?view=open". */
  path: string;
  headers: Headers;
  body: unknown;
}

export interface FakeServerOptions {
  /** The server's clock at the start, ISO 8601. */
  now?: string;
  /** Who is signed in already (their e-mail), as if the cookie were set. */
  signedInAs?: string;
  /** Failed sign-ins before an account locks. */
  lockAfter?: number;
  /** Every sign-in from "this address" gets 429. */
  rateLimited?: boolean;
  /** Every account's own alerts for new leads (API.md: both off until the person turns them on). */
  alerts?: Partial<AlertPreferences>;
}

export const CENTER: Session['center'] = {
  id: 'riverbend',
  name: 'Riverbend Recovery',
  phone: '(555) 201-0100',
  phoneE164: '+15552010100',
  timeZone: 'America/Chicago',
  callbackTargetMinutes: 15,
  callbackTargets: { emergency: 5, urgent: 15, high: 15, normal: 15 },
};

export const ACCOUNTS: readonly Account[] = [
  { email: 'ana@riverbend.example', password: 'correct horse battery', role: 'admin', locale: 'en' },
  { email: 'sam@riverbend.example', password: 'staple gun mango', role: 'staff', locale: 'en' },
  { email: 'lucia@riverbend.example', password: 'cafe con leche', role: 'staff', locale: 'es' },
];

const MINUTE = 60_000;
/** Leads in one page of the inbox (API.md). */
export const PAGE_SIZE = 500;
const URGENCY_ORDER: readonly Urgency[] = ['emergency', 'urgent', 'high', 'normal'];
// The server's own workflow, so the console is tested against the statuses it will really be offered.
const OPEN = openStatuses;
const NEXT = nextStatuses;
const STATUS_WORDS: Record<Status, string> = {
  new: 'New',
  contacted: 'Contacted',
  scheduled: 'Scheduled',
  admitted: 'Admitted',
  'not-a-fit': 'Not a fit',
  unreachable: 'Unreachable',
};

/** The default flow's route ids (API.md, leads). */
export const ROUTES = [
  'crisis',
  'withdrawal-first',
  'higher-care',
  'step-down',
  'iop-fit',
  'lower-intensity',
  'talk-first',
] as const;

/** A stored lead: what the server keeps, before it works out waiting times, targets and next statuses. */
export type StoredLead = Omit<LeadDetail, 'minutesWaiting' | 'sla' | 'targetMinutes' | 'deliveries' | 'nextStatuses'>;

let sequence = 0;

/** A lead as the server stores it, `minutesAgo` before `now`, with a plausible default flow's answers. */
export function makeLead(now: number, overrides: Partial<StoredLead> & { minutesAgo?: number } = {}): StoredLead {
  const { minutesAgo = 5, ...rest } = overrides;
  sequence += 1;
  const createdAt = new Date(now - minutesAgo * MINUTE).toISOString();
  return {
    id: `0193a2b4-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    createdAt,
    status: 'new',
    statusChangedAt: null,
    urgency: 'normal',
    route: 'iop-fit',
    routeTitle: 'Our IOP may be a fit',
    name: 'Jordan',
    phone: '(312) 555-0142',
    phoneE164: '+13125550142',
    bestTime: 'evening',
    voicemailOk: true,
    textOk: false,
    forWhom: 'self',
    contactedAt: null,
    state: 'IL',
    adult: true,
    locale: 'en',
    flow: { id: 'default', version: 3 },
    callbackWindow: 'within 15 minutes',
    answers: [
      { stepId: 'for-whom', question: 'Who are you asking for?', answer: ['For myself'] },
      { stepId: 'substances', question: 'What do you use?', answer: ['Alcohol', 'Cannabis'] },
      { stepId: 'coverage', question: 'How would you pay for care?', answer: [] },
    ],
    reasons: [
      { key: 'home-safe', text: 'Home is safe and free of drugs and alcohol.' },
      { key: 'hours-ok', text: 'You can attend about 9 hours a week.' },
    ],
    flags: { crisis: false, withdrawal: false },
    consent: {
      call: true,
      text: false,
      textVersion: '2026-12-riverbend-call-v1',
      at: createdAt,
      page: '/programs/iop',
    },
    utm: null,
    history: [{ at: createdAt, by: 'visitor', from: null, to: 'new', note: null }],
    assignee: null,
    sameConversation: [],
    ...rest,
  };
}

export function createFakeServer(options: FakeServerOptions = {}) {
  let now = Date.parse(options.now ?? '2026-03-03T21:00:00Z');
  const lockAfter = options.lockAfter ?? 5;
  const alerts: AlertPreferences = { sound: false, desktop: false, ...options.alerts };
  /** The center's accounts by lower-cased address; `GET /team` lists them. */
  const accounts = new Map<string, StaffAccount>(
    ACCOUNTS.map((account) => [
      account.email,
      {
        ...account,
        alerts: { ...alerts },
        lastSignInAt: new Date(now - 24 * 60 * MINUTE).toISOString(),
        lockedUntil: null,
        linkExpiresAt: null,
        mfaEnabledAt: null,
      },
    ]),
  );
  const failures = new Map<string, number>();
  const leads = new Map<string, StoredLead>();
  const deliveries: Delivery[] = [];
  const audit: AuditEntry[] = [];
  const requests: RecordedRequest[] = [];
  let session: Session | null = null;
  let csrfCount = 0;
  /** The center's rule (`POST /team/mfa`), as the sessions say it. */
  const mfa = { required: false };

  const open = (email: string): Session => {
    const account = accounts.get(email.toLowerCase());
    if (!account) throw new Error(`No account ${email} in the fake server`);
    csrfCount += 1;
    const opened: Session = {
      staff: { email: account.email, role: account.role, locale: account.locale, alerts: { ...account.alerts } },
      center: CENTER,
      csrf: `csrf-${csrfCount}-${account.role}`,
      expiresAt: new Date(now + 8 * 60 * MINUTE).toISOString(),
      ...mfaState(account, mfa.required),
    };
    session = opened;
    return opened;
  };
  if (options.signedInAs) open(options.signedInAs);

  const log = (action: string, leadId: string | null = null, detail: Record<string, unknown> | null = null) => {
    audit.unshift({
      id: `audit-${String(audit.length + 1).padStart(6, '0')}`,
      at: new Date(now).toISOString(),
      staffEmail: session?.staff.email ?? '',
      action,
      leadId,
      detail,
    });
  };

  const detail = (lead: StoredLead): LeadDetail => ({
    ...lead,
    ...waiting(lead),
    targetMinutes: CENTER.callbackTargets[lead.urgency],
    deliveries: deliveries.filter((delivery) => delivery.leadId === lead.id),
    nextStatuses: [...NEXT[lead.status]],
  });

  const waiting = (lead: StoredLead): Pick<LeadRow, 'minutesWaiting' | 'sla'> => {
    const created = Date.parse(lead.createdAt);
    if (lead.status !== 'new') {
      const contacted = Date.parse(lead.contactedAt ?? lead.statusChangedAt ?? lead.createdAt);
      return { minutesWaiting: Math.floor((contacted - created) / MINUTE), sla: null };
    }
    const minutes = Math.floor((now - created) / MINUTE);
    const target = CENTER.callbackTargets[lead.urgency];
    return { minutesWaiting: minutes, sla: minutes > target ? 'red' : minutes < target / 2 ? 'green' : 'amber' };
  };

  const row = (lead: StoredLead): LeadRow => {
    const full = detail(lead);
    return {
      id: full.id,
      createdAt: full.createdAt,
      status: full.status,
      statusChangedAt: full.statusChangedAt,
      urgency: full.urgency,
      route: full.route,
      routeTitle: full.routeTitle,
      name: full.name,
      phone: full.phone,
      phoneE164: full.phoneE164,
      bestTime: full.bestTime,
      voicemailOk: full.voicemailOk,
      textOk: full.textOk,
      forWhom: full.forWhom,
      minutesWaiting: full.minutesWaiting,
      sla: full.sla,
      targetMinutes: full.targetMinutes,
      contactedAt: full.contactedAt,
      locale: full.locale,
      assignee: full.assignee,
      ...(full.unreadable ? { unreadable: true } : {}),
    };
  };

  /** New first, by urgency then oldest; then the rest, most recently changed first (API.md). */
  const inboxOrder = (a: StoredLead, b: StoredLead) => {
    if ((a.status === 'new') !== (b.status === 'new')) return a.status === 'new' ? -1 : 1;
    if (a.status === 'new') {
      const byUrgency = URGENCY_ORDER.indexOf(a.urgency) - URGENCY_ORDER.indexOf(b.urgency);
      return byUrgency || a.createdAt.localeCompare(b.createdAt);
    }
    return (b.statusChangedAt ?? b.createdAt).localeCompare(a.statusChangedAt ?? a.createdAt);
  };

  const setStatus = (lead: StoredLead, to: Status, by: string, note: string | null) => {
    const at = new Date(now).toISOString();
    lead.history = [...lead.history, { at, by, from: lead.status, to, note }];
    if (lead.status === 'new' && !lead.contactedAt) lead.contactedAt = at;
    lead.status = to;
    lead.statusChangedAt = at;
  };

  /** `GET /leads`: the query checked as the server checks it, then filtered, ordered and paged. */
  const inbox = (params: URLSearchParams, me: string) => {
    const issues: { path: string; message: string }[] = [];
    const one = <T extends string>(name: string, allowed: readonly T[] | null, message: string): T | undefined => {
      const value = params.get(name);
      if (value === null) return undefined;
      if (value === '' || (allowed && !allowed.includes(value as T))) issues.push({ path: name, message });
      return value as T;
    };
    const view = one('view', ['open', 'all', 'mine'], 'view is open, all or mine.') ?? 'open';
    const status = one('status', leadStatuses, `status is one of ${leadStatuses.join(', ')}.`);
    const urgency = one('urgency', URGENCY_ORDER, `urgency is one of ${URGENCY_ORDER.join(', ')}.`);
    const route = one('route', ROUTES, "route is one of the flow's route ids.");
    const locale = one('locale', ['en', 'es'], 'locale is en or es.');
    const assignee = one('assignee', null, "assignee is a colleague's address, me or none.");
    if (assignee !== undefined && assignee !== 'me' && assignee !== 'none' && !assignee.includes('@')) {
      issues.push({ path: 'assignee', message: "assignee is a colleague's address, me or none." });
    }
    const from = one('from', null, 'from is a day, YYYY-MM-DD.');
    const to = one('to', null, 'to is a day, YYYY-MM-DD.');
    for (const [name, day] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (day !== undefined && !isDay(day)) issues.push({ path: name, message: `${name} is a day, YYYY-MM-DD.` });
    }
    const q = one('q', null, 'q is a first name or a phone number.')?.trim();
    if (q !== undefined && q.length > 100) issues.push({ path: 'q', message: 'q is at most 100 characters.' });
    const pageText = params.get('page');
    const page = pageText === null ? 1 : Number(pageText);
    if (!Number.isInteger(page) || page < 1) issues.push({ path: 'page', message: 'page is a whole number from 1.' });
    if (issues.length > 0) return { issues };

    const who = assignee === 'me' ? me : assignee?.toLowerCase();
    const phone = q !== undefined && digits(q).length >= 7 ? phoneKey(q) : null;
    const name = q !== undefined && phone === null ? nameKey(q) : null;
    const matching = [...leads.values()]
      .filter((lead) => {
        if (status) return lead.status === status;
        if (view === 'all') return true;
        return OPEN.includes(lead.status) && (view === 'open' || lead.assignee === me);
      })
      .filter((lead) => !urgency || lead.urgency === urgency)
      .filter((lead) => !route || lead.route === route)
      .filter((lead) => !locale || lead.locale === locale)
      .filter(
        (lead) => assignee === undefined || (assignee === 'none' ? lead.assignee === null : lead.assignee === who),
      )
      .filter((lead) => !from || centerDay(lead.createdAt) >= from)
      .filter((lead) => !to || centerDay(lead.createdAt) <= to)
      .filter((lead) => phone === null || phoneKey(lead.phoneE164) === phone)
      .filter((lead) => name === null || nameKey(lead.name) === name)
      .sort(inboxOrder);
    const filters = Object.fromEntries(
      [...params.entries()].filter(([key]) => key !== 'q' && key !== 'page').map(([key, value]) => [key, value]),
    );
    return {
      body: {
        now: new Date(now).toISOString(),
        leads: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(row),
        total: matching.length,
        page,
        pageSize: PAGE_SIZE,
        deadLetters: deliveries.filter((delivery) => delivery.status === 'dead').length,
      },
      // What the audit log keeps of this view: the filters, never the search words.
      filters: {
        ...filters,
        ...(q === undefined ? {} : { search: true }),
        ...(page > 1 ? { page } : {}),
      } as Record<string, unknown>,
    };
  };

  const member = (account: StaffAccount): TeamMember => ({
    email: account.email,
    role: account.role,
    locale: account.locale,
    lastSignInAt: account.lastSignInAt,
    lockedUntil: account.lockedUntil,
    linkExpiresAt: account.linkExpiresAt,
    mfaEnabledAt: account.mfaEnabledAt,
  });

  async function handle(method: string, url: URL, headers: Headers, body: unknown): Promise<Response> {
    const path = url.pathname.replace(/^\/admin\/api/, '');

    if (method === 'POST' && path === '/login') {
      if (options.rateLimited) {
        return fail(429, 'rate_limited', 'Too many sign-ins from this network. Try again in 10 minutes.', {
          'Retry-After': '600',
        });
      }
      const { email, password } = (body ?? {}) as { email?: string; password?: string };
      const issues = [
        ...(email ? [] : [{ path: 'email', message: 'Enter your e-mail address.' }]),
        ...(password ? [] : [{ path: 'password', message: 'Enter your password.' }]),
      ];
      if (issues.length > 0)
        return fail(400, 'invalid_input', issues.map((issue) => issue.message).join(' '), {}, issues);
      const key = email?.toLowerCase() ?? '';
      const failed = failures.get(key) ?? 0;
      if (failed >= lockAfter) {
        return fail(423, 'locked', 'Too many failed sign-ins. This account is locked until 3:15 PM.', {
          'Retry-After': '900',
        });
      }
      const account = accounts.get(key);
      if (!account || account.password !== password) {
        failures.set(key, failed + 1);
        const left = lockAfter - failed - 1;
        if (left === 0) {
          if (account) account.lockedUntil = new Date(now + 15 * MINUTE).toISOString();
          return fail(423, 'locked', 'Too many failed sign-ins. This account is locked until 3:15 PM.', {
            'Retry-After': '900',
          });
        }
        return fail(
          401,
          'bad_credentials',
          `That e-mail and password do not match. ${left === 1 ? '1 try' : `${left} tries`} left before the account locks.`,
        );
      }
      failures.delete(key);
      account.lastSignInAt = new Date(now).toISOString();
      const opened = open(account.email);
      log('login');
      return json(200, opened);
    }

    if (!session) return fail(401, 'signed_out', 'Your session has ended. Sign in again.');
    const current = session;
    const me = current.staff.email.toLowerCase();

    if (method === 'POST') {
      if (headers.get('Content-Type') !== 'application/json' || headers.get('X-CSRF-Token') !== current.csrf) {
        return fail(403, 'csrf', 'This request is missing its security token. Reload the page.');
      }
    }

    if (method === 'GET' && path === '/session') return json(200, current);

    if (method === 'POST' && path === '/logout') {
      log('logout');
      session = null;
      return new Response(null, { status: 204 });
    }

    if ((method === 'GET' && path === '/leads') || (method === 'POST' && path === '/leads/search')) {
      // As the server: search words only in a POST body, never in the query string.
      if (method === 'GET' && url.searchParams.get('q')?.trim()) {
        return fail(400, 'invalid_input', 'Search with POST /admin/api/leads/search.', {}, [
          { path: 'q', message: 'q is taken only in the body of POST /admin/api/leads/search.' },
        ]);
      }
      const params =
        method === 'GET'
          ? url.searchParams
          : new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      const answer = inbox(params, me);
      if ('issues' in answer) {
        const issues = answer.issues ?? [];
        return fail(400, 'invalid_input', issues.map((issue) => issue.message).join(' '), {}, issues);
      }
      // The plain open inbox is not logged here (the real server logs it at most every 15 minutes),
      // so tests of the audit log can count their own entries; any other view is logged every time.
      if (Object.keys(answer.filters).some((key) => key !== 'view' || answer.filters.view !== 'open')) {
        log('inbox.view', null, answer.filters);
      }
      return json(200, answer.body);
    }

    const leadPath = /^\/leads\/([^/]+)(\/status|\/notes|\/assign)?$/.exec(path);
    if (leadPath) {
      const lead = leads.get(decodeURIComponent(leadPath[1] ?? ''));
      if (!lead) return fail(404, 'not_found', 'There is no such lead at this center.');
      if (lead.unreadable) {
        return fail(409, 'lead_unreadable', "This request cannot be read with the server's current data keys.");
      }
      if (method === 'GET' && !leadPath[2]) {
        log('lead.view', lead.id);
        return json(200, detail(lead));
      }
      if (method === 'POST' && leadPath[2] === '/status') {
        const change = body as { from: Status; to: Status; note?: string };
        if (change.from !== lead.status) {
          return fail(
            409,
            'conflict',
            `Someone else changed this lead first: it is now ${STATUS_WORDS[lead.status]}. Check it before you change it.`,
          );
        }
        if (!NEXT[lead.status].includes(change.to)) {
          const allowed = NEXT[lead.status].map((status) => STATUS_WORDS[status]).join(', ');
          return fail(422, 'bad_transition', `From ${STATUS_WORDS[lead.status]} a lead can move to: ${allowed}.`);
        }
        setStatus(lead, change.to, current.staff.email, change.note ?? null);
        log('lead.status', lead.id, { from: change.from, to: change.to });
        return json(200, detail(lead));
      }
      if (method === 'POST' && leadPath[2] === '/notes') {
        const { note } = body as { note: string };
        lead.history = [
          ...lead.history,
          { at: new Date(now).toISOString(), by: current.staff.email, from: null, to: null, note },
        ];
        log('lead.note', lead.id);
        return json(200, detail(lead));
      }
      if (method === 'POST' && leadPath[2] === '/assign') {
        const { to } = (body ?? {}) as { to?: unknown };
        if (to !== null && typeof to !== 'string') {
          const issues = [{ path: 'to', message: "to is a colleague's address, or null to give the lead back." }];
          return fail(400, 'invalid_input', issues[0]?.message ?? '', {}, issues);
        }
        const address = to === null ? null : to.trim().toLowerCase();
        if (address !== null && !accounts.has(address)) {
          return fail(422, 'unknown_staff', `${to} is not an account of this center. Choose someone on the team.`);
        }
        log('lead.assign', lead.id, { from: lead.assignee, to: address });
        lead.assignee = address;
        return json(200, detail(lead));
      }
    }

    if (method === 'GET' && path === '/team') {
      const members = [...accounts.values()].sort((a, b) => a.email.localeCompare(b.email)).map(member);
      // As the server: only admins see when colleagues signed in or are locked out.
      const admin = accounts.get(me)?.role === 'admin';
      const shown = admin
        ? members
        : members.map((item) => ({
            ...item,
            lastSignInAt: null,
            lockedUntil: null,
            linkExpiresAt: null,
            mfaEnabledAt: null,
          }));
      return json(200, { members: shown, mfaRequired: mfa.required });
    }

    if (method === 'GET' && path === '/deliveries') {
      const status = url.searchParams.get('status') ?? 'dead';
      const list = deliveries
        .filter((delivery) => delivery.status === status)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return json(200, { deliveries: list });
    }

    const replay = /^\/deliveries\/([^/]+)\/replay$/.exec(path);
    if (method === 'POST' && replay) {
      const delivery = deliveries.find((item) => item.id === replay[1]);
      if (!delivery) return fail(404, 'not_found', 'There is no such delivery.');
      if (delivery.status !== 'dead' && delivery.status !== 'skipped') {
        return fail(409, 'not_replayable', 'This delivery is not dead or skipped, so it cannot be retried.');
      }
      delivery.status = 'pending';
      delivery.nextAttemptAt = new Date(now).toISOString();
      log('delivery.replay', delivery.leadId, { delivery: delivery.id });
      return json(200, delivery);
    }

    if (method === 'GET' && path === '/audit') {
      if (current.staff.role !== 'admin') return fail(403, 'forbidden', 'Only admins can read the audit log.');
      const before = url.searchParams.get('before');
      const start = before ? audit.findIndex((entry) => entry.id === before) + 1 : 0;
      const page = audit.slice(start, start + 100);
      const next = start + 100 < audit.length ? (page.at(-1)?.id ?? null) : null;
      return json(200, { entries: page, next });
    }

    return fail(404, 'not_found', `No route ${method} ${url.pathname}.`);
  }

  return {
    /** The `fetch` the console is given. */
    fetch: (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), 'http://localhost:3000');
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = new Headers(init.headers);
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : null;
      requests.push({ method, path: url.pathname + url.search, headers, body });
      if (init.credentials !== 'same-origin') throw new Error('The console must send credentials: same-origin');
      // A tick of the event loop, as a network would take, so no test leans on a synchronous answer.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return handle(method, url, headers, body);
    }) as typeof fetch,
    requests,
    mfa,
    /** The request the console sent last that matches, or undefined. */
    lastRequest: (method: string, pathStart: string) =>
      requests.findLast((request) => request.method === method && request.path.startsWith(pathStart)),
    get session() {
      return session;
    },
    get now() {
      return now;
    },
    /** Moves the server's clock on. */
    advance: (ms: number) => {
      now += ms;
    },
    /** The session expires or is signed out elsewhere: the next call gets 401 signed_out. */
    endSession: () => {
      session = null;
    },
    addLead: (overrides: Partial<StoredLead> & { minutesAgo?: number } = {}) => {
      const lead = makeLead(now, overrides);
      leads.set(lead.id, lead);
      return lead;
    },
    /** The lead as the server holds it now (its status, its assignee), or undefined. */
    lead: (id: string) => leads.get(id),
    addDelivery: (leadId: string, overrides: Partial<Delivery> = {}) => {
      const delivery: Delivery = {
        id: `delivery-${deliveries.length + 1}`,
        leadId,
        kind: 'webhook',
        target: 'https://crm.riverbend.example/hooks/intake',
        status: 'dead',
        attempts: 8,
        nextAttemptAt: null,
        lastError: 'HTTP 503 Service Unavailable',
        deliveredAt: null,
        createdAt: new Date(now).toISOString(),
        ...overrides,
      };
      deliveries.push(delivery);
      return delivery;
    },
    /** Another staff member changes a lead's status (as the server would take it). */
    changeStatusElsewhere: (id: string, to: Status, by = 'kim@riverbend.example') => {
      const lead = leads.get(id);
      if (!lead) throw new Error(`No lead ${id}`);
      setStatus(lead, to, by, null);
    },
    /** Another staff member takes or gives back a lead. */
    assignElsewhere: (id: string, to: string | null) => {
      const lead = leads.get(id);
      if (!lead) throw new Error(`No lead ${id}`);
      lead.assignee = to?.toLowerCase() ?? null;
    },
    /** Older audit entries, as if written over past days. */
    addAuditEntries: (count: number) => {
      for (let index = 0; index < count; index += 1) log('inbox.view');
    },
    audit,
    /**
     * The center's accounts by lower-cased address, as `GET /admin/api/team` lists them and sign-in
     * checks them; change them to stand in for what the team routes do (an account removed here
     * also gives its leads back, as the server does, only through `removeAccount`).
     */
    accounts,
    /** An account is removed: it can no longer sign in or be assigned, and its leads are given back. */
    removeAccount: (email: string) => {
      const address = email.toLowerCase();
      accounts.delete(address);
      for (const lead of leads.values()) if (lead.assignee === address) lead.assignee = null;
      if (session?.staff.email.toLowerCase() === address) session = null;
    },
    /** The person's own alerts, as `POST /admin/api/me` would set them; the current session follows. */
    setAlerts: (email: string, changes: Partial<AlertPreferences>) => {
      const account = accounts.get(email.toLowerCase());
      if (!account) throw new Error(`No account ${email} in the fake server`);
      account.alerts = { ...account.alerts, ...changes };
      if (session?.staff.email.toLowerCase() === account.email) {
        session = { ...session, staff: { ...session.staff, alerts: { ...account.alerts } } };
      }
      return account.alerts;
    },
  };
}

/** What a session says of two-step sign-in, for `account` under the center's rule. */
export function mfaState(
  account: Pick<StaffAccount, 'mfaEnabledAt'>,
  required: boolean,
): Pick<Session, 'mfaEnabled' | 'mfaRequired' | 'mfaSetupRequired'> {
  const enabled = account.mfaEnabledAt !== null;
  return { mfaEnabled: enabled, mfaRequired: required, mfaSetupRequired: required && !enabled };
}

/** YYYY-MM-DD that is a real day. */
function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const dayInCenter = new Intl.DateTimeFormat('en-CA', {
  timeZone: CENTER.timeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day of a moment in the center's time zone (API.md: `from` and `to` are the center's days). */
function centerDay(iso: string): string {
  return dayInCenter.format(new Date(iso));
}

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

/** A US number's ten digits, however written: (312) 555-0142, 312.555.0142, +1 312 555 0142. */
function phoneKey(value: string): string {
  const all = digits(value);
  return all.length === 11 && all.startsWith('1') ? all.slice(1) : all;
}

/** A first name matched whole, whatever its case and accents: "MARÍA" finds "maria". */
function nameKey(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export type FakeServer = ReturnType<typeof createFakeServer>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

function fail(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  issues?: { path: string; message: string }[],
): Response {
  return json(status, { error: { code, message, ...(issues ? { issues } : {}) } }, headers);
}
