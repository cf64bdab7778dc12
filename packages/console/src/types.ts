// The shapes of packages/console/API.md, as the console reads them. The server owns the contract;
// these types follow it word for word.

export type Status = 'new' | 'contacted' | 'scheduled' | 'admitted' | 'not-a-fit' | 'unreachable';
export type Urgency = 'emergency' | 'urgent' | 'high' | 'normal';
export type BestTime = 'morning' | 'afternoon' | 'evening' | 'anytime';
export type Sla = 'green' | 'amber' | 'red';
export type Locale = 'en' | 'es';

/** The longest note the server takes, with a status change or on its own. */
export const NOTE_LIMIT = 2000;

export interface Session {
  staff: { email: string; role: 'admin' | 'staff'; locale: Locale };
  center: {
    id: string;
    name: string;
    phone: string;
    phoneE164: string;
    timeZone: string;
    /** The normal target, in minutes (kept for older clients; read `callbackTargets`). */
    callbackTargetMinutes: number;
    /** The callback target of each urgency, in minutes: an emergency's is shorter. */
    callbackTargets: Record<Urgency, number>;
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
  status: Status;
  statusChangedAt: string | null;
  urgency: Urgency;
  route: string;
  /** In the staff member's language. */
  routeTitle: string;
  /** First name or nickname, as typed. */
  name: string;
  /** As typed. */
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
  by: string;
  from: Status | null;
  to: Status | null;
  note: string | null;
}

export interface LeadDetail extends LeadRow {
  /** US state code. */
  state: string;
  adult: true;
  /** The language the visitor used. */
  locale: string;
  flow: { id: string; version: number };
  /** What the visitor was told about when we would call. */
  callbackWindow: string;
  /** In the staff member's language. */
  answers: { stepId: string; question: string; answer: string[] }[];
  reasons: { key: string; text: string }[];
  flags: { crisis: boolean; withdrawal: boolean };
  consent: { call: true; text: boolean; textVersion: string; at: string; page?: string };
  utm: Record<string, string> | null;
  history: HistoryEntry[];
  deliveries: Delivery[];
  /** The statuses this lead may move to now. */
  nextStatuses: Status[];
}

export interface Delivery {
  id: string;
  leadId: string;
  kind: 'webhook' | 'email';
  /** The webhook URL or the e-mail address. */
  target: string;
  status: 'pending' | 'sending' | 'delivered' | 'dead' | 'skipped';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
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
  from: Status;
  to: Status;
  note?: string;
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}
