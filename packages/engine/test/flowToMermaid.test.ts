import { defaultFlow, flowToMermaid } from '@intake-chat/engine';
import { describe, expect, it } from 'vitest';

const diagram = flowToMermaid(defaultFlow);

/** The triage routes as the diagram lists them: number, route id and urgency. */
function routesListed(text: string): [string, string, string][] {
  return [...text.matchAll(/state "(\d+)\. ([a-z0-9-]+) \((\w+)\)"/g)].map(([, n = '', route = '', urgency = '']) => [
    n,
    route,
    urgency,
  ]);
}

describe('flowToMermaid', () => {
  it('draws a Mermaid state diagram', () => {
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
  });

  it('names each step of the default flow with its kind', () => {
    for (const step of defaultFlow.steps) expect(diagram).toContain(`"${step.id} (${step.kind}`);
  });

  it('draws the jump from hours-possible to coverage with its condition in words', () => {
    expect(diagram).toMatch(/hours_possible --> \w*coverage: hours-possible = no\n/);
  });

  it('lists the triage routes in order, each with its urgency', () => {
    expect(routesListed(diagram)).toEqual([
      ['1', 'crisis', 'emergency'],
      ['2', 'withdrawal-first', 'urgent'],
      ['3', 'higher-care', 'high'],
      ['4', 'step-down', 'high'],
      ['5', 'lower-intensity', 'normal'],
      ['6', 'iop-fit', 'normal'],
      ['7', 'talk-first', 'normal'],
    ]);
  });

  it('says when the crisis screen opens', () => {
    expect(diagram).toContain('crisis screen (988 / 911)');
    expect(diagram).toMatch(/note .*crisis: opens at once when safety-now = yes or crisis-language/);
  });

  it('keeps two rules that lead to the same route apart, in order', () => {
    const flow = structuredClone(defaultFlow);
    flow.triage.splice(5, 0, { route: 'higher-care', when: { answer: 'support', equals: 'no' } });
    expect(routesListed(flowToMermaid(flow)).map(([n, route]) => `${n}. ${route}`)).toEqual([
      '1. crisis',
      '2. withdrawal-first',
      '3. higher-care',
      '4. step-down',
      '5. lower-intensity',
      '6. higher-care',
      '7. iop-fit',
      '8. talk-first',
    ]);
  });
});
