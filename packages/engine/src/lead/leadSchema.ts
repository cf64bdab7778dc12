import * as z from 'zod/mini';

/**
 * The body of `POST /v1/leads`, shared by the widget (inline errors before sending) and the server
 * (the boundary parse). The server caps the body at 16 KB before parsing; these limits keep a lead
 * well under it. zod/mini ships no English messages, so every rule names its own, written for the
 * visitor or developer who has to fix the value.
 *
 * Objects strip unknown keys instead of rejecting them: a lead is never lost over an extra field, and
 * nothing outside the allow-list is stored (DOMAIN.md, data rules: minimum necessary). The server reads
 * its honeypot field from the raw body, before this schema drops it.
 */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LOCALE = /^[a-z]{2}(?:-[A-Z]{2})?$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/;
/** C0/C1 controls and bidi overrides, which could break or disguise a name in the staff console. */
const UNSAFE_NAME = /[\p{Cc}\u202A-\u202E\u2066-\u2069<>]/u;
/** Half of a surrogate pair on its own: not text at all, and it breaks e-mails and CSV exports. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A name staff can read aloud has at least one letter or digit (not only zero-width or symbols). */
const READABLE = /[\p{L}\p{N}]/u;
/** A path only: a query string or fragment may carry health details (DOMAIN.md, consent evidence). */
const PAGE_PATH = /^\/(?!\/)[^?#\s]*$/;

export const PHONE_MESSAGE = 'Enter a US phone number with area code, like (312) 555-0142';
const MAX_ANSWERS = 40;

/** USPS codes of the states, DC and the inhabited territories. */
export const usStates = [
  ...['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY'],
  ...['LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND'],
  ...['OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY'],
  ...['DC', 'PR', 'GU', 'VI', 'AS', 'MP'],
] as const;
export type UsState = (typeof usStates)[number];

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

/** The callback set of DOMAIN.md (minimum necessary): nothing else about the person is collected. */
export const contactSchema = z.object(
  {
    name: z.string({ error: 'Enter a first name or nickname' }).check(
      z.trim(),
      z.minLength(1, { error: 'Enter a first name or nickname' }),
      z.maxLength(60, { error: 'Shorten the name to 60 characters or fewer' }),
      z.refine((name) => !UNSAFE_NAME.test(name) && !LONE_SURROGATE.test(name), {
        error: 'Remove < > and special characters from the name',
      }),
      z.refine((name) => name === '' || READABLE.test(name), {
        error: 'Enter a first name or nickname with at least one letter',
      }),
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
    bestTime: z.enum(['morning', 'afternoon', 'evening', 'anytime'], {
      error: 'Choose the best time to call: morning, afternoon, evening or anytime',
    }),
    voicemailOk: z.boolean({ error: 'Choose whether we may leave a voicemail' }),
    textOk: z.boolean({ error: 'Choose whether we may send a text' }),
    state: z.pipe(
      z.string({ error: 'Choose your US state' }).check(z.trim(), z.toUpperCase()),
      z.enum(usStates, { error: 'Choose your US state, like IL or TX' }),
    ),
    adult: z.literal(true, {
      error: 'Please confirm you are 18 or older. If you are under 18, call the center, or call or text 988 any time.',
    }),
    forWhom: z.enum(['self', 'loved-one'], { error: 'Choose whether this is for you or for a loved one' }),
  },
  { error: 'Add contact details so we can call you back' },
);

/** Consent evidence stored with every lead (DOMAIN.md): text version, each box's state, time, page path. */
export const consentSchema = z.object(
  {
    // The call-consent box is separate and starts unticked; without it there is no one to call back.
    call: z.literal(true, { error: 'Tick the box that lets us call you back. We cannot call without it.' }),
    text: z.boolean({ error: 'Choose whether we may text you' }),
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
          z.maxLength(512, { error: 'Shorten the page path to 512 characters or fewer' }),
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

/**
 * A US (NANP) number in any common written form as E.164 (`+13125550142`), or null.
 * Accepts digits with spaces, dots, hyphens and parentheses, after an optional `1` or `+1`.
 * Area code and exchange start with 2-9 (NANP numbering plan); N11 area codes (211-911) are service
 * codes, never area codes. Letters (vanity numbers, "ext.") are rejected so nothing is guessed.
 */
export function normalizeUsPhone(input: string): string | null {
  const text = input.trim();
  if (text.length > 30 || !/^\+?[\d\s().-]+$/.test(text)) return null;
  let digits = text.replace(/\D/g, '');
  if (text.startsWith('+') && !digits.startsWith('1')) return null; // another country's code
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return null;
  if (digits.slice(1, 3) === '11') return null;
  return `+1${digits}`;
}
