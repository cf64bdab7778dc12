import { evaluate, factsOf } from './flow/conditions.js';
import type { Answers, Flow, LocalizedText, Urgency } from './flow/flowSchema.js';

export interface TriageReason {
  readonly key: string;
  /** The reason in plain words, per locale: "You noticed shakes or sweats when cutting down." */
  readonly text: LocalizedText;
}

export interface TriageResult {
  readonly route: string;
  readonly urgency: Urgency;
  /** Which answers led to the route, in the order the rule names them. */
  readonly reasons: readonly TriageReason[];
}

/**
 * Decides the route for a set of answers: the first triage rule whose condition holds wins.
 * Pure, so the server recomputes it from the answers and never trusts a browser's claim.
 * Skipped questions are simply absent from `answers`; text answers are scanned for crisis language.
 */
export function triage(flow: Flow, answers: Answers): TriageResult {
  const facts = factsOf(flow, answers);
  for (const rule of flow.triage) {
    const evaluation = rule.when ? evaluate(rule.when, facts) : { holds: true, reasons: [] };
    if (!evaluation.holds) continue;
    const route = flow.routes[rule.route];
    // parseFlow guarantees every rule's route exists; a hand-built flow that breaks this is a bug.
    if (route === undefined) throw new Error(`triage: the route "${rule.route}" is not defined in the flow`);
    const keys = evaluation.reasons.length > 0 ? evaluation.reasons : (rule.reasons ?? []);
    const reasons = [...new Set(keys)].map((key) => ({ key, text: flow.reasons[key] ?? {} }));
    return { route: rule.route, urgency: route.urgency, reasons };
  }
  // parseFlow requires the last rule to have no condition, so every visitor gets a route.
  throw new Error(`triage: no rule of the flow "${flow.id}" matched; end the rules with one that has no "when"`);
}
