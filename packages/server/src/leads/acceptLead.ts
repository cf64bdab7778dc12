import { triage } from '@intake-chat/engine';
import { answersProblems, leadProblems } from '@intake-chat/engine/schema';
import type { CenterConfig } from '../config/loadConfig.js';
import { callbackWindow } from './callbackWindow.js';
import type { LeadStore } from './createLeadStore.js';

export interface Accepted {
  readonly ok: true;
  readonly id: string;
  readonly callbackWindow: string;
  /** False when the idempotency key was seen before and nothing new was stored. */
  readonly created: boolean;
}

/** Why a lead was refused: what the client must fix. The lead API answers 403 for `unknown_center`, else 400. */
export interface Refused {
  readonly ok: false;
  readonly code: 'unknown_center' | 'invalid_lead' | 'unknown_flow' | 'invalid_answers';
  readonly message: string;
  readonly issues?: readonly { path: string; message: string }[];
}

/**
 * Takes a lead body that has already been parsed from JSON: validates it, recomputes triage with
 * the center's own flow (a browser's claim of a route is never trusted), and stores it with its
 * delivery jobs. Anything the client must fix comes back as `Refused`.
 */
export async function acceptLead(
  body: unknown,
  centers: ReadonlyMap<string, CenterConfig>,
  store: LeadStore,
  now: Date,
): Promise<Accepted | Refused> {
  const parsed = leadProblems(body);
  const claimed = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).center : undefined;
  // Only a string is looked up or echoed: String() of a parsed {"toString":1} throws.
  const center = typeof claimed === 'string' ? centers.get(claimed) : undefined;
  if (center === undefined && typeof claimed === 'string' && claimed !== '') {
    // One center per lead (docs/conversation.md): a lead for a center this server does not serve goes nowhere.
    return { ok: false, code: 'unknown_center', message: `This server takes no leads for the center "${claimed}".` };
  }
  if (!parsed.ok || center === undefined) {
    const issues = parsed.ok ? [{ path: 'center', message: 'Send the center id, like "riverbend"' }] : parsed.issues;
    return {
      ok: false,
      code: 'invalid_lead',
      message: 'Some details need fixing before we can call you back.',
      issues,
    };
  }
  const { lead } = parsed;
  if (lead.flow.id !== center.flow.id) {
    return {
      ok: false,
      code: 'unknown_flow',
      message: `The center "${center.id}" uses the flow "${center.flow.id}", not "${lead.flow.id}".`,
      issues: [{ path: 'flow.id', message: `Use "${center.flow.id}"; reload the chat to get the current flow.` }],
    };
  }
  const answerIssues = answersProblems(center.flow, lead.answers);
  if (answerIssues.length > 0) {
    return {
      ok: false,
      code: 'invalid_answers',
      message: 'Some answers do not match the questions of this chat.',
      issues: answerIssues,
    };
  }
  // The name is scanned too: crisis words typed anywhere make the lead an emergency (docs/conversation.md). Only
  // the reason's key is stored; the words stay in the sealed contact, out of logs and alerts.
  const decided = triage(center.flow, lead.answers, { name: lead.contact.name });
  const saved = await store.save({
    lead,
    route: decided.route,
    urgency: decided.urgency,
    reasons: decided.reasons.map((reason) => reason.key),
    callbackWindow: callbackWindow(center, now, lead.locale, decided.urgency),
    jobs: [
      ...center.webhooks.map((webhook) => ({ kind: 'webhook' as const, target: webhook.url })),
      ...center.alertEmails.map((email) => ({ kind: 'email' as const, target: email })),
    ],
  });
  return { ok: true, ...saved };
}
