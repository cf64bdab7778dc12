import * as z from 'zod/mini';
import { isReferrerTag } from '../insight.js';
import {
  bestTimes,
  forWhomValues,
  isReadableName,
  isSafeName,
  MAX_PAGE_PATH,
  normalizeUsPhone,
  PAGE_PATH,
  PHONE_MESSAGE,
  contactMessages as say,
  usStates,
} from './contactRules.js';

export { isPagePath, normalizeUsPhone, PHONE_MESSAGE, type UsState, usStates } from './contactRules.js';

/**
 * The body of `POST /v1/leads`, shared by the widget (inline errors before sending) and the server
 * (the boundary parse). The server caps the body at 16 KB before parsing; these limits keep a lead
 * well under it. zod/mini ships no English messages, so every rule names its own, written for the
 * visitor or developer who has to fix the value.
 *
 * Objects strip unknown keys instead of rejecting them: a lead is never lost over an extra field, and
 * nothing outside the allow-list is stored (docs/conversation.md, data rules: minimum necessary). The server reads
 * its honeypot field from the raw body, before this schema drops it.
 */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LOCALE = /^[a-z]{2}(?:-[A-Z]{2})?$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/;

const MAX_ANSWERS = 40;

const slug = (what: string, example: string) =>
  z
    .string({ error: `Enter ${what}, like "${example}"` })
    .check(
      z.minLength(1, { error: `Enter ${what}, like "${example}"` }),
      z.maxLength(64, { error: `Use at most 64 characters for ${what}` }),
      z.regex(SLUG, { error: `Use lower-case letters, digits and hyphens for ${what}, like "${example}"` }),
    );

/** Step id -> a choice or typed text, or a list of choices for a multi-choice step. */
const answersSchema = z
  .record(
    slug('a step id', 'home-safe'),
    z.union(
      [
        z.string().check(z.maxLength(500, { error: 'Shorten this answer to 500 characters or fewer' })),
        z
          .array(z.string().check(z.maxLength(100, { error: 'Shorten this choice to 100 characters or fewer' })))
          // A refine, not maxLength: zod aborts an oversized array before the union can pick this
          // branch, which would leave only the vaguer union message.
          .check(z.refine((choices) => choices.length <= 20, { error: 'Pick at most 20 choices' })),
      ],
      { error: 'Each answer must be text or a list of choices' },
    ),
    {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? 'Answers are keyed by step id, like "home-safe"'
          : 'Send the answers as an object of step id to answer',
    },
  )
  .check(
    z.refine((answers) => Object.keys(answers).length <= MAX_ANSWERS, {
      error: `Send at most ${MAX_ANSWERS} answers`,
    }),
  );

/** The callback set of docs/conversation.md (minimum necessary): nothing else about the person is collected. */
export const contactSchema = z.object(
  {
    name: z
      .string({ error: say.name })
      .check(
        z.trim(),
        z.minLength(1, { error: say.name }),
        z.maxLength(60, { error: say.nameTooLong }),
        z.refine(isSafeName, { error: say.nameUnsafe }),
        z.refine(isReadableName, { error: say.nameUnreadable }),
      ),
    phone: z.pipe(
      z.string({ error: PHONE_MESSAGE }),
      z.transform((input: string, ctx) => {
        const phone = normalizeUsPhone(input);
        if (phone === null) {
          ctx.issues.push({ code: 'custom', message: PHONE_MESSAGE, input });
          return z.NEVER;
        }
        return phone;
      }),
    ),
    bestTime: z.enum(bestTimes, { error: say.bestTime }),
    voicemailOk: z.boolean({ error: say.voicemailOk }),
    textOk: z.boolean({ error: say.textOk }),
    state: z.pipe(
      z.string({ error: say.stateCode }).check(z.trim(), z.toUpperCase()),
      z.enum(usStates, { error: say.stateCode }),
    ),
    adult: z.literal(true, { error: say.adult }),
    forWhom: z.enum(forWhomValues, { error: say.forWhom }),
  },
  { error: 'Add contact details so we can call you back' },
);

/** Consent evidence stored with every lead (docs/conversation.md): text version, each box's state, time, page path. */
export const consentSchema = z.object(
  {
    // The call-consent box is separate and starts unticked; without it there is no one to call back.
    call: z.literal(true, { error: say.consentCall }),
    text: z.boolean({ error: say.consentText }),
    textVersion: z
      .string({ error: 'Send the version of the consent text shown' })
      .check(
        z.minLength(1, { error: 'Send the version of the consent text shown' }),
        z.maxLength(64, { error: 'Shorten the consent text version to 64 characters or fewer' }),
      ),
    at: z.iso.datetime({
      offset: true,
      error: 'Send the consent time as an ISO 8601 date and time, like 2025-01-31T22:15:00Z',
    }),
    page: z.optional(
      z
        .string({ error: 'Send the page as a path, like /admissions' })
        .check(
          z.maxLength(MAX_PAGE_PATH, { error: 'Shorten the page path to 512 characters or fewer' }),
          z.regex(PAGE_PATH, { error: 'Send the page path only, like /admissions, without a query string or #' }),
        ),
    ),
  },
  { error: 'Add the consent details' },
);

const utmValue = z.optional(
  z
    .string({ error: 'Each utm value must be text' })
    .check(z.maxLength(100, { error: 'Shorten each utm value to 100 characters or fewer' })),
);

export const leadSchema = z.object(
  {
    idempotencyKey: z.string({ error: 'Send an idempotency key, such as a UUID' }).check(
      z.regex(IDEMPOTENCY_KEY, {
        error: 'The idempotency key must be 16-64 letters, digits, "_" or "-"; a UUID fits',
      }),
    ),
    // One conversation's requests share it, so staff see that a corrected request follows an earlier one.
    conversationId: z.optional(
      z
        .string({ error: 'Send the conversation id as text' })
        .check(z.regex(IDEMPOTENCY_KEY, { error: 'The conversation id must be 16-64 letters, digits, "_" or "-"' })),
    ),
    center: slug('the center id', 'riverbend'),
    flow: z.object(
      {
        id: slug('the flow id', 'iop-intake'),
        version: z
          .int({ error: 'The flow version must be a whole number' })
          .check(z.positive({ error: 'The flow version starts at 1' })),
      },
      { error: 'Send the flow as { id, version }' },
    ),
    locale: z
      .string({ error: 'Send a locale, like "en" or "es"' })
      .check(z.regex(LOCALE, { error: 'Send a locale, like "en" or "es"' })),
    answers: answersSchema,
    contact: contactSchema,
    consent: consentSchema,
    // Allow-listed campaign tags only; anything else a link carries is dropped, never stored.
    utm: z.optional(
      z.object(
        { source: utmValue, medium: utmValue, campaign: utmValue, term: utmValue, content: utmValue },
        { error: 'Send utm as an object of campaign tags' },
      ),
    ),
    // The site the visit came from, as a host name alone: counted by source with staff outcomes.
    referrer: z.optional(
      z.string({ error: 'Send the referrer as a host name, like "search.example"' }).check(
        z.refine(isReferrerTag, {
          error:
            'Send the referrer as a lower-case host name alone, like "search.example", without www., a path or a query',
        }),
      ),
    ),
  },
  { error: 'Send the lead as a JSON object' },
);

export type LeadInput = z.input<typeof leadSchema>;
export type Lead = z.output<typeof leadSchema>;
export type LeadIssue = { path: string; message: string };

/**
 * Parses a request body into a lead, or lists what to fix with dotted paths (`contact.phone`)
 * for the server's 400 `{ error: { code, message, issues } }` and the widget's inline errors.
 * A problem with the body as a whole has the empty path.
 */
export function leadProblems(body: unknown): { ok: true; lead: Lead } | { ok: false; issues: LeadIssue[] } {
  const result = leadSchema.safeParse(body);
  if (result.success) return { ok: true, lead: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
}
