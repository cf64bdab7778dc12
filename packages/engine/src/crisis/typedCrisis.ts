import type { Answers, Flow } from '../flow/flowSchema.js';
import { type CrisisMatch, detectCrisis } from './detectCrisis.js';

/** What a visitor typed outside the flow's own questions: today the callback form's name box. */
export interface TypedFields {
  readonly name?: string | undefined;
}

/**
 * Crisis words in anything the visitor typed: every text answer of the flow, then the contact name
 * (docs/conversation.md: crisis words typed anywhere make the lead an emergency). The frame and the server both
 * ask this one function, so the crisis screen and the stored route cannot disagree. Choice answers are
 * option values, never the visitor's words, and are not scanned.
 */
export function typedCrisis(
  flow: Flow,
  answers: Answers,
  typed: TypedFields = {},
  locale?: string,
): CrisisMatch | null {
  for (const step of flow.steps) {
    const answer = answers[step.id];
    if (step.kind !== 'text' || typeof answer !== 'string') continue;
    const match = detectCrisis(answer, locale);
    if (match !== null) return match;
  }
  return typeof typed.name === 'string' ? detectCrisis(typed.name, locale) : null;
}
