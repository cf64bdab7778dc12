import type { Answers, Flow } from './flowSchema.js';
import { nextStepId, RESULT } from './navigation.js';

/**
 * How many questions are left, this one included, if the visitor goes on from `stepId`: the steps
 * the flow would ask given the answers so far, following its transitions. A later answer can still
 * change the way (a "no" that skips a question), which is why the widget says "about".
 */
export function questionsLeft(flow: Flow, stepId: string, answers: Answers): number {
  let count = 0;
  const seen = new Set<string>();
  // parseFlow refuses loops with no way out, but a loop taken only by some answers may exist.
  for (let id = stepId; id !== RESULT && !seen.has(id); id = nextStepId(flow, id, answers)) {
    seen.add(id);
    count++;
  }
  return count;
}
