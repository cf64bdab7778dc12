import { type TypedFields, typedCrisis } from '../crisis/typedCrisis.js';
import type { Answers, Condition, Flow, Signal } from './flowSchema.js';
import { signals } from './flowSchema.js';

/** What conditions are evaluated against: the answers, and what the engine derives from them. */
export interface Facts {
  readonly answers: Answers;
  readonly scores: Readonly<Record<string, number>>;
  readonly signals: ReadonlySet<Signal>;
}

export interface Evaluation {
  readonly holds: boolean;
  /** Reason keys of the forms that hold and make the whole condition hold. */
  readonly reasons: readonly string[];
}

/** Evaluates a condition. Pure data in, pure data out: no `eval`, no `new Function`. */
export function evaluate(condition: Condition, facts: Facts): Evaluation {
  const inner = evaluateForm(condition, facts);
  if (!inner.holds || condition.reason === undefined) return inner;
  return { holds: true, reasons: [condition.reason, ...inner.reasons] };
}

function evaluateForm(condition: Condition, facts: Facts): Evaluation {
  if ('all' in condition) {
    const parts = condition.all.map((part) => evaluate(part, facts));
    const holds = parts.every((part) => part.holds);
    return { holds, reasons: holds ? parts.flatMap((part) => part.reasons) : [] };
  }
  if ('any' in condition) {
    const held = condition.any.map((part) => evaluate(part, facts)).filter((part) => part.holds);
    return { holds: held.length > 0, reasons: held.flatMap((part) => part.reasons) };
  }
  if ('not' in condition) return { holds: !evaluate(condition.not, facts).holds, reasons: [] };
  if ('answered' in condition) return plain(condition.answered in facts.answers);
  if ('score' in condition) return plain((facts.scores[condition.score] ?? 0) >= condition.atLeast);
  if ('signal' in condition) return plain(facts.signals.has(condition.signal));
  const answer = facts.answers[condition.answer];
  if (answer === undefined) return plain(false);
  if ('equals' in condition) return plain(answer === condition.equals);
  if ('includes' in condition) return plain(typeof answer !== 'string' && answer.includes(condition.includes));
  const chosen = typeof answer === 'string' ? [answer] : answer;
  return plain(chosen.some((value) => condition.in.includes(value)));
}

const plain = (holds: boolean): Evaluation => ({ holds, reasons: [] });

/**
 * Derives the facts of a set of answers: scores from option points, and signals such as crisis
 * language in any text answer or in the other fields the visitor typed (`typed`, the contact name).
 * Only steps of the flow count; unknown keys are ignored.
 */
export function factsOf(flow: Flow, answers: Answers, typed: TypedFields = {}): Facts {
  const scores: Record<string, number> = {};
  const found = new Set<Signal>();
  for (const step of flow.steps) {
    const answer = answers[step.id];
    if (answer === undefined) continue;
    if (step.kind === 'text') continue;
    const chosen = typeof answer === 'string' ? [answer] : answer;
    for (const option of step.options ?? []) {
      if (!chosen.includes(option.value)) continue;
      for (const [score, points] of Object.entries(option.points ?? {})) {
        scores[score] = (scores[score] ?? 0) + points;
      }
    }
  }
  if (typedCrisis(flow, answers, typed) !== null) found.add('crisis-language');
  return { answers, scores, signals: found };
}

const FORMS = ['all', 'any', 'not', 'answer', 'answered', 'score', 'signal'] as const;
const EXAMPLE = '{ "answer": "home-safe", "equals": "yes" }';

/**
 * Lists what is wrong with a condition written in a flow file, each problem with its path and
 * how to write the form correctly. The `flow` is used to check step ids, option values and scores.
 */
export function conditionProblems(value: unknown, path: string, flow: Flow): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: a condition must be an object such as ${EXAMPLE}`];
  }
  const node = value as Record<string, unknown>;
  const problems: string[] = [];
  if ('reason' in node && typeof node.reason !== 'string') {
    problems.push(`${path}.reason: a reason is the key of an entry in "reasons", such as "home-unsafe"`);
  } else if (typeof node.reason === 'string' && !(node.reason in flow.reasons)) {
    problems.push(`${path}.reason: "${node.reason}" has no copy; add it under "reasons" with text for each locale`);
  }
  const forms = FORMS.filter((form) => form in node);
  if (forms.length !== 1) {
    const found = forms.length === 0 ? 'none' : forms.join(' and ');
    return [
      ...problems,
      `${path}: a condition needs exactly one of ${FORMS.join(', ')} (found ${found}); for example ${EXAMPLE}`,
    ];
  }
  const allowed = new Set<string>(['reason', ...FORMS]);
  const form = forms[0] as (typeof FORMS)[number];
  if (form === 'answer') for (const key of ['equals', 'includes', 'in']) allowed.add(key);
  if (form === 'score') allowed.add('atLeast');
  for (const key of Object.keys(node)) {
    if (!allowed.has(key)) problems.push(`${path}.${key}: unknown key in a "${form}" condition; remove it`);
  }
  switch (form) {
    case 'all':
    case 'any': {
      const parts = node[form];
      if (!Array.isArray(parts) || parts.length === 0) {
        problems.push(`${path}.${form}: must be a non-empty list of conditions`);
        break;
      }
      parts.forEach((part, i) => {
        problems.push(...conditionProblems(part, `${path}.${form}[${i}]`, flow));
      });
      break;
    }
    case 'not':
      problems.push(...conditionProblems(node.not, `${path}.not`, flow));
      break;
    case 'answered':
      problems.push(...stepRef(node.answered, `${path}.answered`, flow));
      break;
    case 'score':
      if (typeof node.score !== 'string' || !scoreNames(flow).has(node.score)) {
        const known =
          [...scoreNames(flow)].map((name) => `"${name}"`).join(', ') || 'none yet: add "points" to options';
        problems.push(
          `${path}.score: no option gives points to "${String(node.score)}"; scores in this flow: ${known}`,
        );
      }
      if (typeof node.atLeast !== 'number') problems.push(`${path}.atLeast: must be a number, as in "atLeast": 3`);
      break;
    case 'signal':
      if (!signals.includes(node.signal as Signal)) {
        problems.push(`${path}.signal: unknown signal "${String(node.signal)}"; known: ${signals.join(', ')}`);
      }
      break;
    case 'answer':
      problems.push(...answerProblems(node, path, flow));
      break;
  }
  return problems;
}

function answerProblems(node: Record<string, unknown>, path: string, flow: Flow): string[] {
  const stepProblems = stepRef(node.answer, `${path}.answer`, flow);
  if (stepProblems.length > 0) return stepProblems;
  const step = flow.steps.find((candidate) => candidate.id === node.answer);
  const tests = (['equals', 'includes', 'in'] as const).filter((test) => test in node);
  if (tests.length !== 1 || step === undefined) {
    return [`${path}: an answer condition needs exactly one of equals, includes or in; for example ${EXAMPLE}`];
  }
  const test = tests[0] as 'equals' | 'includes' | 'in';
  if (step.kind === 'text') {
    return [`${path}: "${step.id}" is a text step; test text answers with { "signal": "crisis-language" }`];
  }
  if (test === 'includes' && step.kind !== 'multi') {
    return [`${path}.includes: "${step.id}" takes one answer; use "equals" (or "in" for several values)`];
  }
  if (test === 'equals' && step.kind === 'multi') {
    return [`${path}.equals: "${step.id}" takes several answers; use "includes" (or "in" for any of several)`];
  }
  const values = test === 'in' ? node.in : [node[test]];
  if (!Array.isArray(values) || values.length === 0) {
    return [`${path}.in: must be a non-empty list of option values`];
  }
  const known = new Set((step.options ?? []).map((option) => option.value));
  return values
    .filter((candidate) => !known.has(candidate as string))
    .map(
      (candidate) =>
        `${path}.${test}: "${String(candidate)}" is not an option of "${step.id}"; options are ${[...known].join(', ')}`,
    );
}

function stepRef(value: unknown, path: string, flow: Flow): string[] {
  if (flow.steps.some((step) => step.id === value)) return [];
  return [`${path}: no step has the id "${String(value)}"; check the spelling against the ids under "steps"`];
}

function scoreNames(flow: Flow): Set<string> {
  return new Set(
    flow.steps.flatMap((step) => (step.options ?? []).flatMap((option) => Object.keys(option.points ?? {}))),
  );
}
