import { defaultFlow } from '@intake-chat/engine';
import { describe, expect, it } from 'vitest';
import {
  allStateNodes,
  allTransitions,
  crisisName,
  crisisNote,
  generatePaths,
  isFinished,
  realMachine,
  replay,
  type Snapshot,
  serializeState,
  transitionKey,
} from './support/intakeModel.js';

describe('the default flow machine, walked as a model', () => {
  const { paths, states } = generatePaths();
  const replays = paths.map((path) => replay(path.events));

  it('explores thousands of states and replays hundreds of paths', () => {
    expect(Object.keys(states).length).toBeGreaterThan(1000);
    expect(paths.length).toBeGreaterThan(100);
  });

  it('ends every path in a result, the crisis screen or a submitted lead', () => {
    for (const { finished } of replays) expect(isFinished(finished)).toBe(true);
  });

  it('reaches every state node of the machine', () => {
    const visited = new Set(replays.flatMap((run) => [...run.visited]));
    const missing = allStateNodes(realMachine.root)
      .map((node) => node.id)
      .filter((id) => !visited.has(id));
    expect(missing).toEqual([]);
  });

  it('takes every transition of the machine, each guarded branch included', () => {
    const taken = new Set(replays.flatMap((run) => [...run.taken]));
    const missing = allTransitions(realMachine.root)
      .filter((transition) => !taken.has(transition))
      .map(transitionKey);
    expect(missing).toEqual([]);
  });

  it('reaches every route of the default flow', () => {
    const routes = new Set(replays.map((run) => run.finished.context.result?.route).filter(Boolean));
    expect([...routes].sort()).toEqual(defaultFlow.triage.map((rule) => rule.route).sort());
  });

  it('asks the last, free-text question, and opens crisis help for crisis words typed there or as a name', () => {
    const sent = replays.flatMap((run) => run.sent);
    const reachedNote = replays.some((run) => run.finished.context.path.includes('anything-else'));
    expect(reachedNote).toBe(true);
    const crisisByWords = replays.filter((run) => run.finished.context.crisis?.by === 'words');
    const fromForm = crisisByWords.filter((run) => run.finished.matches({ dialogue: 'callbackForm' }));
    const fromNote = crisisByWords.filter((run) => run.finished.context.answers['anything-else'] === crisisNote);
    expect(fromForm.length).toBeGreaterThan(0);
    expect(fromNote.length).toBeGreaterThan(0);
    // A crisis name sent again after the crisis screen is a request, and it is an emergency.
    const sentAnyway = replays.filter(
      (run) => run.finished.context.form?.name === crisisName && run.finished.context.result?.urgency === 'emergency',
    );
    expect(sentAnyway.length).toBeGreaterThan(0);
    expect(sent.some((event) => event.type === 'form.submit' && event.form.name === crisisName)).toBe(true);
  });

  it('arrives on a real actor where the pure model said each path leads', () => {
    paths.forEach((path, i) => {
      expect(serializeState(replays[i]?.reached as Snapshot)).toBe(path.expected);
    });
  });
});
