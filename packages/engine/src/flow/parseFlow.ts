import { describeIssues } from '../describeIssues.js';
import { conditionProblems } from './conditions.js';
import type { Flow, LocalizedText } from './flowSchema.js';
import { flowSchema } from './flowSchema.js';
import { RESULT } from './navigation.js';

/** A flow that cannot be used. `problems` lists each one as "path: what is wrong and how to fix it". */
export class FlowError extends Error {
  override readonly name = 'FlowError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], note?: string) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const list = problems.map((problem) => `- ${problem}`).join('\n');
    super(`This flow has ${count}:\n${list}${note === undefined ? '' : `\n${note}`}`);
    this.problems = problems;
  }
}

/** Step ids the engine keeps for itself. */
const RESERVED_IDS = new Set([RESULT, 'crisis']);

/**
 * Validates a flow: its shape, then every cross-reference (step ids, option values, locales, route
 * and reason copy, reachability). Throws one FlowError listing every problem; returns the flow.
 */
export function parseFlow(json: unknown): Flow {
  const parsed = flowSchema.safeParse(json);
  if (!parsed.success) {
    const { issues } = parsed.error;
    // Cross-references are only checked on a well-formed flow; say so, or a fixed typo would seem to
    // uncover new problems.
    const problems = describeIssues(issues, json, {
      whole: '(the flow)',
      notAnObject:
        'a flow must be a JSON object with id, version, locales, messages, steps, routes, triage and reasons',
    });
    throw new FlowError(problems, 'Step ids, option values and copy are checked once these are fixed.');
  }
  const problems = flowProblems(parsed.data);
  if (problems.length > 0) throw new FlowError(problems);
  return parsed.data;
}

function flowProblems(flow: Flow): string[] {
  return [
    ...localeProblems(flow),
    ...stepProblems(flow),
    ...conditionRefs(flow),
    ...triageProblems(flow),
    ...reachabilityProblems(flow),
  ];
}

function localeProblems(flow: Flow): string[] {
  const problems: string[] = [];
  const declared = new Set(flow.locales);
  if (declared.size !== flow.locales.length)
    problems.push('locales: each locale may be listed once; remove the repeat');
  const check = (text: LocalizedText | undefined, path: string) => {
    if (text === undefined) return;
    for (const locale of flow.locales) {
      if (!(locale in text))
        problems.push(`${path}: missing the "${locale}" copy; add it or remove "${locale}" from locales`);
    }
    for (const locale of Object.keys(text)) {
      if (!declared.has(locale))
        problems.push(`${path}.${locale}: "${locale}" is not in locales; add it there or remove this copy`);
    }
  };
  check(flow.messages.greeting, 'messages.greeting');
  check(flow.messages.disclaimer, 'messages.disclaimer');
  flow.steps.forEach((step, i) => {
    check(step.prompt, `steps[${i}].prompt`);
    check(step.help, `steps[${i}].help`);
    step.variants?.forEach((variant, j) => {
      check(variant.prompt, `steps[${i}].variants[${j}].prompt`);
    });
    step.options?.forEach((option, j) => {
      check(option.label, `steps[${i}].options[${j}].label`);
    });
  });
  for (const [id, route] of Object.entries(flow.routes)) {
    check(route.title, `routes.${id}.title`);
    check(route.message, `routes.${id}.message`);
  }
  for (const [key, text] of Object.entries(flow.reasons)) check(text, `reasons.${key}`);
  return problems;
}

function stepProblems(flow: Flow): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  flow.steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    if (RESERVED_IDS.has(step.id))
      problems.push(
        `${at}.id: "${step.id}" is reserved by the engine (reserved ids: ${[...RESERVED_IDS].join(', ')}); rename the step`,
      );
    if (seen.has(step.id)) problems.push(`${at}.id: "${step.id}" is used by an earlier step; step ids must be unique`);
    seen.add(step.id);
    const options = step.options ?? [];
    if (step.kind === 'text') {
      if (step.options) problems.push(`${at}.options: a text step has no options; remove them or change kind`);
    } else {
      if (options.length < 2) problems.push(`${at}.options: a ${step.kind} step needs at least two options`);
      if (step.maxLength !== undefined)
        problems.push(`${at}.maxLength: only text steps take maxLength; remove it or change kind to "text"`);
    }
    const values = new Set<string>();
    options.forEach((option, j) => {
      if (values.has(option.value))
        problems.push(`${at}.options[${j}].value: "${option.value}" is listed twice; give each option its own value`);
      values.add(option.value);
      if (option.exclusive && step.kind !== 'multi') {
        problems.push(
          `${at}.options[${j}].exclusive: only options of a multi step can be exclusive; remove it or change kind to "multi"`,
        );
      }
    });
    step.next?.forEach((transition, j) => {
      if (transition.goto !== RESULT && !flow.steps.some((target) => target.id === transition.goto)) {
        problems.push(`${at}.next[${j}].goto: no step has the id "${transition.goto}"; name a step or "${RESULT}"`);
      }
      if (transition.goto === step.id)
        problems.push(`${at}.next[${j}].goto: a step cannot lead to itself; name another step or "${RESULT}"`);
    });
  });
  return problems;
}

function conditionRefs(flow: Flow): string[] {
  const problems: string[] = [];
  flow.steps.forEach((step, i) => {
    step.next?.forEach((transition, j) => {
      if (transition.when) problems.push(...conditionProblems(transition.when, `steps[${i}].next[${j}].when`, flow));
    });
    step.variants?.forEach((variant, j) => {
      problems.push(...conditionProblems(variant.when, `steps[${i}].variants[${j}].when`, flow));
    });
  });
  if (flow.crisis) problems.push(...conditionProblems(flow.crisis, 'crisis', flow));
  flow.triage.forEach((rule, i) => {
    if (rule.when) problems.push(...conditionProblems(rule.when, `triage[${i}].when`, flow));
  });
  return problems;
}

function triageProblems(flow: Flow): string[] {
  const problems: string[] = [];
  flow.triage.forEach((rule, i) => {
    if (!(rule.route in flow.routes)) {
      problems.push(
        `triage[${i}].route: "${rule.route}" is not defined; add it under "routes" with its urgency and copy`,
      );
    }
    rule.reasons?.forEach((key, j) => {
      if (!(key in flow.reasons))
        problems.push(`triage[${i}].reasons[${j}]: "${key}" has no copy; add it under "reasons"`);
    });
    const last = i === flow.triage.length - 1;
    if (!rule.when && !last) {
      problems.push(`triage[${i}]: has no "when", so the rules after it can never match; move it to the end`);
    }
    if (rule.when && last) {
      problems.push(
        `triage[${i}]: the last rule must have no "when", so every visitor gets a route; add a fallback such as { "route": "talk-first" }`,
      );
    }
  });
  return problems;
}

/**
 * Every step must be reachable from the first, and every step must be able to reach the result;
 * a loop with no way out would keep a visitor answering forever. Steps are nodes by index (the
 * result is one past the last), so duplicate ids and bad gotos, reported above, do not cascade.
 */
function reachabilityProblems(flow: Flow): string[] {
  const end = flow.steps.length;
  const edges = flow.steps.map((_, i) => successors(flow, i));
  const after = (i: number) => edges[i] ?? [];
  const before = (i: number) => edges.flatMap((targets, from) => (targets.includes(i) ? [from] : []));
  const reached = walk(0, after);
  const finishing = walk(end, before);
  const problems: string[] = [];
  flow.steps.forEach((step, i) => {
    if (!reached.has(i)) {
      problems.push(
        `steps[${i}]: "${step.id}" can never be reached; add a "goto" to it from an earlier step, or remove it`,
      );
      return;
    }
    if (finishing.has(i)) return;
    // A step that only leads into a loop is fixed with the loop: name the steps of the loop itself.
    const loop = [...walk(i, after)].filter((j) => j !== i && walk(j, after).has(i));
    if (loop.length === 0) return;
    const others = loop.map((j) => `"${flow.steps[j]?.id}"`).join(', ');
    problems.push(
      `steps[${i}]: "${step.id}" loops with ${others} and can never reach the result; give one of them a "goto" to a later step or "${RESULT}"`,
    );
  });
  return problems;
}

/** Where a step can lead, as step indexes; gotos to unknown steps or to the step itself are left out. */
function successors(flow: Flow, index: number): number[] {
  const step = flow.steps[index];
  if (step === undefined) return [];
  const targets: number[] = [];
  let unconditional = false;
  for (const transition of step.next ?? []) {
    const target =
      transition.goto === RESULT ? flow.steps.length : flow.steps.findIndex((other) => other.id === transition.goto);
    if (target === -1 || target === index) continue;
    targets.push(target);
    if (!transition.when) unconditional = true;
  }
  if (!unconditional) targets.push(index + 1);
  return targets;
}

function walk(start: number, next: (node: number) => readonly number[]): Set<number> {
  const seen = new Set<number>();
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (seen.has(node)) continue;
    seen.add(node);
    queue.push(...next(node));
  }
  return seen;
}
