import { evaluate, factsOf } from './conditions.js';
import type { Answers, AnswerValue, Flow, LocalizedText, Step } from './flowSchema.js';

/** Where the questions end and the result begins. */
export const RESULT = 'result';

/** The longest text answer a text step accepts when the flow does not say. */
export const DEFAULT_TEXT_LIMIT = 280;

/**
 * The step after `stepId` given the answers so far: the first transition whose condition holds,
 * otherwise the next step in the flow's order, otherwise the result.
 */
export function nextStepId(flow: Flow, stepId: string, answers: Answers): string {
  const index = flow.steps.findIndex((step) => step.id === stepId);
  const step = flow.steps[index];
  if (step === undefined) throw new Error(`nextStepId: the flow has no step "${stepId}"`);
  const facts = factsOf(flow, answers);
  const taken = step.next?.find((transition) => !transition.when || evaluate(transition.when, facts).holds);
  return taken?.goto ?? flow.steps[index + 1]?.id ?? RESULT;
}

export function stepById(flow: Flow, stepId: string): Step {
  const step = flow.steps.find((candidate) => candidate.id === stepId);
  if (step === undefined) throw new Error(`the flow "${flow.id}" has no step "${stepId}"`);
  return step;
}

/** Copy in the locale asked for, else in the flow's default locale. */
export function localize(text: LocalizedText, locale: string, flow: Flow): string {
  return text[locale] ?? text[flow.locales[0] ?? 'en'] ?? Object.values(text)[0] ?? '';
}

/** The question as this visitor should read it: the first variant whose condition holds, else the prompt. */
export function promptFor(flow: Flow, step: Step, answers: Answers, locale: string): string {
  const facts = factsOf(flow, answers);
  const variant = step.variants?.find((candidate) => evaluate(candidate.when, facts).holds);
  return localize(variant?.prompt ?? step.prompt, locale, flow);
}

/** The chosen options' labels, or the visitor's own words for a text step. */
export function answerLabels(flow: Flow, step: Step, value: AnswerValue, locale: string): string[] {
  if (step.kind === 'text') return [String(value)];
  const chosen = typeof value === 'string' ? [value] : value;
  return (step.options ?? [])
    .filter((option) => chosen.includes(option.value))
    .map((option) => localize(option.label, locale, flow));
}

/**
 * Why an answer does not fit its step, or null when it does. The machine ignores answers that
 * do not fit; the server uses the same check on a lead's answers.
 */
export function answerProblem(step: Step, value: unknown): string | null {
  const values = new Set((step.options ?? []).map((option) => option.value));
  if (step.kind === 'text') {
    if (typeof value !== 'string' || value.trim() === '') return 'type an answer, or skip the question';
    const limit = step.maxLength ?? DEFAULT_TEXT_LIMIT;
    return value.length > limit ? `keep the answer under ${limit} characters` : null;
  }
  if (step.kind === 'choice') {
    return typeof value === 'string' && values.has(value) ? null : `choose one of: ${[...values].join(', ')}`;
  }
  if (!Array.isArray(value) || value.length === 0) return 'choose at least one option';
  if (new Set(value).size !== value.length) return 'choose each option once';
  const unknown = value.find((candidate) => !values.has(candidate));
  if (unknown !== undefined) return `"${String(unknown)}" is not an option; choose from: ${[...values].join(', ')}`;
  const exclusive = (step.options ?? []).find((option) => option.exclusive && value.includes(option.value));
  if (exclusive && value.length > 1) return `"${exclusive.value}" cannot be combined with other options`;
  return null;
}

/**
 * Checks a whole set of answers against a flow, for a server that receives them from a browser:
 * every key must be a step of the flow and every value must fit its step. Paths are dotted, like
 * the lead schema's (`answers.home-safe`).
 */
export function answersProblems(
  flow: Flow,
  answers: Readonly<Record<string, unknown>>,
): { path: string; message: string }[] {
  return Object.entries(answers).flatMap(([stepId, value]) => {
    const path = `answers.${stepId}`;
    const step = flow.steps.find((candidate) => candidate.id === stepId);
    if (step === undefined) return [{ path, message: `the flow "${flow.id}" has no such step` }];
    const problem = answerProblem(step, value);
    return problem === null ? [] : [{ path, message: problem }];
  });
}
