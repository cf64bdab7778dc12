import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as engine from '@intake-chat/engine';
import * as schema from '@intake-chat/engine/schema';
import { describe, expect, it } from 'vitest';

// Pins the public API: a change here is a change for every consumer (widget, server, centers' tools).
describe('the public API of @intake-chat/engine', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(engine).sort()).toEqual(
      [
        'CRISIS_ROUTE',
        'CRISIS_WORDS_REASON',
        'DEFAULT_TEXT_LIMIT',
        'FlowError',
        'PHONE_MESSAGE',
        'RESULT',
        'answerLabels',
        'answerProblem',
        'answersProblems',
        'buildLead',
        'consentSchema',
        'contactProblems',
        'contactSchema',
        'createIntakeMachine',
        'crisisLinkOf',
        'crisisLinks',
        'insightEvents',
        'insightSource',
        'isReferrerTag',
        'isSourceTag',
        'referrerTag',
        'sourceTag',
        'crisisResources',
        'defaultFlow',
        'describeCondition',
        'describeIssues',
        'detectCrisis',
        'evaluate',
        'factsOf',
        'fieldMessages',
        'fieldMessagesFor',
        'flowSchema',
        'flowToMermaid',
        'formatPath',
        'isPagePath',
        'leadProblems',
        'leadSchema',
        'localize',
        'nextStepId',
        'normalizeUsPhone',
        'parseFlow',
        'promptFor',
        'questionsLeft',
        'retryDelay',
        'routeOf',
        'stepById',
        'triage',
        'typedCrisis',
        'urgencies',
        'usStates',
      ].sort(),
    );
  });

  it('offers validation on its own subpath, without the machine', () => {
    expect(Object.keys(schema).sort()).toEqual(
      [
        'FlowError',
        'PHONE_MESSAGE',
        'answerProblem',
        'answersProblems',
        'consentSchema',
        'contactProblems',
        'contactSchema',
        'describeIssues',
        'crisisLinkOf',
        'crisisLinks',
        'insightEvents',
        'insightSource',
        'isReferrerTag',
        'isSourceTag',
        'referrerTag',
        'sourceTag',
        'evaluate',
        'factsOf',
        'fieldMessages',
        'fieldMessagesFor',
        'flowSchema',
        'formatPath',
        'isPagePath',
        'leadProblems',
        'leadSchema',
        'normalizeUsPhone',
        'parseFlow',
        'urgencies',
        'usStates',
      ].sort(),
    );
    expect(schema).not.toHaveProperty('createIntakeMachine');
  });
});

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module `entry` imports, directly or not, with the packages each one imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [resolve(srcDir, entry)];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (graph.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map(
      (match) => match[1] ?? '',
    );
    graph.set(
      file,
      specifiers.filter((specifier) => !specifier.startsWith('.')),
    );
    for (const specifier of specifiers.filter((candidate) => candidate.startsWith('.'))) {
      queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  }
  return graph;
}

describe('what the engine pulls in', () => {
  it('keeps XState out of the schema subpath, so validation stays small', () => {
    const packages = new Set([...importGraph('schema.ts').values()].flat());
    expect([...packages].sort()).toEqual(['zod/mini']);
  });

  it('depends on nothing but XState and zod/mini, and never evaluates code', () => {
    const graph = importGraph('index.ts');
    expect([...new Set([...graph.values()].flat())].sort()).toEqual(['xstate', 'zod/mini']);
    for (const file of graph.keys()) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\beval\s*\(|\bnew Function\s*\(/);
    }
  });
});
