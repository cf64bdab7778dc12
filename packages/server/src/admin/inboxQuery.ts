import { createHash } from 'node:crypto';
import { CRISIS_ROUTE } from '@intake-chat/engine';
import type { Context } from 'hono';
import type { CenterConfig } from '../config/loadConfig.js';
import { HttpError } from '../http/HttpError.js';
import type { InboxFilter, LeadStore } from '../leads/createLeadStore.js';
import { leadStatuses, openStatuses } from '../leads/leadStatuses.js';
import { instantsOf } from '../time/wallClock.js';
import type { Urgency } from './consoleApi.js';
import type { ConsoleEnv } from './guards.js';

const urgencies: readonly Urgency[] = ['emergency', 'urgent', 'high', 'normal'];
const inboxViews = ['open', 'all', 'mine'] as const;
const visitorLocales = ['en', 'es'] as const;
/** The longest search the box takes: a name or a phone number is far shorter. */
const SEARCH_LIMIT = 100;
/** Further than any inbox goes, and small enough that the offset stays an exact integer. */
const PAGE_LIMIT = 1_000_000;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface InboxRequest {
  readonly filter: InboxFilter;
  readonly page: number;
  /**
   * This exact view (view, filters, search and page) as a hash: the console polls whatever view is on
   * screen, so a view is audited when it is first shown and then at most every 15 minutes. Made from the
   * search's keyed blind index, not its words, so the session row gives neither away.
   */
  readonly viewKey: string;
  /** For the audit log: the view and filters as asked, with `search: true` instead of the search words. */
  readonly detail: Record<string, unknown>;
}

/** The inbox's parameters, by name: each value given for it (a query string may repeat a name). */
export type InboxParameters = (name: string) => readonly string[];

const PARAMETERS = ['view', 'status', 'urgency', 'route', 'locale', 'assignee', 'from', 'to', 'q', 'page'];

/** The parameters of `GET /admin/api/leads`: its query string, which never holds search words. */
export function queryParameters(c: Context<ConsoleEnv>): InboxParameters {
  if ((c.req.queries('q') ?? []).some((words) => words.trim() !== '')) {
    throw new HttpError(
      400,
      'invalid_input',
      'Search with POST /admin/api/leads/search and the words in its body: a query string ends up in access logs.',
      [{ path: 'q', message: 'q is taken only in the body of POST /admin/api/leads/search.' }],
    );
  }
  return (name) => c.req.queries(name) ?? [];
}

/** The parameters of `POST /admin/api/leads/search`: a JSON object of strings (page may be a number). */
export function bodyParameters(body: Record<string, unknown>): InboxParameters {
  const issues = Object.entries(body)
    .filter(([name, value]) => {
      if (!PARAMETERS.includes(name)) return true;
      return !(typeof value === 'string' || (name === 'page' && typeof value === 'number') || value === null);
    })
    .map(([name]) =>
      PARAMETERS.includes(name)
        ? { path: name, message: `${name} must be text${name === 'page' ? ' or a number' : ''}.` }
        : { path: name, message: `${name} is not a parameter of the inbox; use ${PARAMETERS.join(', ')}.` },
    );
  if (issues.length > 0) {
    throw new HttpError(400, 'invalid_input', issues.map((issue) => issue.message).join(' '), issues);
  }
  return (name) => {
    const value = body[name];
    return value === undefined || value === null ? [] : [String(value)];
  };
}

/**
 * The inbox's parameters (API.md, `GET /admin/api/leads` and `POST /admin/api/leads/search`) as a
 * filter on the store, or 400 `invalid_input` naming each bad parameter and what it takes. An empty
 * parameter is as if absent.
 */
export function readInboxQuery(
  parameters: InboxParameters,
  center: CenterConfig,
  me: string,
  leads: Pick<LeadStore, 'searchKey'>,
): InboxRequest {
  const issues: { path: string; message: string }[] = [];
  const given: Record<string, string> = {};
  for (const name of PARAMETERS) {
    const values = parameters(name)
      .map((value) => value.trim())
      .filter((value) => value !== '');
    if (values.length > 1)
      issues.push({ path: name, message: `${name} takes one value; it was given ${values.length}.` });
    const [value] = values;
    if (value !== undefined) given[name] = value;
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = given[name];
    if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
    issues.push({ path: name, message: `${name} must be one of ${allowed.join(', ')}, not "${value}".` });
    return undefined;
  };

  const view = oneOf('view', inboxViews) ?? 'open';
  const status = oneOf('status', leadStatuses);
  const urgency = oneOf('urgency', urgencies);
  const route = oneOf('route', [...new Set([CRISIS_ROUTE, ...Object.keys(center.flow.routes)])]);
  const locale = oneOf('locale', visitorLocales);

  let assignee: string | null | undefined;
  if (given.assignee === 'me') assignee = me;
  else if (given.assignee === 'none') assignee = null;
  else if (given.assignee !== undefined && EMAIL.test(given.assignee)) assignee = given.assignee.toLowerCase();
  else if (given.assignee !== undefined) {
    issues.push({
      path: 'assignee',
      message: `assignee must be a colleague's e-mail address, me, or none, not "${given.assignee}".`,
    });
  }

  const from = readDay('from', given.from, issues);
  const to = readDay('to', given.to, issues);
  if (from !== undefined && to !== undefined && to < from) {
    issues.push({ path: 'to', message: `to must be the same day as from (${from}) or later, not ${to}.` });
  }

  let page = 1;
  if (given.page !== undefined) {
    const number = /^\d{1,7}$/.test(given.page) ? Number(given.page) : Number.NaN;
    if (number >= 1 && number <= PAGE_LIMIT) page = number;
    else issues.push({ path: 'page', message: `page must be a whole number from 1, such as 2, not "${given.page}".` });
  }

  const words = given.q;
  if (words !== undefined && words.length > SEARCH_LIMIT) {
    issues.push({
      path: 'q',
      message: `q must be at most ${SEARCH_LIMIT} characters: a first name or a phone number.`,
    });
  }

  if (issues.length > 0) {
    throw new HttpError(400, 'invalid_input', issues.map((issue) => issue.message).join(' '), issues);
  }

  // Words that are only spaces or punctuation search for nothing, and are ignored.
  const key = words === undefined ? null : leads.searchKey(center.id, words);
  const filter: InboxFilter = {
    // The view decides the statuses unless one is asked for; `mine` also means "assigned to me"
    // unless another assignee is asked for.
    statuses: status !== undefined ? [status] : view === 'all' ? undefined : openStatuses,
    urgency,
    route,
    locale,
    assignee: assignee !== undefined ? assignee : view === 'mine' ? me : undefined,
    createdFrom: from === undefined ? undefined : startOfDay(from, center.timeZone).toISOString(),
    createdBefore: to === undefined ? undefined : startOfDay(nextDay(to), center.timeZone).toISOString(),
    ...(key ?? {}),
  };
  const { q: _words, page: _page, ...filters } = given;
  // The search as its keyed hash, never the words: a copy of the sessions table must not give them away.
  const asked = { ...filters, view, page, q: key };
  const viewKey = createHash('sha256')
    .update(JSON.stringify(Object.entries(asked).sort(([a], [b]) => a.localeCompare(b))))
    .digest('base64url');
  return {
    filter,
    page,
    viewKey,
    detail: { ...filters, view, page, ...(key === null ? {} : { search: true }) },
  };
}

/** A day (YYYY-MM-DD) that exists on the calendar, or undefined with an issue. */
function readDay(
  name: 'from' | 'to',
  value: string | undefined,
  issues: { path: string; message: string }[],
): string | undefined {
  if (value === undefined) return undefined;
  const parts = DAY.exec(value);
  const [year, month, day] = parts === null ? [] : parts.slice(1).map(Number);
  // 2026-02-31 would be March 3rd to Date: only a day that exists is taken.
  const exists =
    year !== undefined &&
    month !== undefined &&
    day !== undefined &&
    new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) === value;
  if (exists) return value;
  issues.push({
    path: name,
    message: `${name} must be a day such as 2026-11-01${parts === null ? '' : ' that exists on the calendar'}, not "${value}".`,
  });
  return undefined;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 60 * 60_000).toISOString().slice(0, 10);
}

/**
 * The instant a day begins in `timeZone`: its local midnight, the first one when clocks fall back
 * over it, or the moment clocks spring forward when midnight itself is skipped.
 */
export function startOfDay(day: string, timeZone: string): Date {
  const [first] = instantsOf(Date.parse(`${day}T00:00:00Z`), timeZone);
  return new Date(first ?? Date.parse(`${day}T00:00:00Z`));
}
