// Validation only, without XState: for code that checks flows or leads (the server's boundary,
// the widget's form) and should not pull in the machine.
export { type DescribeOptions, describeIssues, formatPath } from './describeIssues.js';
export { type Evaluation, evaluate, type Facts, factsOf } from './flow/conditions.js';
export {
  type Answers,
  type AnswerValue,
  type Condition,
  type Flow,
  flowSchema,
  type LocalizedText,
  type Route,
  type Signal,
  type Step,
  type StepKind,
  type StepOption,
  type TriageRule,
  type Urgency,
  urgencies,
} from './flow/flowSchema.js';
export { answerProblem, answersProblems } from './flow/navigation.js';
export { FlowError, parseFlow } from './flow/parseFlow.js';
export {
  crisisLinkOf,
  crisisLinks,
  type InsightBeacon,
  type InsightEvent,
  type InsightSource,
  insightEvents,
  insightSource,
  isReferrerTag,
  isSourceTag,
  referrerTag,
  sourceTag,
} from './insight.js';
export { contactProblems, type FieldMessages, fieldMessages, fieldMessagesFor } from './lead/contactRules.js';
export {
  consentSchema,
  contactSchema,
  isPagePath,
  type Lead,
  type LeadInput,
  type LeadIssue,
  leadProblems,
  leadSchema,
  normalizeUsPhone,
  PHONE_MESSAGE,
  type UsState,
  usStates,
} from './lead/leadSchema.js';
