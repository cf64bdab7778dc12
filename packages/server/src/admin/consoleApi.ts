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
/** Audit entries in one page of the log. */
export const AUDIT_PAGE = 100;

export interface ConsoleSession {
  staff: { email: string; role: Role; locale: StaffLocale };
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
}

export interface Inbox {
  /** The server's clock, to compute ages without trusting the device's. */
  now: string;
  leads: LeadRow[];
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
  contactedAt: string | null;
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
  /** The language the visitor used. */
  locale: string;
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

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}
