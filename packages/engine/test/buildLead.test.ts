import { buildLead, type CallbackForm, defaultFlow } from '@intake-chat/engine';
import { fieldMessages, leadProblems } from '@intake-chat/engine/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The widget checks the callback form without zod (its bundle budget has no room for a schema
// library); the server parses with the zod schema. These properties hold the two to one verdict.

const context = {
  input: { center: 'riverbend', consentVersion: '2026-11-v1', page: '/admissions' },
  locale: 'en',
  answers: { 'for-whom': 'self', 'safety-now': 'no' },
  idempotencyKey: '3f0c2a4e-9a0b-4a5e-8a57-1f2d3c4b5a69',
};

const tricky = [
  '',
  ' ',
  'Sam',
  '  Sam ',
  'José',
  '李',
  '<b>',
  'a\u202Eb',
  '\u200B',
  '\uD800',
  '😀',
  '!!!',
  'x'.repeat(60),
  ` ${'x'.repeat(60)} `,
  'x'.repeat(61),
];
const phones = [
  '(312) 555-0142',
  '312.555.0142',
  '+1 312 555 0142',
  '13125550142',
  '911',
  '(111) 555-0142',
  '+44 20 7946 0958',
  'call me',
  '',
];
const states = ['IL', 'il', ' tx ', 'ZZ', '', 'Illinois', 'PR'];

const form = fc.record({
  name: fc.oneof(fc.constantFrom(...tricky), fc.string({ maxLength: 70 })),
  phone: fc.oneof(fc.constantFrom(...phones), fc.string({ maxLength: 20 })),
  bestTime: fc.constantFrom('morning', 'afternoon', 'evening', 'anytime', 'noon', ''),
  voicemailOk: fc.boolean(),
  textOk: fc.boolean(),
  state: fc.oneof(fc.constantFrom(...states), fc.string({ maxLength: 4 })),
  adult: fc.boolean(),
  forWhom: fc.option(fc.constantFrom('self', 'loved-one', 'neighbour'), { nil: undefined }),
  consentCall: fc.boolean(),
  consentText: fc.boolean(),
});

/** The same form as the raw body a careless client might send, for the schema to judge. */
function rawBody(values: CallbackForm) {
  return {
    idempotencyKey: context.idempotencyKey,
    center: 'riverbend',
    flow: { id: defaultFlow.id, version: defaultFlow.version },
    locale: 'en',
    answers: context.answers,
    contact: {
      name: values.name,
      phone: values.phone,
      bestTime: values.bestTime,
      voicemailOk: values.voicemailOk,
      textOk: values.textOk,
      state: values.state,
      adult: values.adult,
      forWhom: values.forWhom ?? context.answers['for-whom'],
    },
    consent: {
      call: values.consentCall,
      text: values.consentText,
      textVersion: '2026-11-v1',
      at: new Date().toISOString(),
      page: '/admissions',
    },
  };
}

describe('the callback form check the widget runs', () => {
  it('accepts exactly the forms the server accepts, and reports the same problems in the same words', () => {
    // One wording differs on purpose: the form's state is a list of names, so an empty one is
    // "choose from the list", where the API says which codes it takes.
    const forTheForm = (issue: { path: string; message: string }) =>
      issue.message === fieldMessages.en.state ? { ...issue, message: fieldMessages.en.stateCode } : issue;
    fc.assert(
      fc.property(form, (values) => {
        const built = buildLead(defaultFlow, context, values as CallbackForm);
        const parsed = leadProblems(rawBody(values as CallbackForm));
        expect(built.ok).toBe(parsed.ok);
        if (!built.ok && !parsed.ok) expect(built.issues.map(forTheForm)).toEqual(parsed.issues);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same problems in Spanish, each in the words of the one table', () => {
    fc.assert(
      fc.property(form, (values) => {
        const english = buildLead(defaultFlow, context, values as CallbackForm);
        const spanish = buildLead(defaultFlow, { ...context, locale: 'es' }, values as CallbackForm);
        expect(spanish.ok).toBe(english.ok);
        if (english.ok || spanish.ok) return;
        const keyOf = (message: string) => Object.entries(fieldMessages.en).find(([, words]) => words === message)?.[0];
        expect(spanish.issues.map((issue) => issue.path)).toEqual(english.issues.map((issue) => issue.path));
        english.issues.forEach((issue, i) => {
          const key = keyOf(issue.message) as keyof typeof fieldMessages.es;
          expect(spanish.issues[i]?.message).toBe(fieldMessages.es[key]);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('sends the lead the server would store: trimmed name, E.164 phone, upper-case state', () => {
    fc.assert(
      fc.property(form, (values) => {
        const built = buildLead(defaultFlow, context, values as CallbackForm);
        if (!built.ok) return;
        const parsed = leadProblems(built.lead);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.lead).toEqual(built.lead);
      }),
      { numRuns: 3000 },
    );
  });

  it('tells a visitor who left everything empty what each field needs', () => {
    const built = buildLead(defaultFlow, context, {
      name: '',
      phone: '',
      bestTime: 'anytime',
      voicemailOk: false,
      textOk: false,
      state: '',
      adult: false,
      consentCall: false,
      consentText: false,
    });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.issues.map((issue) => issue.path)).toEqual([
      'contact.name',
      'contact.phone',
      'contact.state',
      'contact.adult',
      'consent.call',
    ]);
    expect(built.issues[1]?.message).toBe('Enter a US phone number with area code, like (312) 555-0142');
  });
});
