import type { Flow } from '../flow/flowSchema.js';
import { contactProblems, isPagePath, normalizeUsPhone } from '../lead/contactRules.js';
import type { Lead, LeadIssue } from '../lead/leadSchema.js';
import type { IntakeContext } from './createIntakeMachine.js';

/** What the visitor fills in on the callback form (docs/conversation.md's minimum set, plus the consent boxes). */
export interface CallbackForm {
  readonly name: string;
  readonly phone: string;
  readonly bestTime: string;
  readonly voicemailOk: boolean;
  readonly textOk: boolean;
  readonly state: string;
  readonly adult: boolean;
  /** Asked on the form only when the flow has no `for-whom` step. */
  readonly forWhom?: string;
  /** The separate, unticked box consenting to calls (and texts, when `consentText`) from the center. */
  readonly consentCall: boolean;
  /** Whether the consent the visitor gave covers texts: the call box ticked with "you may text me". */
  readonly consentText: boolean;
}

export type FormIssue = LeadIssue;

/** Why a submission failed, as the machine keeps it. */
export interface SubmitError {
  readonly message: string;
  /** False when the server refused the lead as sent (400): retrying the same body cannot help. */
  readonly retryable: boolean;
  readonly issues: readonly FormIssue[];
}

/**
 * The `submitLead` actor throws whatever its transport gives; anything without
 * `retryable: false` is treated as a passing fault (network down, 5xx, 429) and retried.
 */
export function toSubmitError(error: unknown): SubmitError {
  const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const issues = Array.isArray(fields.issues) ? (fields.issues as FormIssue[]) : [];
  return { message, retryable: fields.retryable !== false, issues };
}

type Submission = Pick<IntakeContext, 'input' | 'locale' | 'answers' | 'idempotencyKey'> &
  Partial<Pick<IntakeContext, 'conversationId'>>;

/**
 * The lead body of `POST /v1/leads`, built here and nowhere else. The visitor's fields are checked
 * with the lead schema's own rules (`contactProblems`, in the visitor's language), so the visitor
 * sees what to fix before anything is sent, and the widget ships no schema library; the server then
 * parses the whole body with the schema. The consent version stored is the one of the text the
 * visitor saw: call-only, or call-and-text. The host page's path is kept only when it is a path alone.
 */
export function buildLead(
  flow: Flow,
  context: Submission,
  form: CallbackForm,
): { ok: true; lead: Lead } | { ok: false; issues: FormIssue[] } {
  const { input, answers } = context;
  const forWhom = form.forWhom ?? answers['for-whom'];
  const contact = { ...form, forWhom };
  const issues = contactProblems(contact, { call: form.consentCall, text: form.consentText }, context.locale);
  if (issues.length > 0) return { ok: false, issues };
  const versions = input.consentVersion;
  const textVersion = typeof versions === 'string' ? versions : form.consentText ? versions.callAndText : versions.call;
  const page = input.page?.slice(0, 512);
  const lead = {
    idempotencyKey: context.idempotencyKey ?? '',
    ...(context.conversationId ? { conversationId: context.conversationId } : {}),
    center: input.center,
    flow: { id: flow.id, version: flow.version },
    locale: context.locale,
    answers: answers as Lead['answers'],
    contact: {
      name: form.name.trim(),
      phone: normalizeUsPhone(form.phone) as string,
      bestTime: form.bestTime as Lead['contact']['bestTime'],
      voicemailOk: form.voicemailOk,
      textOk: form.textOk,
      state: form.state.trim().toUpperCase() as Lead['contact']['state'],
      adult: true as const,
      forWhom: forWhom as Lead['contact']['forWhom'],
    },
    consent: {
      call: true as const,
      text: form.consentText,
      textVersion,
      at: new Date().toISOString(),
      ...(page !== undefined && isPagePath(page) ? { page } : {}),
    },
    ...(input.utm === undefined ? {} : { utm: input.utm }),
    ...(input.referrer === undefined ? {} : { referrer: input.referrer }),
  };
  return { ok: true, lead };
}
