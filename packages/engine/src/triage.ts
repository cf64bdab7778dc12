import { crisisRouteCopy, crisisWordsCopy } from './crisis/crisisCopy.js';
import type { TypedFields } from './crisis/typedCrisis.js';
import { evaluate, factsOf } from './flow/conditions.js';
import type { Answers, Flow, LocalizedText, Route, Urgency } from './flow/flowSchema.js';

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

/** The route crisis words lead to, whatever a flow's own rules say, and the reason shown for it. */
export const CRISIS_ROUTE = 'crisis';
export const CRISIS_WORDS_REASON = 'crisis-words';

/**
 * Decides the route for a set of answers: the first triage rule whose condition holds wins.
 * Pure, so the server recomputes it from the answers and never trusts a browser's claim.
 * Skipped questions are simply absent from `answers`. Text answers and `typed` (the contact name)
 * are scanned for crisis language; crisis words typed anywhere make the result an emergency even
 * when a center's flow forgot a rule for them (docs/conversation.md, routes: crisis comes first).
 */
export function triage(flow: Flow, answers: Answers, typed: TypedFields = {}): TriageResult {
  const facts = factsOf(flow, answers, typed);
  for (const rule of flow.triage) {
    const evaluation = rule.when ? evaluate(rule.when, facts) : { holds: true, reasons: [] };
    if (!evaluation.holds) continue;
    const route = flow.routes[rule.route];
    // parseFlow guarantees every rule's route exists; a hand-built flow that breaks this is a bug.
    if (route === undefined) throw new Error(`triage: the route "${rule.route}" is not defined in the flow`);
    if (route.urgency !== 'emergency' && facts.signals.has('crisis-language')) return crisisWords(flow);
    const keys = evaluation.reasons.length > 0 ? evaluation.reasons : (rule.reasons ?? []);
    const reasons = [...new Set(keys)].map((key) => ({ key, text: flow.reasons[key] ?? {} }));
    return { route: rule.route, urgency: route.urgency, reasons };
  }
  // parseFlow requires the last rule to have no condition, so every visitor gets a route.
  throw new Error(`triage: no rule of the flow "${flow.id}" matched; end the rules with one that has no "when"`);
}

/**
 * A route's copy: the flow's own, or for the crisis route of a flow that has none, the default
 * flow's crisis copy, so a visitor who typed crisis words is never shown a blank result.
 */
export function routeOf(flow: Flow, route: string): Route | undefined {
  return flow.routes[route] ?? (route === CRISIS_ROUTE ? crisisRouteCopy : undefined);
}

function crisisWords(flow: Flow): TriageResult {
  const text = flow.reasons[CRISIS_WORDS_REASON] ?? crisisWordsCopy;
  return { route: CRISIS_ROUTE, urgency: 'emergency', reasons: [{ key: CRISIS_WORDS_REASON, text }] };
}
