import { and, assertEvent, assign, enqueueActions, fromPromise, not, setup, stateIn } from 'xstate';
import type { CrisisMatch } from '../crisis/detectCrisis.js';
import { typedCrisis } from '../crisis/typedCrisis.js';
import { evaluate, factsOf } from '../flow/conditions.js';
import type { Answers, AnswerValue, Flow } from '../flow/flowSchema.js';
import { answerProblem, nextStepId, RESULT, stepById } from '../flow/navigation.js';
import { referrerTag } from '../insight.js';
import type { Lead } from '../lead/leadSchema.js';
import { triage } from '../triage.js';
import { buildLead, type CallbackForm, type FormIssue, type SubmitError, toSubmitError } from './submission.js';

/** What the lead server answered: the lead's id and when the visitor can expect a call. */
export interface LeadReceipt {
  readonly id: string;
  readonly callbackWindow: string;
}

export interface IntakeInput {
  /** The center whose site the visitor is on; leads go to this center only. */
  readonly center: string;
  /**
   * The version of the consent text the callback form shows: one version, or one for the call-only
   * text and one for the call-and-text text, stored by what the visitor chose.
   */
  readonly consentVersion: string | ConsentVersions;
  readonly locale?: string;
  /** The host page's path, kept as consent evidence when it is a path alone (`isPagePath`). */
  readonly page?: string;
  readonly utm?: Readonly<Record<string, string>>;
  /** The site the visit came from: its host name alone, as `referrerTag` gives it. */
  readonly referrer?: string;
  /** Makes idempotency keys; the widget passes `crypto.randomUUID`. */
  readonly newKey?: () => string;
}

export interface ConsentVersions {
  readonly call: string;
  readonly callAndText: string;
}

export type IntakeEvent =
  | { type: 'visitor.start' }
  | { type: 'visitor.answer'; value: AnswerValue }
  /** `draft`: what was typed in a text box and not sent; it is checked for crisis words, never kept. */
  | { type: 'visitor.skip'; draft?: string }
  | { type: 'visitor.back' }
  | { type: 'visitor.restart' }
  | { type: 'visitor.locale'; locale: string }
  | { type: 'visitor.crisis' }
  | { type: 'visitor.continue' }
  | { type: 'visitor.requestCallback' }
  | { type: 'form.submit'; form: CallbackForm }
  | { type: 'form.retry' }
  | { type: 'engine.crisisDetected'; match: CrisisMatch | null }
  /**
   * The page the visitor is on now (the widget sends it on every open): its path, campaign tags and
   * the host name of the site the visit came from (`ownHost`, the center's own site, is not a source).
   */
  | { type: 'host.page'; page: unknown; utm?: unknown; referrer?: unknown; ownHost?: string };

export interface IntakeContext {
  readonly flow: Flow;
  readonly input: IntakeInput;
  readonly locale: string;
  readonly answers: Answers;
  /** Steps answered or skipped, in order, before the current one; Back walks this list. */
  readonly path: readonly string[];
  /** The step being asked, or null outside the questions. */
  readonly stepId: string | null;
  readonly result: ReturnType<typeof triage> | null;
  /** What opened the crisis screen: the visitor's tap, an answer, or words they typed. */
  readonly crisis: { readonly by: 'visitor' | 'answer' | 'words'; readonly match: CrisisMatch | null } | null;
  readonly form: CallbackForm | null;
  readonly formIssues: readonly FormIssue[];
  /**
   * The name whose crisis words already opened the crisis screen from the form: sending it again
   * sends the request (the visitor chose to go on), a different one is checked again.
   */
  readonly acknowledgedName: string | null;
  /**
   * Belongs to one request: every retry of it is stored once, and a request the visitor changed after
   * trying to send it gets a new key (the server refuses a used key with another body).
   */
  readonly idempotencyKey: string | null;
  /** Made once per conversation and sent with each of its requests, so staff see they belong together. */
  readonly conversationId: string | null;
  readonly lead: Lead | null;
  readonly attempts: number;
  readonly failure: SubmitError | null;
  readonly receipt: LeadReceipt | null;
}

/** Waits between automatic retries of a failed submission: 1 s, 2 s, 4 s... at most 30 s. */
export const retryDelay = (attempts: number) => Math.min(30_000, 1_000 * 2 ** Math.max(0, attempts - 1));

/**
 * The intake conversation as an XState v5 machine. Two parallel regions: the dialogue, and the
 * crisis screen, which can open over any dialogue state without interrupting it (a lead being
 * submitted keeps going while the visitor reads 988/911). While the crisis screen is open the
 * dialogue takes no input; "continue" returns the visitor to exactly where they were.
 *
 * Effects are injected: `submitLead` (POST the lead) is provided by the caller with `.provide()`.
 */
export function createIntakeMachine(flow: Flow) {
  const freshConversation = (context: Pick<IntakeContext, 'locale'>) => ({
    locale: context.locale,
    answers: {},
    path: [],
    stepId: null,
    result: null,
    crisis: null,
    form: null,
    formIssues: [],
    acknowledgedName: null,
    idempotencyKey: null,
    conversationId: null,
    lead: null,
    attempts: 0,
    failure: null,
    receipt: null,
  });

  return setup({
    types: {
      context: {} as IntakeContext,
      events: {} as IntakeEvent,
      input: {} as IntakeInput,
    },
    actors: {
      submitLead: fromPromise<LeadReceipt, Lead>(async () => {
        throw new Error('No submitLead actor was provided: call machine.provide({ actors: { submitLead } })');
      }),
    },
    delays: {
      retryDelay: ({ context }) => retryDelay(context.attempts),
    },
    guards: {
      isListening: not(stateIn({ crisis: 'open' })),
      isFittingAnswer: ({ context, event }) => {
        assertEvent(event, 'visitor.answer');
        return context.stepId !== null && answerProblem(stepById(flow, context.stepId), event.value) === null;
      },
      isOptionalStep: ({ context }) => context.stepId !== null && stepById(flow, context.stepId).optional === true,
      hasEarlierStep: ({ context }) => context.path.length > 0,
      areQuestionsDone: ({ context }) => context.stepId === RESULT,
      isCompleteForm: ({ context, event }) => {
        assertEvent(event, 'form.submit');
        return buildLead(flow, context, event.form).ok;
      },
      hasNewCrisisWords: ({ context, event }) => {
        assertEvent(event, 'form.submit');
        return event.form.name !== context.acknowledgedName && formCrisis(context, event.form) !== null;
      },
      isRetryable: ({ context }) => context.failure?.retryable === true,
      isRejectedLead: ({ event }) => toSubmitError((event as { error?: unknown }).error).retryable === false,
      isKnownLocale: ({ event }) => {
        assertEvent(event, 'visitor.locale');
        return flow.locales.includes(event.locale);
      },
    },
    actions: {
      beginQuestions: assign({ stepId: () => flow.steps[0]?.id ?? RESULT, path: () => [] }),
      recordAnswer: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'visitor.answer');
        const stepId = context.stepId as string;
        const answers = { ...context.answers, [stepId]: event.value };
        enqueue.assign({ answers, path: [...context.path, stepId], stepId: nextStepId(flow, stepId, answers) });
        const words = typedCrisis(flow, { [stepId]: event.value }, {}, context.locale);
        // The crisis screen opens when the flow's crisis condition becomes true, or whenever typed
        // words sound like a crisis (docs/conversation.md: misses are not acceptable, false alarms are).
        const before = flow.crisis ? evaluate(flow.crisis, factsOf(flow, context.answers)).holds : false;
        const after = flow.crisis ? evaluate(flow.crisis, factsOf(flow, answers)).holds : false;
        if (words !== null || (after && !before)) enqueue.raise({ type: 'engine.crisisDetected', match: words });
      }),
      skipStep: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'visitor.skip');
        const stepId = context.stepId as string;
        const { [stepId]: _skipped, ...answers } = context.answers;
        enqueue.assign({ answers, path: [...context.path, stepId], stepId: nextStepId(flow, stepId, answers) });
        // Words typed and then skipped are not kept, but crisis words in them still open crisis help.
        const draft = typeof event.draft === 'string' ? event.draft : '';
        const words = draft === '' ? null : typedCrisis(flow, { [stepId]: draft }, {}, context.locale);
        if (words !== null) enqueue.raise({ type: 'engine.crisisDetected', match: words });
      }),
      // Back rewinds the conversation: the earlier step is asked again (its answer shown as chosen),
      // and the answers after it are dropped, so what follows is re-evaluated from the new answer.
      stepBack: assign(({ context }) => {
        const stepId = context.path.at(-1) as string;
        const path = context.path.slice(0, -1);
        const kept = new Set([...path, stepId]);
        const answers = Object.fromEntries(Object.entries(context.answers).filter(([id]) => kept.has(id)));
        return { path, stepId, answers, result: null };
      }),
      decide: assign({ result: ({ context }) => triage(flow, context.answers), stepId: null }),
      ensureKey: assign(({ context }) => {
        const newKey = context.input.newKey ?? fallbackKey;
        return {
          idempotencyKey: context.idempotencyKey ?? newKey(),
          conversationId: context.conversationId ?? newKey(),
        };
      }),
      acceptForm: assign(({ context, event }) => {
        assertEvent(event, 'form.submit');
        const built = buildLead(flow, context, event.form);
        // The name is typed too: crisis words in it make the request an emergency, as on the server.
        const result = triage(flow, context.answers, { name: event.form.name });
        const tried = context.lead;
        if (!built.ok || tried === null)
          return { form: event.form, formIssues: [], lead: built.ok ? built.lead : null, result };
        // Sent (or tried) before: the same request goes again byte for byte, a changed one as a new request.
        if (sameRequest(tried, built.lead)) return { form: event.form, formIssues: [], lead: tried, result };
        const idempotencyKey = (context.input.newKey ?? fallbackKey)();
        return { form: event.form, formIssues: [], lead: { ...built.lead, idempotencyKey }, idempotencyKey, result };
      }),
      // Crisis words in the name: the crisis screen opens over the form, which keeps what was typed;
      // "go back" returns to it, and sending again sends the request as it is.
      showFormCrisis: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'form.submit');
        enqueue.assign({ form: event.form, formIssues: [], acknowledgedName: event.form.name });
        enqueue.raise({ type: 'engine.crisisDetected', match: formCrisis(context, event.form) });
      }),
      notePage: assign({
        input: ({ context, event }) => {
          assertEvent(event, 'host.page');
          // The host page's script sends this through the shell: take only a string path and the
          // allow-listed campaign tags, so a malformed message can neither break nor bloat a lead.
          // Campaign tags seen earlier in the visit are kept when this page has none.
          const utm = campaignTags(event.utm);
          const referrer = referrerTag(event.referrer, event.ownHost);
          return {
            ...context.input,
            ...(typeof event.page === 'string' ? { page: event.page } : {}),
            ...(utm === undefined ? {} : { utm }),
            ...(referrer === undefined ? {} : { referrer }),
          };
        },
      }),
      rejectForm: assign(({ context, event }) => {
        assertEvent(event, 'form.submit');
        const built = buildLead(flow, context, event.form);
        return { form: event.form, formIssues: built.ok ? [] : built.issues };
      }),
      noteFailure: assign(({ context, event }) => ({
        attempts: context.attempts + 1,
        failure: toSubmitError((event as { error?: unknown }).error),
      })),
      showServerIssues: assign(({ event }) => {
        const failure = toSubmitError((event as { error?: unknown }).error);
        return { failure, formIssues: failure.issues };
      }),
      keepReceipt: assign({
        receipt: ({ event }) => (event as { output?: LeadReceipt }).output ?? null,
        failure: null,
      }),
      openCrisis: assign({
        crisis: ({ event }) =>
          event.type === 'engine.crisisDetected'
            ? { by: event.match ? ('words' as const) : ('answer' as const), match: event.match }
            : { by: 'visitor' as const, match: null },
      }),
      resetConversation: assign(({ context }) => freshConversation(context)),
      setLocale: assign({
        locale: ({ event }) => {
          assertEvent(event, 'visitor.locale');
          return event.locale;
        },
      }),
    },
  }).createMachine({
    id: 'intake',
    type: 'parallel',
    context: ({ input }) => ({
      flow,
      input,
      ...freshConversation({
        locale: input.locale && flow.locales.includes(input.locale) ? input.locale : (flow.locales[0] ?? 'en'),
      }),
    }),
    on: {
      // Switching language keeps every answer.
      'visitor.locale': { guard: 'isKnownLocale', actions: 'setLocale' },
      'host.page': { actions: 'notePage' },
    },
    states: {
      dialogue: {
        initial: 'greeting',
        on: {
          'visitor.restart': {
            guard: and(['isListening', not(stateIn({ dialogue: 'submitting' }))]),
            target: '.greeting',
            actions: 'resetConversation',
          },
        },
        states: {
          greeting: {
            on: { 'visitor.start': { guard: 'isListening', target: 'asking', actions: 'beginQuestions' } },
          },
          asking: {
            always: { guard: 'areQuestionsDone', target: 'result' },
            on: {
              'visitor.answer': { guard: and(['isListening', 'isFittingAnswer']), actions: 'recordAnswer' },
              'visitor.skip': { guard: and(['isListening', 'isOptionalStep']), actions: 'skipStep' },
              'visitor.back': [
                { guard: and(['isListening', 'hasEarlierStep']), actions: 'stepBack' },
                { guard: 'isListening', target: 'greeting' },
              ],
            },
          },
          result: {
            entry: 'decide',
            on: {
              'visitor.requestCallback': { guard: 'isListening', target: 'callbackForm' },
              'visitor.back': { guard: 'isListening', target: 'asking', actions: 'stepBack' },
            },
          },
          callbackForm: {
            entry: 'ensureKey',
            on: {
              'form.submit': [
                { guard: and(['isListening', 'hasNewCrisisWords']), actions: 'showFormCrisis' },
                { guard: and(['isListening', 'isCompleteForm']), target: 'submitting', actions: 'acceptForm' },
                { guard: 'isListening', actions: 'rejectForm' },
              ],
              'visitor.back': { guard: 'isListening', target: 'result' },
            },
          },
          submitting: {
            invoke: {
              id: 'submitLead',
              src: 'submitLead',
              input: ({ context }) => context.lead as Lead,
              onDone: { target: 'submitted', actions: 'keepReceipt' },
              onError: [
                // The server refused the lead as it is (say, a phone it cannot accept): the visitor
                // fixes the form; retrying the same body would fail the same way.
                { guard: 'isRejectedLead', target: 'callbackForm', actions: 'showServerIssues' },
                { target: 'submitFailed', actions: 'noteFailure' },
              ],
            },
          },
          submitFailed: {
            after: { retryDelay: { guard: 'isRetryable', target: 'submitting' } },
            on: {
              'form.retry': { guard: 'isListening', target: 'submitting' },
              'visitor.back': { guard: 'isListening', target: 'callbackForm' },
            },
          },
          submitted: {},
        },
      },
      crisis: {
        initial: 'closed',
        states: {
          closed: {
            on: {
              'visitor.crisis': { target: 'open', actions: 'openCrisis' },
              'engine.crisisDetected': { target: 'open', actions: 'openCrisis' },
            },
          },
          open: {
            on: { 'visitor.continue': { target: 'closed' } },
          },
        },
      },
    },
  });
}

export type IntakeMachine = ReturnType<typeof createIntakeMachine>;

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/** The allow-listed utm tags of a value, each text of at most 100 characters, or undefined. */
function campaignTags(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tags: Record<string, string> = {};
  for (const key of UTM_KEYS) {
    const tag = (value as Record<string, unknown>)[key];
    if (typeof tag === 'string' && tag !== '') tags[key] = tag.slice(0, 100);
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

/** Crisis words in what the visitor typed on the callback form: its name box. */
function formCrisis(context: IntakeContext, form: CallbackForm): CrisisMatch | null {
  return typedCrisis(context.flow, {}, { name: form.name }, context.locale);
}

/** Two bodies of one request: the same but for the key and the moment the consent box was ticked. */
function sameRequest(a: Lead, b: Lead): boolean {
  const plain = (lead: Lead) => JSON.stringify({ ...lead, idempotencyKey: '', consent: { ...lead.consent, at: '' } });
  return plain(a) === plain(b);
}

/** Only for runtimes without `crypto.randomUUID`; the widget always passes a real generator. */
function fallbackKey(): string {
  const hex = () =>
    Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return `k${hex()}${hex()}${hex()}${hex()}`;
}
