import {
  answerLabels,
  CRISIS_WORDS_REASON,
  defaultFlow,
  evaluate,
  type Flow,
  factsOf,
  localize,
  promptFor,
  routeOf,
  type Urgency,
} from '@intake-chat/engine';
import type { CenterConfig } from '../config/loadConfig.js';
import type { Delivery } from '../delivery/createOutbox.js';
import { type HistoryEntry, isUnreadable, type ListedLead, type StoredLead } from '../leads/createLeadStore.js';
import { isLeadStatus, nextStatuses } from '../leads/leadStatuses.js';
import type { LeadDetail, LeadRow } from './consoleApi.js';

/** A lead as one line of the inbox (packages/console/API.md, LeadRow). */
export function leadRow(lead: ListedLead, center: CenterConfig, locale: string, now: Date): LeadRow {
  const status = isLeadStatus(lead.status) ? lead.status : 'new';
  const waitedUntil = lead.contactedAt === null ? now : new Date(lead.contactedAt);
  const minutesWaiting = Math.max(0, Math.floor((waitedUntil.getTime() - Date.parse(lead.createdAt)) / 60_000));
  const targetMinutes = callbackTarget(center, lead.urgency);
  return {
    id: lead.id,
    createdAt: lead.createdAt,
    status,
    statusChangedAt: lead.statusChangedAt,
    urgency: lead.urgency,
    route: lead.route,
    routeTitle: routeTitle(center.flow, lead.route, locale),
    ...contactColumns(lead),
    minutesWaiting,
    sla: status === 'new' ? slaColour(minutesWaiting, targetMinutes) : null,
    targetMinutes,
    contactedAt: lead.contactedAt,
    locale: lead.locale,
    assignee: lead.assignedTo,
  };
}

type ContactColumn = 'name' | 'phone' | 'phoneE164' | 'bestTime' | 'voicemailOk' | 'textOk' | 'forWhom';

/** The row's contact: the lead's, or nothing for one the keys cannot open (it says so instead). */
function contactColumns(lead: ListedLead): Pick<LeadRow, ContactColumn | 'unreadable'> {
  if (isUnreadable(lead)) {
    const nothing = { name: '', phone: '', phoneE164: '', voicemailOk: false, textOk: false };
    return { ...nothing, bestTime: 'anytime', forWhom: 'self', unreadable: true };
  }
  const { contact } = lead;
  return {
    name: contact.name,
    phone: displayPhone(contact.phone),
    phoneE164: contact.phone,
    bestTime: contact.bestTime,
    voicemailOk: contact.voicemailOk,
    textOk: contact.textOk,
    forWhom: contact.forWhom,
  };
}

/** Everything the lead detail shows, labelled in the staff member's language (API.md, LeadDetail). */
export function leadDetail(
  lead: StoredLead,
  center: CenterConfig,
  locale: string,
  now: Date,
  extra: {
    history: readonly HistoryEntry[];
    deliveries: readonly Delivery[];
    sameConversation: readonly { id: string; createdAt: string }[];
  },
): LeadDetail {
  const { flow } = center;
  const row = leadRow(lead, center, locale, now);
  // Questions in the flow's order; a step this version of the flow no longer has is shown by its id.
  const known = new Set(flow.steps.map((step) => step.id));
  const answers = [
    ...flow.steps
      .filter((step) => lead.answers[step.id] !== undefined)
      .map((step) => ({
        stepId: step.id,
        question: promptFor(flow, step, lead.answers, locale),
        answer: answerLabels(flow, step, lead.answers[step.id] ?? '', locale),
      })),
    ...Object.entries(lead.answers)
      .filter(([stepId]) => !known.has(stepId))
      .map(([stepId, value]) => ({ stepId, question: stepId, answer: [value].flat().map(String) })),
  ];
  return {
    ...row,
    state: lead.contact.state,
    adult: lead.contact.adult,
    flow: lead.flow,
    callbackWindow: lead.callbackWindow,
    answers,
    reasons: lead.reasons.map((key) => ({ key, text: reasonText(flow, key, locale) })),
    flags: {
      crisis: lead.route === 'crisis' || ruleHolds(flow, 'crisis', lead.answers),
      withdrawal: lead.route === 'withdrawal-first' || ruleHolds(flow, 'withdrawal-first', lead.answers),
    },
    consent: lead.consent,
    utm: lead.utm ? definedOnly(lead.utm) : null,
    history: [...extra.history],
    deliveries: [...extra.deliveries],
    nextStatuses: [...nextStatuses[row.status]],
    sameConversation: [...extra.sameConversation],
  };
}

/** The callback target of a lead's urgency, in minutes; a stored urgency this server does not know gets the normal one. */
export function callbackTarget(center: Pick<CenterConfig, 'callbackTargets'>, urgency: Urgency): number {
  return center.callbackTargets[urgency] ?? center.callbackTargets.normal;
}

/** The route's title; crisis words send a lead to `crisis` even in a flow without one (engine `routeOf`). */
export function routeTitle(flow: Flow, route: string, locale: string): string {
  const title = routeOf(flow, route)?.title;
  return title === undefined ? route : localize(title, locale, flow);
}

/** The flow's words for a reason; `crisis-words` falls back to the default flow's, as triage does. */
function reasonText(flow: Flow, key: string, locale: string): string {
  const text = flow.reasons[key] ?? (key === CRISIS_WORDS_REASON ? defaultFlow.reasons[key] : undefined);
  return text === undefined ? key : localize(text, locale, flow);
}

/**
 * Whether any triage rule for `route` holds on these answers. Only the first matching rule decides
 * the route, so a crisis lead who also drinks every day is routed `crisis`; staff still need to see
 * the withdrawal risk.
 */
function ruleHolds(flow: Flow, route: string, answers: StoredLead['answers']): boolean {
  const facts = factsOf(flow, answers);
  return flow.triage.some(
    (rule) => rule.route === route && rule.when !== undefined && evaluate(rule.when, facts).holds,
  );
}

/** Green under half the callback target, amber up to it, red past it. */
export function slaColour(minutes: number, targetMinutes: number): 'green' | 'amber' | 'red' {
  if (minutes > targetMinutes) return 'red';
  return minutes * 2 >= targetMinutes ? 'amber' : 'green';
}

function definedOnly(record: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) defined[key] = value;
  return defined;
}

/** +15552010100 as (555) 201-0100. */
export function displayPhone(e164: string): string {
  const digits = e164.replace(/^\+1/, '');
  return /^\d{10}$/.test(digits) ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : e164;
}
