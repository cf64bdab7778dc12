import type { LeadInput } from '@intake-chat/engine/schema';

/** What a visitor typed into the callback form of `validLead()`; tests look for it where it must not be. */
export const visitor = {
  name: 'Marisol',
  phone: '(312) 555-0142',
  phoneE164: '+13125550142',
} as const;

/** Answers of the default flow that lead to `iop-fit`: a safe home, support, and time for ~9 hours a week. */
export const iopFitAnswers = {
  'for-whom': 'self',
  'safety-now': 'no',
  substances: ['cannabis', 'stimulants'],
  'use-frequency': 'weekly',
  'withdrawal-signs': 'no',
  'mental-health': 'some',
  'recent-treatment': 'none',
  'home-safe': 'yes',
  support: 'some',
  duties: ['work', 'caregiving'],
  'hours-possible': 'maybe',
  'schedule-pref': 'evening',
  coverage: 'medicaid',
} satisfies Record<string, string | string[]>;

export interface LeadOverrides {
  readonly [field: string]: unknown;
  /** Merged into the default contact; a field set to `undefined` is left out of the JSON. */
  readonly contact?: Record<string, unknown>;
  readonly consent?: Record<string, unknown>;
  /** Merged into `iopFitAnswers`. */
  readonly answers?: Record<string, unknown>;
}

/**
 * A lead for the demo center `riverbend` as the widget sends it, with a fresh idempotency key.
 * Overrides replace top-level fields and are merged into contact, consent and answers.
 */
export function validLead(overrides: LeadOverrides = {}): LeadInput {
  const { contact, consent, answers, ...rest } = overrides;
  return {
    idempotencyKey: crypto.randomUUID(),
    center: 'riverbend',
    flow: { id: 'iop-intake', version: 1 },
    locale: 'en',
    ...rest,
    answers: { ...iopFitAnswers, ...answers },
    contact: {
      name: visitor.name,
      phone: visitor.phone,
      bestTime: 'evening',
      voicemailOk: true,
      textOk: false,
      state: 'IL',
      adult: true,
      forWhom: 'self',
      ...contact,
    },
    consent: {
      call: true,
      text: false,
      textVersion: '2026-12-riverbend-call-v1',
      at: '2026-03-16T15:00:00.000Z',
      page: '/admissions',
      ...consent,
    },
  } as LeadInput;
}
