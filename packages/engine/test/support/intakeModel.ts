import {
  type Answers,
  type CallbackForm,
  type Condition,
  createIntakeMachine,
  defaultFlow,
  evaluate,
  factsOf,
  type IntakeEvent,
  type Lead,
  type LeadReceipt,
  stepById,
  triage,
} from '@intake-chat/engine';
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, SnapshotFrom } from 'xstate';
import { createActor, fromPromise, StateMachine } from 'xstate';
import { createTestModel } from 'xstate/graph';

/*
 * The test model of the default flow, shared by the engine's model-based test and the browser test
 * that drives the real widget along the same paths (test/e2e/model.test.ts). Model-based tests: XState's graph utilities walk the default flow's machine, generate paths
 * that reach every state, extend each path until the conversation ends (result, crisis or
 * submitted), and replay every path on a real actor. Coverage is measured on the machine's own
 * definition: every state node and every transition (each guarded branch counts separately).
 */

export const machine = createIntakeMachine(defaultFlow);
export type Snapshot = SnapshotFrom<typeof machine>;

export const input = { center: 'riverbend', consentVersion: 'consent-v1', newKey: () => 'key-0000000000000001' };

export const validForm: CallbackForm = {
  name: 'Sam',
  phone: '(312) 555-0142',
  bestTime: 'evening',
  voicemailOk: true,
  textOk: false,
  state: 'IL',
  adult: true,
  consentCall: true,
  consentText: false,
};

/** Crisis words typed where a visitor can type: the name box, and the last, free-text question. */
export const crisisName = 'I want to kill myself';
export const crisisNote = 'I want to die';
export const plainNote = 'Evenings are best';

export const receipt = { id: 'lead-1', callbackWindow: 'within 15 minutes' };
export const afterEvent = 'xstate.after.retryDelay.intake.dialogue.submitFailed';

/** The events a visitor (or the lead server) could send in this state, valid and invalid. */
export function eventsFor(snapshot: Snapshot): IntakeEvent[] {
  const events: IntakeEvent[] = [];
  const crisisOpen = snapshot.matches({ crisis: 'open' });
  events.push(crisisOpen ? { type: 'visitor.continue' } : { type: 'visitor.crisis' });
  const dialogue = (snapshot.value as { dialogue: string }).dialogue;
  switch (dialogue) {
    case 'greeting':
      events.push({ type: 'visitor.start' }, { type: 'visitor.locale', locale: 'es' });
      break;
    case 'asking': {
      const step = stepById(defaultFlow, snapshot.context.stepId as string);
      const values = (step.options ?? []).map((option) => option.value);
      for (const value of values)
        events.push({ type: 'visitor.answer', value: step.kind === 'multi' ? [value] : value });
      if (step.kind === 'text')
        events.push({ type: 'visitor.answer', value: plainNote }, { type: 'visitor.answer', value: crisisNote });
      // Answers that do not fit the step are ignored.
      else events.push({ type: 'visitor.answer', value: 'not-an-option' });
      events.push({ type: 'visitor.skip' }, { type: 'visitor.back' }, { type: 'visitor.restart' });
      break;
    }
    case 'result':
      events.push({ type: 'visitor.requestCallback' }, { type: 'visitor.back' }, { type: 'visitor.restart' });
      break;
    case 'callbackForm':
      events.push(
        { type: 'form.submit', form: validForm },
        { type: 'form.submit', form: { ...validForm, name: crisisName } },
        { type: 'form.submit', form: { ...validForm, phone: '555' } },
        { type: 'visitor.back' },
      );
      break;
    case 'submitting':
      events.push(
        { type: 'xstate.done.actor.submitLead', output: receipt } as never,
        { type: 'xstate.error.actor.submitLead', error: new Error('network down') } as never,
        {
          type: 'xstate.error.actor.submitLead',
          error: { message: 'rejected', retryable: false, issues: [{ path: 'contact.phone', message: 'bad' }] },
        } as never,
        { type: 'visitor.restart' },
      );
      break;
    case 'submitFailed':
      events.push({ type: 'form.retry' }, { type: 'visitor.back' }, { type: afterEvent } as never);
      break;
    case 'submitted':
      events.push({ type: 'visitor.restart' });
      break;
  }
  return events;
}

/**
 * States are told apart by where the visitor is (crisis screen included), the route the answers so
 * far point to, and the routes still possible, so the walk reaches each step on the way to each route.
 */
export function serializeState(snapshot: Snapshot): string {
  const { context } = snapshot;
  const partial = context.stepId === null ? context.result?.route : triage(defaultFlow, context.answers).route;
  const asked = new Set(context.path);
  const possible = defaultFlow.triage
    .filter((rule) => !rule.when || couldHold(rule.when, context.answers, asked) !== false)
    .map((rule) => rule.route);
  return JSON.stringify([
    snapshot.value,
    context.stepId,
    partial,
    possible,
    context.failure?.retryable ?? null,
    // Once crisis words in the name were seen, sending them again sends the request.
    context.acknowledgedName !== null,
  ]);
}

/** Three-valued: true or false once the steps a condition reads were asked, undefined while they may still be. */
function couldHold(condition: Condition, answers: Answers, asked: ReadonlySet<string>): boolean | undefined {
  if ('all' in condition) {
    const parts = condition.all.map((part) => couldHold(part, answers, asked));
    return parts.includes(false) ? false : parts.every((part) => part === true) ? true : undefined;
  }
  if ('any' in condition) {
    const parts = condition.any.map((part) => couldHold(part, answers, asked));
    return parts.includes(true) ? true : parts.every((part) => part === false) ? false : undefined;
  }
  if ('not' in condition) {
    const inner = couldHold(condition.not, answers, asked);
    return inner === undefined ? undefined : !inner;
  }
  const step = 'answer' in condition ? condition.answer : 'answered' in condition ? condition.answered : null;
  if (step !== null && !asked.has(step)) return undefined;
  return evaluate(condition, factsOf(defaultFlow, answers)).holds;
}

/**
 * createTestModel walks a machine with pure transitions, so it refuses machines that invoke actors
 * or wait on timers. The model is therefore the same machine with those two effects written as the
 * events they produce: the lead server's answer (done or error) and the retry timer firing. The
 * real machine, with its invocation and timer, is what every path is replayed on.
 */
export function withEffectsAsEvents(real: typeof machine): AnyStateMachine {
  type StateConfig = {
    states: Record<string, StateConfig>;
    on?: Record<string, unknown>;
    invoke?: { onDone: unknown; onError: unknown };
    after?: { retryDelay: unknown };
  };
  const config = real.config as unknown as StateConfig;
  const dialogue = config.states.dialogue as StateConfig;
  const { invoke, ...submitting } = dialogue.states.submitting as Required<StateConfig>;
  const { after, ...submitFailed } = dialogue.states.submitFailed as Required<StateConfig>;
  const modelConfig = {
    ...config,
    states: {
      ...config.states,
      dialogue: {
        ...dialogue,
        states: {
          ...dialogue.states,
          submitting: {
            ...submitting,
            on: { 'xstate.done.actor.submitLead': invoke.onDone, 'xstate.error.actor.submitLead': invoke.onError },
          },
          submitFailed: { ...submitFailed, on: { ...submitFailed.on, [afterEvent]: after.retryDelay } },
        },
      },
    },
  };
  return new StateMachine(modelConfig as never, real.implementations as never);
}

/** The real machine, with a lead server that never answers by itself: each path's own done and error events answer for it. */
export const realMachine = machine.provide({
  actors: { submitLead: fromPromise<LeadReceipt, Lead>(() => new Promise(() => {})) },
});

export const modelMachine = withEffectsAsEvents(machine) as typeof machine;

export const model = createTestModel(modelMachine, {
  input,
  events: eventsFor,
  serializeState: (snapshot) => serializeState(snapshot as Snapshot),
});

export const isFinished = (snapshot: Snapshot) =>
  snapshot.matches({ crisis: 'open' }) ||
  snapshot.matches({ dialogue: 'result' }) ||
  snapshot.matches({ dialogue: 'submitted' });

/** A visitor who finishes the conversation from wherever the path left them: skip or answer, then submit. */
export function finishingEvents(snapshot: Snapshot): IntakeEvent | null {
  if (isFinished(snapshot)) return null;
  switch ((snapshot.value as { dialogue: string }).dialogue) {
    case 'greeting':
      return { type: 'visitor.start' };
    case 'asking': {
      const step = stepById(defaultFlow, snapshot.context.stepId as string);
      if (step.optional) return { type: 'visitor.skip' };
      const first = step.options?.find((option) => option.value !== 'yes')?.value ?? '';
      return { type: 'visitor.answer', value: first };
    }
    case 'callbackForm':
      return { type: 'form.submit', form: validForm };
    case 'submitting':
      return { type: 'xstate.done.actor.submitLead', output: receipt } as never;
    case 'submitFailed':
      return { type: 'form.retry' };
    default:
      throw new Error(`no way to finish from ${JSON.stringify(snapshot.value)}`);
  }
}

export function allStateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(allStateNodes)];
}

export function allTransitions(node: AnyStateNode): AnyTransitionDefinition[] {
  return allStateNodes(node).flatMap((stateNode) => [
    ...Object.values(stateNode.on).flat(),
    ...(stateNode.always ?? []),
  ]);
}

/** Replays a path on a real actor, recording each transition taken and each state node entered. */
export function replay(events: readonly IntakeEvent[]) {
  const taken = new Set<AnyTransitionDefinition>();
  const actor = createActor(realMachine, {
    input,
    inspect: (inspection) => {
      if (inspection.type === '@xstate.microstep') {
        for (const transition of (inspection as { _transitions: AnyTransitionDefinition[] })._transitions) {
          taken.add(transition);
        }
      }
    },
  });
  actor.start();
  const visited = new Set<string>();
  const visit = () => {
    for (const node of allStateNodes(realMachine.root)) {
      if (actor.getSnapshot().matches(stateValueOf(node) as never)) visited.add(node.id);
    }
  };
  visit();
  const sent: IntakeEvent[] = [];
  for (const event of events) {
    actor.send(event);
    sent.push(event);
    visit();
  }
  const reached = actor.getSnapshot();
  let finished = reached;
  for (let extra = finishingEvents(finished), guard = 0; extra !== null; extra = finishingEvents(finished), guard++) {
    if (guard > 100) throw new Error('the conversation did not finish');
    actor.send(extra);
    sent.push(extra);
    visit();
    finished = actor.getSnapshot();
  }
  actor.stop();
  return { taken, visited, reached, finished, sent };
}

/** The state value that a state node stands for, e.g. { dialogue: 'asking' }. */
export function stateValueOf(node: AnyStateNode): string | Record<string, unknown> {
  const [last, ...outer] = [...node.path].reverse();
  if (last === undefined) return {};
  return outer.reduce<string | Record<string, unknown>>((inner, key) => ({ [key]: inner }), last);
}

/**
 * The paths to replay, chosen from the model's graph: the shortest way to every state in which the
 * conversation is finished (each result route, the crisis screen, a submitted lead), and, for every
 * transition of the machine, the shortest path that ends by taking it. The real actor then measures
 * which states and transitions the replays actually went through.
 */
export function generatePaths() {
  const adjacency = model.getAdjacencyMap();
  const initial = serializeState(createActor(modelMachine, { input }).getSnapshot() as Snapshot);
  // Breadth-first, so each state's recorded way in is a shortest one.
  const wayIn = new Map<string, IntakeEvent[]>([[initial, []]]);
  const edges: Array<{ from: string; state: Snapshot; event: IntakeEvent; to: string }> = [];
  for (const queue = [initial]; queue.length > 0; ) {
    const from = queue.shift() as string;
    const vertex = adjacency[from as keyof typeof adjacency];
    for (const { event, state: next } of Object.values(vertex?.transitions ?? {})) {
      const to = serializeState(next as Snapshot);
      edges.push({ from, state: vertex?.state as Snapshot, event: event as IntakeEvent, to });
      if (!wayIn.has(to)) {
        wayIn.set(to, [...(wayIn.get(from) ?? []), event as IntakeEvent]);
        queue.push(to);
      }
    }
  }
  const paths: Array<{ events: IntakeEvent[]; expected: string }> = [];
  for (const [key, events] of wayIn) {
    const vertex = adjacency[key as keyof typeof adjacency];
    if (vertex && isFinished(vertex.state as Snapshot)) paths.push({ events, expected: key });
  }
  const covered = new Set<string>();
  for (const { from, state, event, to } of edges) {
    const taken = modelMachine.getTransitionData(state as never, event as never).map(transitionKey);
    if (taken.every((key) => covered.has(key))) continue;
    for (const key of taken) covered.add(key);
    paths.push({ events: [...(wayIn.get(from) ?? []), event], expected: to });
  }
  return { paths, states: adjacency };
}

/** Names a transition by its place in the definition, the same for the model and the real machine. */
export function transitionKey(transition: AnyTransitionDefinition): string {
  const list = (transition.source.on as Record<string, AnyTransitionDefinition[]>)[transition.eventType] ?? [];
  return `${transition.source.id} on ${transition.eventType} #${list.indexOf(transition)}`;
}
