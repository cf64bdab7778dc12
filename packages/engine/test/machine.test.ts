import {
  type AnswerValue,
  type CallbackForm,
  createIntakeMachine,
  defaultFlow,
  type Flow,
  type IntakeInput,
  type Lead,
  type LeadReceipt,
  parseFlow,
  promptFor,
  stepById,
} from '@intake-chat/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise } from 'xstate';

const input: IntakeInput = {
  center: 'riverbend',
  consentVersion: 'consent-2026-11',
  page: '/programs/iop',
  utm: { source: 'newsletter' },
  newKey: () => crypto.randomUUID(),
};

const form: CallbackForm = {
  name: 'Sam',
  phone: '312.555.0142',
  bestTime: 'evening',
  voicemailOk: true,
  textOk: true,
  state: 'il',
  adult: true,
  consentCall: true,
  consentText: true,
};

/** A lead server that answers each submission with the next scripted outcome. */
function leadServer(
  ...outcomes: Array<LeadReceipt | Error | { message: string; retryable: false; issues: unknown[] }>
) {
  const received: Lead[] = [];
  const submitLead = fromPromise<LeadReceipt, Lead>(async ({ input: lead }) => {
    received.push(lead);
    const outcome = outcomes.shift() ?? { id: 'lead-1', callbackWindow: 'within 15 minutes' };
    if (outcome instanceof Error || 'retryable' in outcome) throw outcome;
    return outcome;
  });
  return { received, submitLead };
}

function start(flow: Flow = defaultFlow, server = leadServer(), overrides: Partial<IntakeInput> = {}) {
  const machine = createIntakeMachine(flow).provide({ actors: { submitLead: server.submitLead } });
  const actor = createActor(machine, { input: { ...input, ...overrides } });
  actor.start();
  const snap = () => actor.getSnapshot();
  return {
    actor,
    server,
    snap,
    step: () => snap().context.stepId,
    answer: (value: AnswerValue) => actor.send({ type: 'visitor.answer', value }),
    answerAll: (answers: Record<string, AnswerValue>) => {
      // Stops where the conversation cannot move on (the questions are done, or the crisis screen holds them).
      for (let step = snap().context.stepId; step !== null; ) {
        const value = answers[step];
        actor.send(value === undefined ? { type: 'visitor.skip' } : { type: 'visitor.answer', value });
        const next = snap().context.stepId;
        if (next === step) break;
        step = next;
      }
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const iopFit = {
  'for-whom': 'self',
  'safety-now': 'no',
  substances: ['cannabis'],
  'use-frequency': 'weekly',
  'withdrawal-signs': 'no',
  'mental-health': 'none',
  'recent-treatment': 'none',
  'home-safe': 'yes',
  support: 'yes',
  duties: ['work'],
  'hours-possible': 'yes',
  'schedule-pref': 'evening',
  coverage: 'private',
};

afterEach(() => {
  vi.useRealTimers();
});

describe('the intake conversation', () => {
  it('greets the visitor, then asks who the help is for', () => {
    const chat = start();
    expect(chat.snap().matches({ dialogue: 'greeting' })).toBe(true);
    chat.actor.send({ type: 'visitor.start' });
    expect(chat.step()).toBe('for-whom');
  });

  it('asks the next question after each answer and ignores answers that do not fit', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answer('maybe-later');
    expect(chat.step()).toBe('for-whom');
    chat.answer('self');
    expect(chat.step()).toBe('safety-now');
  });

  it('ends with the route, its urgency and reasons when the questions are done', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll(iopFit);
    expect(chat.snap().matches({ dialogue: 'result' })).toBe(true);
    expect(chat.snap().context.result).toMatchObject({ route: 'iop-fit', urgency: 'normal' });
  });

  it('lets the visitor skip optional questions but not the safety question', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answer('self');
    chat.actor.send({ type: 'visitor.skip' });
    expect(chat.step()).toBe('safety-now');
    chat.answer('no');
    chat.actor.send({ type: 'visitor.skip' });
    expect(chat.step()).toBe('use-frequency');
    expect(chat.snap().context.answers).not.toHaveProperty('substances');
  });

  it('routes a visitor who skips everything optional to talk it through', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll({ 'for-whom': 'loved-one', 'safety-now': 'no' });
    expect(chat.snap().context.result?.route).toBe('talk-first');
  });

  it('skips the schedule question for someone who cannot attend, and asks it again after Back', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll({ ...iopFit, 'hours-possible': 'no' });
    expect(chat.snap().context.path).not.toContain('schedule-pref');
    chat.actor.send({ type: 'visitor.back' });
    expect(chat.step()).toBe('anything-else');
    chat.actor.send({ type: 'visitor.back' });
    expect(chat.step()).toBe('coverage');
    chat.actor.send({ type: 'visitor.back' });
    expect(chat.step()).toBe('hours-possible');
    chat.answer('yes');
    expect(chat.step()).toBe('schedule-pref');
  });

  it('re-evaluates the result when Back changes an earlier answer', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll({ ...iopFit, coverage: 'medicaid' });
    expect(chat.snap().context.result?.route).toBe('iop-fit');
    for (let i = 0; i < 7; i++) chat.actor.send({ type: 'visitor.back' });
    expect(chat.step()).toBe('home-safe');
    expect(chat.snap().context.answers['home-safe']).toBe('yes');
    expect(chat.snap().context.answers).not.toHaveProperty('support');
    chat.answerAll({ ...iopFit, 'home-safe': 'no' });
    expect(chat.snap().context.result?.route).toBe('higher-care');
  });

  it('goes back to the greeting from the first question', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.actor.send({ type: 'visitor.back' });
    expect(chat.snap().matches({ dialogue: 'greeting' })).toBe(true);
  });

  it('switches language without losing answers', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answer('loved-one');
    chat.actor.send({ type: 'visitor.locale', locale: 'es' });
    chat.actor.send({ type: 'visitor.locale', locale: 'fr' });
    const { context } = chat.snap();
    expect(context.locale).toBe('es');
    expect(context.answers).toEqual({ 'for-whom': 'loved-one' });
    expect(promptFor(defaultFlow, stepById(defaultFlow, 'safety-now'), context.answers, context.locale)).toMatch(
      /persona por quien pregunta/,
    );
  });

  it('starts in the locale asked for, or the flow default for one it lacks', () => {
    expect(start(defaultFlow, leadServer(), { locale: 'es' }).snap().context.locale).toBe('es');
    expect(start(defaultFlow, leadServer(), { locale: 'de' }).snap().context.locale).toBe('en');
  });

  it('starts over with nothing kept', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll(iopFit);
    chat.actor.send({ type: 'visitor.restart' });
    expect(chat.snap().matches({ dialogue: 'greeting' })).toBe(true);
    expect(chat.snap().context).toMatchObject({ answers: {}, path: [], result: null, stepId: null });
  });
});

describe('crisis', () => {
  it('opens the crisis screen at once when the visitor says they are in danger', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answer('self');
    chat.answer('yes');
    expect(chat.snap().matches({ crisis: 'open' })).toBe(true);
    expect(chat.snap().context.crisis).toEqual({ by: 'answer', match: null });
  });

  it('takes no answers while the crisis screen is open, then continues where the visitor was', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll({ 'for-whom': 'self', 'safety-now': 'yes' });
    // answerAll stops at the first step it cannot move past: the crisis screen holds the dialogue.
    expect(chat.step()).toBe('substances');
    chat.answer(['alcohol']);
    chat.actor.send({ type: 'visitor.skip' });
    chat.actor.send({ type: 'visitor.restart' });
    expect(chat.step()).toBe('substances');
    chat.actor.send({ type: 'visitor.continue' });
    expect(chat.snap().matches({ crisis: 'closed' })).toBe(true);
    chat.answerAll({ ...iopFit, 'safety-now': 'yes' });
    expect(chat.snap().context.result?.route).toBe('crisis');
  });

  it('opens from any screen with one tap and returns to the same screen', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.crisis' });
    expect(chat.snap().context.crisis).toEqual({ by: 'visitor', match: null });
    chat.actor.send({ type: 'visitor.continue' });
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll(iopFit);
    chat.actor.send({ type: 'visitor.crisis' });
    chat.actor.send({ type: 'visitor.continue' });
    expect(chat.snap().matches({ dialogue: 'result', crisis: 'closed' })).toBe(true);
    expect(chat.snap().context.result?.route).toBe('iop-fit');
  });

  it('does not reopen on every later answer once the visitor chose to continue', () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll({ 'for-whom': 'self', 'safety-now': 'yes' });
    chat.actor.send({ type: 'visitor.continue' });
    chat.answer(['alcohol']);
    expect(chat.snap().matches({ crisis: 'closed' })).toBe(true);
  });

  it('opens when words typed into a text question sound like a crisis, and keeps them out of the way', () => {
    const flow = parseFlow({
      ...structuredClone(defaultFlow),
      steps: [
        {
          id: 'in-your-words',
          topic: 'notes',
          kind: 'text',
          optional: true,
          prompt: { en: 'Tell us', es: 'Cuéntenos' },
        },
        ...structuredClone(defaultFlow.steps),
      ],
    });
    const chat = start(flow);
    chat.actor.send({ type: 'visitor.start' });
    chat.answer('my brother took too many pills and wont wake up');
    expect(chat.snap().matches({ crisis: 'open' })).toBe(true);
    expect(chat.snap().context.crisis?.by).toBe('words');
    expect(chat.snap().context.crisis?.match).not.toBeNull();
    chat.actor.send({ type: 'visitor.continue' });
    expect(chat.step()).toBe('for-whom');
  });

  it('does not open for ordinary words typed into a text question', () => {
    const flow = parseFlow({
      ...structuredClone(defaultFlow),
      steps: [
        { id: 'in-your-words', topic: 'notes', kind: 'text', prompt: { en: 'Tell us', es: 'Cuéntenos' } },
        ...structuredClone(defaultFlow.steps),
      ],
    });
    const chat = start(flow);
    chat.actor.send({ type: 'visitor.start' });
    chat.answer('   ');
    expect(chat.step()).toBe('in-your-words');
    chat.answer('I work nights and need evening groups');
    expect(chat.snap().matches({ crisis: 'closed' })).toBe(true);
    expect(chat.step()).toBe('for-whom');
  });
});

describe('the callback form and submission', () => {
  async function atForm(server = leadServer()) {
    const chat = start(defaultFlow, server);
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll(iopFit);
    chat.actor.send({ type: 'visitor.requestCallback' });
    return chat;
  }

  it('shows what to fix and keeps what was typed when the form is incomplete', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'form.submit', form: { ...form, phone: '555-0142', consentCall: false } });
    const { context } = chat.snap();
    expect(chat.snap().matches({ dialogue: 'callbackForm' })).toBe(true);
    expect(context.formIssues.map((issue) => issue.path).sort()).toEqual(['consent.call', 'contact.phone']);
    expect(context.formIssues.find((issue) => issue.path === 'contact.phone')?.message).toMatch(/area code/);
    expect(context.form?.phone).toBe('555-0142');
    expect(chat.server.received).toEqual([]);
  });

  it('sends one lead with the answers, the contact in E.164 and the consent evidence', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'form.submit', form });
    expect(chat.snap().matches({ dialogue: 'submitting' })).toBe(true);
    await settle();
    expect(chat.snap().matches({ dialogue: 'submitted' })).toBe(true);
    expect(chat.snap().context.receipt).toEqual({ id: 'lead-1', callbackWindow: 'within 15 minutes' });
    const [lead] = chat.server.received;
    expect(lead).toMatchObject({
      center: 'riverbend',
      flow: { id: 'iop-intake', version: 2 },
      locale: 'en',
      answers: iopFit,
      contact: { name: 'Sam', phone: '+13125550142', state: 'IL', forWhom: 'self', adult: true },
      consent: { call: true, text: true, textVersion: 'consent-2026-11', page: '/programs/iop' },
      utm: { source: 'newsletter' },
    });
    expect(lead?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps every answer and retries with backoff when the server cannot be reached', async () => {
    vi.useFakeTimers();
    const chat = await atForm(leadServer(new Error('offline'), new Error('offline')));
    chat.actor.send({ type: 'form.submit', form });
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.snap().matches({ dialogue: 'submitFailed' })).toBe(true);
    expect(chat.snap().context.failure).toMatchObject({ message: 'offline', retryable: true });
    await vi.advanceTimersByTimeAsync(999);
    expect(chat.server.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(chat.server.received).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(chat.snap().matches({ dialogue: 'submitted' })).toBe(true);
    const keys = new Set(chat.server.received.map((lead) => lead.idempotencyKey));
    expect(chat.server.received).toHaveLength(3);
    expect(keys.size).toBe(1);
    expect(chat.snap().context.answers).toEqual(iopFit);
  });

  it('lets the visitor retry at once, with the same key', async () => {
    const chat = await atForm(leadServer(new Error('offline')));
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    chat.actor.send({ type: 'form.retry' });
    await settle();
    expect(chat.snap().matches({ dialogue: 'submitted' })).toBe(true);
    expect(chat.server.received[0]?.idempotencyKey).toBe(chat.server.received[1]?.idempotencyKey);
  });

  it('sends a request changed after a failed send under a new key, and the same request again under its own', async () => {
    const chat = await atForm(leadServer(new Error('offline'), new Error('offline')));
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    // Back to the form, nothing changed, sent again: the very same body, so the server finds one request.
    chat.actor.send({ type: 'visitor.back' });
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    // Back again, the phone corrected: a new request, with its own key, in the same conversation.
    chat.actor.send({ type: 'visitor.back' });
    chat.actor.send({ type: 'form.submit', form: { ...form, phone: '(312) 555-0199' } });
    await settle();
    const [first, again, corrected] = chat.server.received;
    expect(again).toEqual(first);
    expect(corrected?.contact.phone).toBe('+13125550199');
    expect(corrected?.idempotencyKey).not.toBe(first?.idempotencyKey);
    expect(corrected?.conversationId).toBe(first?.conversationId);
    expect(first?.conversationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a request whose answer was changed after a failed send under a new key', async () => {
    const chat = await atForm(leadServer(new Error('offline')));
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    // Back through the form, the result and the last (skipped) question to coverage, answered otherwise.
    for (let step = 0; step < 4; step++) chat.actor.send({ type: 'visitor.back' });
    expect(chat.step()).toBe('coverage');
    chat.answerAll({ coverage: 'medicaid' });
    chat.actor.send({ type: 'visitor.requestCallback' });
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    const [first, corrected] = chat.server.received;
    expect(corrected?.answers.coverage).toBe('medicaid');
    expect(corrected?.idempotencyKey).not.toBe(first?.idempotencyKey);
    expect(corrected?.conversationId).toBe(first?.conversationId);
  });

  it('gives a new conversation a new conversation id', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    chat.actor.send({ type: 'visitor.restart' });
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll(iopFit);
    chat.actor.send({ type: 'visitor.requestCallback' });
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    const [first, second] = chat.server.received;
    expect(second?.conversationId).not.toBe(first?.conversationId);
  });

  it('returns to the form with the server issues when the server refuses the lead as sent', async () => {
    const refusal = {
      message: 'Check the form',
      retryable: false as const,
      issues: [{ path: 'contact.phone', message: 'Enter a US phone number' }],
    };
    const chat = await atForm(leadServer(refusal));
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    expect(chat.snap().matches({ dialogue: 'callbackForm' })).toBe(true);
    expect(chat.snap().context.formIssues).toEqual(refusal.issues);
  });

  it('keeps submitting while the visitor opens the crisis screen', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'form.submit', form });
    chat.actor.send({ type: 'visitor.crisis' });
    await settle();
    expect(chat.snap().matches({ dialogue: 'submitted', crisis: 'open' })).toBe(true);
  });

  it('cannot be restarted mid-submission, so no lead is abandoned', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'form.submit', form });
    chat.actor.send({ type: 'visitor.restart' });
    await settle();
    expect(chat.snap().matches({ dialogue: 'submitted' })).toBe(true);
  });

  it('makes a new idempotency key for a new conversation after submitting', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    chat.actor.send({ type: 'visitor.restart' });
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll(iopFit);
    chat.actor.send({ type: 'visitor.requestCallback' });
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    const [first, second] = chat.server.received;
    expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
  });

  it('opens crisis help gently when the name holds crisis words, keeping the form as typed', async () => {
    const chat = await atForm();
    const words = { ...form, name: 'I want to kill myself' };
    chat.actor.send({ type: 'form.submit', form: words });
    expect(chat.snap().matches({ dialogue: 'callbackForm', crisis: 'open' })).toBe(true);
    expect(chat.snap().context.crisis).toMatchObject({ by: 'words', match: { kind: 'suicide' } });
    expect(chat.snap().context.form).toEqual(words);
    expect(chat.server.received).toEqual([]);
    // Going back returns to the form with everything kept; sending again sends it as an emergency.
    chat.actor.send({ type: 'visitor.continue' });
    expect(chat.snap().matches({ dialogue: 'callbackForm', crisis: 'closed' })).toBe(true);
    chat.actor.send({ type: 'form.submit', form: words });
    await settle();
    expect(chat.snap().matches({ dialogue: 'submitted' })).toBe(true);
    expect(chat.snap().context.result).toMatchObject({ route: 'crisis', urgency: 'emergency' });
    expect(chat.server.received).toHaveLength(1);
  });

  it('checks a changed name again, and sends an ordinary name without a crisis screen', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'form.submit', form: { ...form, name: 'quiero morir' } });
    chat.actor.send({ type: 'visitor.continue' });
    chat.actor.send({ type: 'form.submit', form: { ...form, name: 'I want to die' } });
    expect(chat.snap().matches({ crisis: 'open' })).toBe(true);
    chat.actor.send({ type: 'visitor.continue' });
    chat.actor.send({ type: 'form.submit', form });
    expect(chat.snap().matches({ dialogue: 'submitting', crisis: 'closed' })).toBe(true);
    expect(chat.snap().context.result).toMatchObject({ route: 'iop-fit', urgency: 'normal' });
  });

  it('stores the version of the consent text the visitor saw: call-only or call-and-text', async () => {
    const versions = { call: 'call-v1', callAndText: 'text-v1' };
    for (const [consentText, expected] of [
      [false, 'call-v1'],
      [true, 'text-v1'],
    ] as const) {
      const chat = start(defaultFlow, leadServer(), { consentVersion: versions });
      chat.actor.send({ type: 'visitor.start' });
      chat.answerAll(iopFit);
      chat.actor.send({ type: 'visitor.requestCallback' });
      chat.actor.send({ type: 'form.submit', form: { ...form, textOk: consentText, consentText } });
      await settle();
      expect(chat.server.received[0]?.consent).toMatchObject({ text: consentText, textVersion: expected });
    }
  });

  it('keeps the page the visitor is on now as consent evidence, a path alone, and earlier campaign tags', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'host.page', page: '/insurance' });
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    expect(chat.server.received[0]?.consent.page).toBe('/insurance');
    expect(chat.server.received[0]?.utm).toEqual({ source: 'newsletter' });

    const other = await atForm();
    other.actor.send({ type: 'host.page', page: '/search?q=detox', utm: { source: 'ads' } });
    other.actor.send({ type: 'form.submit', form });
    await settle();
    expect(other.server.received[0]?.consent).not.toHaveProperty('page');
    expect(other.server.received[0]?.utm).toEqual({ source: 'ads' });
  });

  it('explains what to fix in Spanish to a Spanish-speaking visitor', async () => {
    const chat = start(defaultFlow, leadServer(), { locale: 'es' });
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll(iopFit);
    chat.actor.send({ type: 'visitor.requestCallback' });
    chat.actor.send({ type: 'form.submit', form: { ...form, state: '', adult: false } });
    const messages = chat.snap().context.formIssues.map((issue) => issue.message);
    expect(messages).toEqual([
      'Elija de la lista el estado de EE. UU. donde vive',
      expect.stringMatching(/^Confirme que tiene 18 años o más/),
    ]);
  });

  it('opens crisis help for crisis words typed and then skipped, and keeps nothing of them', async () => {
    const chat = start();
    chat.actor.send({ type: 'visitor.start' });
    chat.answerAll({ ...iopFit });
    chat.actor.send({ type: 'visitor.back' });
    expect(chat.step()).toBe('anything-else');
    chat.actor.send({ type: 'visitor.skip', draft: 'i want to end my life' });
    expect(chat.snap().matches({ dialogue: 'result', crisis: 'open' })).toBe(true);
    expect(chat.snap().context.answers).not.toHaveProperty('anything-else');
  });

  it('takes only a text path and the allow-listed campaign tags from the host page', async () => {
    const chat = await atForm();
    chat.actor.send({ type: 'host.page', page: { toString: 1 }, utm: { source: 'ads', evil: 'x', medium: 7 } });
    chat.actor.send({ type: 'host.page', page: undefined, utm: 'source=ads' });
    chat.actor.send({ type: 'form.submit', form });
    await settle();
    expect(chat.snap().matches({ dialogue: 'submitted' })).toBe(true);
    expect(chat.server.received[0]?.consent.page).toBe('/programs/iop');
    expect(chat.server.received[0]?.utm).toEqual({ source: 'ads' });
  });

  it('says clearly when no lead server was provided', async () => {
    const actor = createActor(createIntakeMachine(defaultFlow), { input });
    actor.start();
    actor.send({ type: 'visitor.start' });
    for (const [, value] of Object.entries(iopFit)) actor.send({ type: 'visitor.answer', value });
    actor.send({ type: 'visitor.skip' });
    actor.send({ type: 'visitor.requestCallback' });
    actor.send({ type: 'form.submit', form });
    await settle();
    expect(actor.getSnapshot().context.failure?.message).toMatch(/No submitLead actor was provided/);
    actor.stop();
  });
});
