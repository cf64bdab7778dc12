/**
 * The console's API as both sides read it (packages/console/API.md). The server builds its answers
 * with these types and the console imports them, so the two cannot drift. Nothing here may import
 * Node: the console is a browser bundle.
 */
import type { LeadStatus } from '../leads/leadStatuses.js';

export { isLeadStatus, type LeadStatus, leadStatuses, nextStatuses, openStatuses } from '../leads/leadStatuses.js';

export type Urgency = 'emergency' | 'urgent' | 'high' | 'normal';
export type BestTime = 'morning' | 'afternoon' | 'evening' | 'anytime';
export type Sla = 'green' | 'amber' | 'red';
export type StaffLocale = 'en' | 'es';
export type Role = 'admin' | 'staff';

/** The longest note the server takes, with a status change or on its own. */
export const NOTE_LIMIT = 2000;
/** The largest request body the console's API takes, in bytes. */
export const BODY_LIMIT = 16 * 1024;
/** Leads in one page of the inbox. */
export const INBOX_LIMIT = 500;
/** Passwords are at least this long. */
export const PASSWORD_MIN = 12;
/** A one-time link to set a password is valid this long. */
export const LINK_HOURS = 24;
/** Audit entries in one page of the log. */
export const AUDIT_PAGE = 100;
/** The code step of a sign-in must follow the password within this time. */
export const MFA_TICKET_MINUTES = 5;

/** A staff member's own console settings: both alerts are off until they turn them on. */
export interface AlertPreferences {
  /** A short tone for each new lead while the console is open. */
  sound: boolean;
  /** A desktop notification for each new lead ("New callback request (urgent)"), never with health information. */
  desktop: boolean;
}

export interface ConsoleSession {
  staff: { email: string; role: Role; locale: StaffLocale; alerts: AlertPreferences };
  center: {
    id: string;
    name: string;
    phone: string;
    phoneE164: string;
    timeZone: string;
    /** The callback target of each urgency while staffed, in minutes (config `callbackTargetMinutes`). */
    callbackTargets: Record<Urgency, number>;
    /** The normal target, the same as `callbackTargets.normal`; kept for clients that read one target. */
    callbackTargetMinutes: number;
  };
  csrf: string;
  /** When the session ends; sign in again after it. */
  expiresAt: string;
  /** This person signs in with a code from an authenticator app after the password. */
  mfaEnabled: boolean;
  /** The center requires two-step sign-in of everyone (an admin's setting on the team page). */
  mfaRequired: boolean;
  /** Required and not set up yet: until it is, every call but enrolment answers 403 `mfa_setup_required`. */
  mfaSetupRequired: boolean;
}

/** `POST /admin/api/login` when the password is right and the account signs in with a code: no session yet. */
export interface MfaChallenge {
  mfa: 'required';
  /** For `POST /admin/api/login/mfa`, within `MFA_TICKET_MINUTES`; it signs in once. */
  ticket: string;
}

/** `POST /admin/api/login/mfa`: the 6-digit code from the app, or a recovery code. */
export interface MfaCode {
  ticket: string;
  code: string;
}

/** `POST /admin/api/me/mfa/start`: the new secret, for the app to scan or for typing in. */
export interface MfaEnrolment {
  /** Base32, as apps take it typed in. */
  secret: string;
  otpauthUrl: string;
  /** The QR code of `otpauthUrl`, as SVG. */
  qrSvg: string;
}

/** `POST /admin/api/me/mfa/confirm`: two-step sign-in is on. The recovery codes are shown this once. */
export interface MfaEnabled {
  recoveryCodes: string[];
  session: ConsoleSession;
}

/** Which leads the inbox shows: `GET /admin/api/leads`'s query, as the console keeps it in its URL. */
export interface InboxQuery {
  /** `open` (the default): not closed; `all`: every status; `mine`: open and assigned to me. Ignored with `status`. */
  view?: 'open' | 'all' | 'mine';
  status?: LeadStatus;
  urgency?: Urgency;
  /** A route id of the center's flow. */
  route?: string;
  /** The visitor's language: `en` or `es`. */
  locale?: string;
  /** A colleague's address, `me`, or `none` for leads no one has. */
  assignee?: string;
  /** Created on or after this day (YYYY-MM-DD, in the center's time zone). */
  from?: string;
  /** Created on or before this day (YYYY-MM-DD, in the center's time zone). */
  to?: string;
  /** A first name (any case, accents optional) or a phone number (any common format), matched whole. */
  q?: string;
  /** 1 for the first `INBOX_LIMIT` leads. */
  page?: number;
}

export interface Inbox {
  /** The server's clock, to compute ages without trusting the device's. */
  now: string;
  leads: LeadRow[];
  /** How many leads match the query, on every page. */
  total: number;
  page: number;
  pageSize: number;
  /** Deliveries that gave up (see /admin/api/deliveries). */
  deadLetters: number;
}

export interface LeadRow {
  id: string;
  createdAt: string;
  status: LeadStatus;
  statusChangedAt: string | null;
  urgency: Urgency;
  route: string;
  /** In the staff member's language. */
  routeTitle: string;
  /** First name or nickname, as typed. */
  name: string;
  /** Formatted for reading: (312) 555-0142. */
  phone: string;
  /** For tel: links. */
  phoneE164: string;
  bestTime: BestTime;
  voicemailOk: boolean;
  textOk: boolean;
  forWhom: 'self' | 'loved-one';
  /** Minutes from submission to the first contact, or to now while the lead is new. */
  minutesWaiting: number;
  /** While new: green under half the callback target of its urgency, amber up to it, red past it. Else null. */
  sla: Sla | null;
  /** The callback target of this lead's urgency, in minutes. */
  targetMinutes: number;
  contactedAt: string | null;
  /** The language the visitor used (`en`, `es`): a Spanish speaker needs a Spanish-speaking caller. */
  locale: string;
  /** The address of the staff member who has the lead, or null. */
  assignee: string | null;
  /**
   * Set when the server's data keys cannot open this lead: the name, phone and contact choices are
   * then empty, and the detail answers 409 `lead_unreadable`. The other fields are as usual.
   */
  unreadable?: true;
}

export interface HistoryEntry {
  at: string;
  /** The staff member's e-mail. */
  by: string;
  /** A note alone has from and to null. */
  from: LeadStatus | null;
  to: LeadStatus | null;
  note: string | null;
}

export interface Delivery {
  id: string;
  leadId: string;
  kind: 'webhook' | 'email';
  /** The webhook URL without its query string, or the e-mail address. */
  target: string;
  status: 'pending' | 'sending' | 'delivered' | 'dead' | 'skipped';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface LeadDetail extends LeadRow {
  /** US state code. */
  state: string;
  adult: true;
  flow: { id: string; version: number };
  /** What the visitor was told about when we would call, in the visitor's language. */
  callbackWindow: string;
  /** In the staff member's language; a text step's answer is the visitor's own words. */
  answers: { stepId: string; question: string; answer: string[] }[];
  /** The flow's words, in the staff member's language. */
  reasons: { key: string; text: string }[];
  /** Whether the crisis or withdrawal-first rules hold on the answers, even when another route won. */
  flags: { crisis: boolean; withdrawal: boolean };
  consent: { call: true; text: boolean; textVersion: string; at: string; page?: string | undefined };
  utm: Record<string, string> | null;
  /** Oldest first. */
  history: HistoryEntry[];
  deliveries: Delivery[];
  /** The statuses this lead may move to now. */
  nextStatuses: LeadStatus[];
  /**
   * The center's other requests from the same conversation, oldest first: a visitor who corrected
   * a request after a failed send is one person, to be called once.
   */
  sameConversation: { id: string; createdAt: string }[];
}

export interface AuditEntry {
  id: string;
  at: string;
  staffEmail: string;
  action: string;
  leadId: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

export interface StatusChange {
  from: LeadStatus;
  to: LeadStatus;
  note?: string;
}

/** `POST /admin/api/leads/:id/assign`: a colleague's address, or null to give the lead back. */
export interface Assignment {
  to: string | null;
}

/** A colleague as the team page shows them (`GET /admin/api/team`). */
export interface TeamMember {
  email: string;
  role: Role;
  locale: StaffLocale;
  /** When they last signed in; null if never (an invitation not yet used). */
  lastSignInAt: string | null;
  /** Until when sign-in is locked after failed attempts; null if not locked. */
  lockedUntil: string | null;
  /** When their unused invitation or reset link ends; null if none is waiting. */
  linkExpiresAt: string | null;
  /** When they turned two-step sign-in on; null while it is off. */
  mfaEnabledAt: string | null;
}

export interface Team {
  members: TeamMember[];
  /** Whether the center requires two-step sign-in of everyone (`POST /admin/api/team/mfa`). */
  mfaRequired: boolean;
}

/**
 * How a colleague gets in: a one-time `link` valid for a day (the default), or a generated `password`
 * shown once to the admin.
 */
export type Handover = 'link' | 'password';

/** `POST /admin/api/team`. */
export interface Invitation {
  email: string;
  role: Role;
  locale: StaffLocale;
  handover?: Handover;
}

/** What the admin hands over, shown once: the link, or the password. */
export interface HandoverBody {
  member: TeamMember;
  link?: string;
  password?: string;
}

/** `GET /admin/api/links/:token`: whom a one-time link is for, before they choose a password. */
export interface LinkInfo {
  email: string;
  centerName: string;
  /** The console language the admin chose for the account: the link's page speaks it too. */
  locale: StaffLocale;
  purpose: 'invite' | 'reset';
  expiresAt: string;
}

/** Export formats: one row per lead (CSV) or one object per lead (JSON). */
export type ExportFormat = 'csv' | 'json';

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

/** The ranges the Insight screen offers, in days up to and including today. */
export const insightRanges = [7, 30, 90] as const;
export type InsightRange = (typeof insightRanges)[number];

/** The funnel's stages: the first four are day counts from the widget, the rest the requests' statuses. */
export const funnelStages = [
  'shown',
  'opened',
  'started',
  'result',
  'requested',
  'contacted',
  'scheduled',
  'admitted',
] as const;

/** What the Insight screen shows (API.md, GET /admin/api/insight): counts of days, never of people. */
export interface InsightReport {
  readonly days: number;
  /** The first and last day of the range, YYYY-MM-DD in the center's time zone. */
  readonly from: string;
  readonly to: string;
  readonly funnel: readonly { readonly stage: (typeof funnelStages)[number]; readonly count: number }[];
  /** In the flow's order: how many reached each question, answered it, and left there. */
  readonly steps: readonly {
    readonly stepId: string;
    readonly question: string;
    readonly reached: number;
    readonly answered: number;
    readonly left: number;
  }[];
  readonly routes: readonly {
    readonly route: string;
    readonly title: string;
    readonly results: number;
    readonly requests: number;
    readonly admitted: number;
  }[];
  /** By source, medium, campaign and referring site; '' for a part not known ("direct" when all are). */
  readonly sources: readonly {
    readonly source: string;
    readonly medium: string;
    readonly campaign: string;
    readonly referrer: string;
    readonly opened: number;
    readonly requests: number;
    readonly scheduled: number;
    readonly admitted: number;
  }[];
  readonly crisis: {
    readonly opened: number;
    readonly links: readonly { readonly link: string; readonly taps: number }[];
  };
  readonly speed: {
    readonly requests: number;
    readonly contacted: number;
    /** Minutes from request to first contact; null with no request contacted. */
    readonly medianMinutes: number | null;
    readonly p90Minutes: number | null;
    readonly byUrgency: readonly SpeedRow<Urgency>[];
    /** Hour of the request on the center's clock, 0-23. */
    readonly byHour: readonly SpeedRow<number>[];
    /** Weekday of the request, 0 Monday ... 6 Sunday. */
    readonly byWeekday: readonly SpeedRow<number>[];
  };
}

export interface SpeedRow<K> {
  readonly key: K;
  readonly requests: number;
  readonly contacted: number;
  /** Contacted within the callback target of the request's urgency. */
  readonly withinTarget: number;
  readonly medianMinutes: number | null;
  /** The target, for the rows by urgency. */
  readonly targetMinutes?: number;
}

/** The tables of the Insight screen, each downloadable as CSV (`GET /admin/api/insight.csv?table=`). */
export const insightTables = [
  'funnel',
  'steps',
  'routes',
  'sources',
  'crisis',
  'urgency',
  'hours',
  'weekdays',
] as const;
export type InsightTable = (typeof insightTables)[number];
