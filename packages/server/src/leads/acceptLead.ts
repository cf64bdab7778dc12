import { triage } from '@intake-chat/engine';
import { answersProblems, type Lead, leadProblems } from '@intake-chat/engine/schema';
import type { CenterConfig } from '../config/loadConfig.js';
import { callbackWindow } from './callbackWindow.js';
import { KeyReusedError, type LeadStore, type Saved } from './createLeadStore.js';

export interface Accepted {
  readonly ok: true;
  readonly id: string;
  readonly callbackWindow: string;
  /** False when the idempotency key was seen before and nothing new was stored. */
  readonly created: boolean;
}

/**
 * Why a lead was refused: what the client must fix. The lead API answers 403 for `unknown_center`, 409
 * for `idempotency_key_reused`, else 400.
 */
export interface Refused {
  readonly ok: false;
  readonly code:
    | 'unknown_center'
    | 'invalid_lead'
    | 'unknown_flow'
    | 'invalid_claims'
    | 'invalid_answers'
    | 'idempotency_key_reused';
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
  /**
   * Called once the body is a lead the center could take, before it is stored: the center's intake
   * budget is spent only on those (it throws to refuse), never on bodies that fail validation.
   */
  admit: (center: CenterConfig) => void | Promise<void> = () => {},
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
  const claims = claimProblems(lead, center);
  if (claims.length > 0) {
    return {
      ok: false,
      code: 'invalid_claims',
      message:
        'This request names a version or language the center does not publish; reload the chat and send it again.',
      issues: claims,
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
  await admit(center);
  const decided = triage(center.flow, lead.answers, { name: lead.contact.name });
  let saved: Saved;
  try {
    saved = await store.save({
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
  } catch (error) {
    if (!(error instanceof KeyReusedError)) throw error;
    return {
      ok: false,
      code: 'idempotency_key_reused',
      message:
        'This idempotency key was already used for a different request, which is kept as it was. Send the changed request with a new key.',
      issues: [
        {
          path: 'idempotencyKey',
          message: 'Use a new key for a changed request; reuse a key only to retry the same one',
        },
      ],
    };
  }
  return { ok: true, ...saved };
}

/**
 * What the client claims that only the center can vouch for: its language, its flow's version and the
 * consent text the visitor agreed to. Each wrong claim names the field and what the center accepts.
 */
function claimProblems(lead: Lead, center: CenterConfig): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const language = lead.locale.split('-')[0] ?? '';
  if (!center.locales.includes(language as (typeof center.locales)[number])) {
    problems.push({ path: 'locale', message: `Use one of the center's languages: ${quoted(center.locales)}` });
  }
  // Versions count up: a conversation opened before the flow changed still sends the version it had.
  if (lead.flow.version > center.flow.version) {
    problems.push({
      path: 'flow.version',
      message: `The center's flow "${center.flow.id}" is at version ${center.flow.version}; send a version from 1 to ${center.flow.version}`,
    });
  }
  // The words agreed to: call-only, or call-and-text when texts were allowed, as shown now or before.
  const shown = lead.consent.text ? center.consent.callAndText : center.consent.call;
  const versions = [shown.version, ...shown.previousVersions];
  if (!versions.includes(lead.consent.textVersion)) {
    problems.push({
      path: 'consent.textVersion',
      message: `Send the version of the ${lead.consent.text ? 'call-and-text' : 'call-only'} consent text the visitor saw: ${quoted(versions)}`,
    });
  }
  return problems;
}

const quoted = (values: readonly (string | number)[]) => values.map((value) => JSON.stringify(value)).join(', ');
