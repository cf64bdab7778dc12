export { type CrisisResource, crisisResources } from './crisis/crisisResources.js';
export { type CrisisKind, type CrisisMatch, detectCrisis } from './crisis/detectCrisis.js';
export { type TypedFields, typedCrisis } from './crisis/typedCrisis.js';
export { defaultFlow } from './defaultFlow.js';
export { describeCondition, flowToMermaid } from './flow/flowToMermaid.js';
export {
  answerLabels,
  DEFAULT_TEXT_LIMIT,
  localize,
  nextStepId,
  promptFor,
  RESULT,
  stepById,
} from './flow/navigation.js';
export { questionsLeft } from './flow/progress.js';
export {
  createIntakeMachine,
  type IntakeContext,
  type IntakeEvent,
  type IntakeInput,
  type IntakeMachine,
  type LeadReceipt,
  retryDelay,
} from './machine/createIntakeMachine.js';
export { buildLead, type CallbackForm, type FormIssue, type SubmitError } from './machine/submission.js';
export * from './schema.js';
export { CRISIS_ROUTE, CRISIS_WORDS_REASON, routeOf, type TriageReason, type TriageResult, triage } from './triage.js';
