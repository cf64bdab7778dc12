import type { Condition, Flow } from './flowSchema.js';
import { RESULT } from './navigation.js';

/**
 * Draws a flow as a Mermaid state diagram: each step, each conditional transition with its
 * condition in words, the crisis trigger, and the triage rules in order. Paste the output into
 * any Mermaid viewer (GitHub renders ```mermaid blocks) to see a customised flow.
 */
export function flowToMermaid(flow: Flow): string {
  const name = (id: string) => (id === RESULT ? 'result' : `s_${id.replaceAll('-', '_')}`);
  const lines = ['stateDiagram-v2', `  %% ${flow.id} v${flow.version}`];
  for (const step of flow.steps) {
    lines.push(`  state "${step.id} (${step.kind}${step.optional ? ', optional' : ''})" as ${name(step.id)}`);
  }
  lines.push(`  state "result: triage" as result`);
  lines.push(`  [*] --> ${name(flow.steps[0]?.id ?? RESULT)}`);
  flow.steps.forEach((step, i) => {
    let fallsThrough = true;
    for (const transition of step.next ?? []) {
      const label = transition.when ? `: ${describeCondition(transition.when)}` : '';
      lines.push(`  ${name(step.id)} --> ${name(transition.goto)}${label}`);
      if (!transition.when) fallsThrough = false;
    }
    if (fallsThrough) lines.push(`  ${name(step.id)} --> ${name(flow.steps[i + 1]?.id ?? RESULT)}`);
  });
  if (flow.crisis) {
    lines.push('  state "crisis screen (988 / 911)" as crisis');
    lines.push(`  note right of crisis: opens at once when ${describeCondition(flow.crisis)}`);
  }
  flow.triage.forEach((rule, i) => {
    const route = flow.routes[rule.route];
    // One state per rule, not per route: two rules may send visitors to the same route.
    const id = `rule_${i + 1}_${rule.route.replaceAll('-', '_')}`;
    lines.push(`  state "${i + 1}. ${rule.route} (${route?.urgency ?? '?'})" as ${id}`);
    lines.push(`  result --> ${id}: ${rule.when ? describeCondition(rule.when) : 'otherwise'}`);
  });
  return `${lines.join('\n')}\n`;
}

/** A condition in words, as short as Mermaid labels need: `safety-now = yes or crisis-language`. */
export function describeCondition(condition: Condition): string {
  if ('all' in condition) return condition.all.map(grouped).join(' and ');
  if ('any' in condition) return condition.any.map(grouped).join(' or ');
  if ('not' in condition) return `not ${grouped(condition.not)}`;
  if ('answered' in condition) return `${condition.answered} answered`;
  if ('score' in condition) return `score ${condition.score} >= ${condition.atLeast}`;
  if ('signal' in condition) return condition.signal;
  if ('equals' in condition) return `${condition.answer} = ${condition.equals}`;
  if ('includes' in condition) return `${condition.answer} has ${condition.includes}`;
  return `${condition.answer} in ${condition.in.join('/')}`;
}

const grouped = (condition: Condition) =>
  'all' in condition || 'any' in condition ? `(${describeCondition(condition)})` : describeCondition(condition);
