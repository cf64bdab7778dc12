import * as z from 'zod/mini';

/**
 * The JSON shape of a flow. `parseFlow` checks this shape first, then the cross-references
 * (step ids, option values, locales, reason copy) that a schema alone cannot express.
 */

const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const LOCALE = /^[a-z]{2}(?:-[A-Z]{2})?$/;

const slug = (what: string) =>
  z.string({ error: `${what} must be a string` }).check(
    z.regex(SLUG, {
      error: `${what} must be a lower-case slug such as "home-safe" (letters, digits and single hyphens, starting with a letter)`,
    }),
  );

/** Copy in each of the flow's locales: `{ "en": "...", "es": "..." }`. */
export const localizedTextSchema = z.record(
  z.string().check(z.regex(LOCALE, { error: 'locale keys look like "en" or "es"' })),
  z.string({ error: 'copy must be a string' }).check(z.minLength(1, { error: 'copy must not be empty' })),
  { error: 'expected copy per locale, such as { "en": "Hello", "es": "Hola" }' },
);

/**
 * Conditions are plain data in a small declarative language; the engine never evaluates code.
 * Their structure is checked by `parseFlow` (with messages that say how to write each form),
 * so the schema only asks for an object here.
 */
const conditionSchema = z.custom<Condition>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'a condition must be an object such as { "answer": "home-safe", "equals": "yes" }' },
);

export const urgencies = ['emergency', 'urgent', 'high', 'normal'] as const;
export const stepKinds = ['choice', 'multi', 'text'] as const;
export const signals = ['crisis-language'] as const;

const optionSchema = z.strictObject({
  value: slug('an option value'),
  label: localizedTextSchema,
  /** Points this option adds to named scores, for `{ "score": ..., "atLeast": n }` conditions. */
  points: z.optional(z.record(z.string(), z.number({ error: 'points must be numbers' }))),
  /** In a multi-choice step, an option that cannot be combined with others ("None of these"). */
  exclusive: z.optional(z.boolean()),
});

const transitionSchema = z.strictObject({
  when: z.optional(conditionSchema),
  /** A later step's id, or "result" to end the questions. */
  goto: z.string({ error: 'goto must name a step id or "result"' }),
});

const stepSchema = z.strictObject({
  id: slug('a step id'),
  /** What the question is about: severity, support, flexibility, cost... Used for grouping in the console. */
  topic: slug('a topic'),
  kind: z.enum(stepKinds, { error: 'kind must be "choice", "multi" or "text"' }),
  prompt: localizedTextSchema,
  /** Alternative prompts, first matching wins; e.g. "they" instead of "you" for a loved one. */
  variants: z.optional(z.array(z.strictObject({ when: conditionSchema, prompt: localizedTextSchema }))),
  help: z.optional(localizedTextSchema),
  optional: z.optional(z.boolean()),
  options: z.optional(z.array(optionSchema)),
  /** For text steps: the longest answer accepted (default 280 characters). */
  maxLength: z.optional(z.int().check(z.minimum(1), z.maximum(2000, { error: 'maxLength is at most 2000' }))),
  next: z.optional(z.array(transitionSchema)),
});

const routeSchema = z.strictObject({
  urgency: z.enum(urgencies, { error: 'urgency must be "emergency", "urgent", "high" or "normal"' }),
  title: localizedTextSchema,
  message: localizedTextSchema,
});

const triageRuleSchema = z.strictObject({
  route: slug('a route id'),
  when: z.optional(conditionSchema),
  /** Reason keys shown when the rule's condition names none of its own. */
  reasons: z.optional(z.array(z.string())),
});

export const flowSchema = z.strictObject({
  id: slug('the flow id'),
  version: z.int({ error: 'version must be a whole number' }).check(z.minimum(1, { error: 'version starts at 1' })),
  /** The first locale is the default. */
  locales: z
    .array(z.string().check(z.regex(LOCALE, { error: 'a locale looks like "en" or "es"' })))
    .check(z.minLength(1, { error: 'list at least one locale, such as ["en"]' })),
  messages: z.strictObject({
    greeting: localizedTextSchema,
    /** "This is not a diagnosis or medical advice." Shown with every result. */
    disclaimer: localizedTextSchema,
  }),
  steps: z.array(stepSchema).check(z.minLength(1, { error: 'a flow needs at least one step' })),
  /** Opens the crisis screen at once when it becomes true after an answer. */
  crisis: z.optional(conditionSchema),
  routes: z.record(z.string(), routeSchema),
  triage: z.array(triageRuleSchema).check(z.minLength(1, { error: 'list at least one triage rule' })),
  reasons: z.record(z.string(), localizedTextSchema),
});

export type LocalizedText = Record<string, string>;
export type Urgency = (typeof urgencies)[number];
export type StepKind = (typeof stepKinds)[number];
export type Signal = (typeof signals)[number];
export type Flow = z.infer<typeof flowSchema>;
export type Step = Flow['steps'][number];
export type StepOption = NonNullable<Step['options']>[number];
export type Route = Flow['routes'][string];
export type TriageRule = Flow['triage'][number];

/** An answer: one value for a choice, several for a multi-choice, the visitor's words for text. */
export type AnswerValue = string | readonly string[];
export type Answers = Readonly<Record<string, AnswerValue>>;

/**
 * The condition language. Any form may carry a `reason` key: when the form holds and helps
 * its rule match, the reason's copy is shown to the visitor ("You said you feel shaky...").
 */
export type Condition = (
  | { all: readonly Condition[] }
  | { any: readonly Condition[] }
  | { not: Condition }
  | { answer: string; equals: string }
  | { answer: string; includes: string }
  | { answer: string; in: readonly string[] }
  | { answered: string }
  | { score: string; atLeast: number }
  | { signal: Signal }
) & { reason?: string };
