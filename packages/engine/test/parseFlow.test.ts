import { defaultFlow, FlowError, parseFlow } from '@intake-chat/engine';
import { describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: each test breaks the flow on purpose, as a careless edit of the JSON might.
type LooseFlow = Record<string, any>;

/** The default flow with one thing broken, as a center's web person might break it. */
function defaultFlowWith(breakIt: (flow: LooseFlow) => void): LooseFlow {
  const flow: LooseFlow = structuredClone(defaultFlow);
  breakIt(flow);
  return flow;
}

function errorOf(json: unknown): FlowError {
  try {
    parseFlow(json);
  } catch (error) {
    if (error instanceof FlowError) return error;
    throw error;
  }
  throw new Error('parseFlow accepted a flow it should have rejected');
}

/** Each problem split into where it is and what it says. */
function problemsOf(json: unknown): { path: string; says: string }[] {
  return errorOf(json).problems.map((problem) => {
    const colon = problem.indexOf(': ');
    return { path: problem.slice(0, colon), says: problem.slice(colon + 2) };
  });
}

/** The flow's single problem; a second one would mean the check cascades or misfires. */
function onlyProblemOf(json: unknown): { path: string; says: string } {
  const problems = problemsOf(json);
  expect(problems).toHaveLength(1);
  return problems[0] ?? { path: '', says: '' };
}

const says = (pattern: RegExp) => expect.stringMatching(pattern);

describe('parseFlow accepts', () => {
  it('the default flow, unchanged', () => {
    expect(parseFlow(defaultFlow)).toEqual(defaultFlow);
  });

  it('the default flow after a round trip through JSON, as a center would store it', () => {
    expect(parseFlow(JSON.parse(JSON.stringify(defaultFlow)))).toEqual(defaultFlow);
  });

  it('a custom flow with a conditional goto, a score condition and a text step', () => {
    const custom = {
      id: 'evening-clinic',
      version: 2,
      locales: ['en'],
      messages: { greeting: { en: 'Hi there.' }, disclaimer: { en: 'This is not medical advice.' } },
      steps: [
        {
          id: 'drinks-per-day',
          topic: 'severity',
          kind: 'choice',
          prompt: { en: 'How many drinks on a usual day?' },
          options: [
            { value: 'few', label: { en: 'One or two' } },
            { value: 'many', label: { en: 'Three or more' }, points: { risk: 2 } },
          ],
          next: [{ when: { score: 'risk', atLeast: 2 }, goto: 'morning-drink' }, { goto: 'evenings' }],
        },
        {
          id: 'morning-drink',
          topic: 'severity',
          kind: 'choice',
          prompt: { en: 'Do you drink in the morning to feel steady?' },
          options: [
            { value: 'yes', label: { en: 'Yes' }, points: { risk: 1 } },
            { value: 'no', label: { en: 'No' } },
          ],
        },
        {
          id: 'evenings',
          topic: 'flexibility',
          kind: 'multi',
          prompt: { en: 'Which evenings are free?' },
          options: [
            { value: 'monday', label: { en: 'Monday' } },
            { value: 'wednesday', label: { en: 'Wednesday' } },
            { value: 'none', label: { en: 'None' }, exclusive: true },
          ],
          next: [{ when: { answer: 'evenings', includes: 'none' }, goto: 'result' }],
        },
        {
          id: 'anything-else',
          topic: 'intro',
          kind: 'text',
          optional: true,
          maxLength: 500,
          prompt: { en: 'Anything else we should know?' },
        },
      ],
      routes: {
        'medical-check': { urgency: 'urgent', title: { en: 'See a doctor first' }, message: { en: 'Call us today.' } },
        'evening-group': { urgency: 'normal', title: { en: 'Our evening group' }, message: { en: 'It may fit.' } },
      },
      triage: [
        { route: 'medical-check', when: { score: 'risk', atLeast: 3, reason: 'heavy-drinking' } },
        { route: 'evening-group' },
      ],
      reasons: { 'heavy-drinking': { en: 'Stopping heavy drinking at once can be risky.' } },
    };
    expect(parseFlow(custom)).toEqual(custom);
  });
});

describe('parseFlow rejects, naming the path and the fix,', () => {
  describe('a flow of the wrong shape:', () => {
    it('text instead of an object', () => {
      expect(onlyProblemOf('iop-intake')).toEqual({ path: '(the flow)', says: says(/must be a JSON object with id/) });
    });

    it('a missing field', () => {
      const flow = defaultFlowWith((flow) => {
        delete flow.messages;
      });
      expect(onlyProblemOf(flow)).toEqual({ path: 'messages', says: says(/missing; add it/) });
    });

    it('a field of the wrong type', () => {
      const flow = defaultFlowWith((flow) => {
        flow.version = '1';
      });
      expect(onlyProblemOf(flow)).toEqual({ path: 'version', says: says(/must be a whole number/) });
    });

    it('a misspelt key', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[0].promt = flow.steps[0].prompt;
      });
      expect(onlyProblemOf(flow)).toEqual({ path: 'steps[0]', says: says(/unknown key "promt"; check the spelling/) });
    });

    it('a misspelt key in place of a required one, suggesting the right spelling', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[0].promt = flow.steps[0].prompt;
        delete flow.steps[0].prompt;
      });
      const error = errorOf(flow);
      expect(error.problems).toContain('steps[0]: unknown key "promt"; did you mean "prompt"?');
      expect(error.message).toMatch(/checked once these are fixed/);
    });

    it('a step id that is not a slug', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].id = 'Schedule Pref';
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[11].id',
        says: says(/lower-case slug such as "home-safe"/),
      });
    });
  });

  describe('a step that', () => {
    it('reuses the id of an earlier step', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].id = 'coverage';
      });
      expect(onlyProblemOf(flow)).toEqual({ path: 'steps[12].id', says: says(/step ids must be unique/) });
    });

    it('takes the id "result", which the engine keeps for itself', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].id = 'result';
      });
      expect(onlyProblemOf(flow)).toEqual({ path: 'steps[11].id', says: says(/reserved .*; rename the step/) });
    });

    it('offers a single option to choose from', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].options = flow.steps[11].options.slice(0, 1);
      });
      expect(onlyProblemOf(flow)).toEqual({ path: 'steps[11].options', says: says(/needs at least two options/) });
    });

    it('lists an option value twice', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].options[1].value = 'daytime';
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[11].options[1].value',
        says: says(/listed twice; give each option its own value/),
      });
    });

    it('asks for text but lists options', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].kind = 'text';
      });
      expect(onlyProblemOf(flow)).toEqual({ path: 'steps[11].options', says: says(/remove them or change kind/) });
    });

    it('marks an option of a single-choice step exclusive', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].options[3].exclusive = true;
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[11].options[3].exclusive',
        says: says(/remove it or change kind to "multi"/),
      });
    });

    it('leaves out the Spanish label of an option', () => {
      const flow = defaultFlowWith((flow) => {
        delete flow.steps[2].options[1].label.es;
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[2].options[1].label',
        says: says(/missing the "es" copy; add it or remove "es" from locales/),
      });
    });

    it('has copy in a locale the flow does not declare', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[0].prompt.fr = 'Pour qui demandez-vous ?';
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[0].prompt.fr',
        says: says(/not in locales; add it there or remove this copy/),
      });
    });

    it('goes to a step that does not exist', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[10].next[0].goto = 'covrage';
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[10].next[0].goto',
        says: says(/no step has the id "covrage"; name a step or "result"/),
      });
    });

    it('leads to itself', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[10].next[0].goto = 'hours-possible';
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[10].next[0].goto',
        says: says(/cannot lead to itself; name another step or "result"/),
      });
    });

    it('can never be reached, because an earlier goto jumps over it', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[8].next = [{ goto: 'hours-possible' }];
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'steps[9]',
        says: says(/"duties" can never be reached; add a "goto" to it .*or remove it/),
      });
    });

    it('loops with another step and never reaches the result', () => {
      const flow = defaultFlowWith((flow) => {
        flow.steps[11].next = [{ goto: 'coverage' }];
        flow.steps[12].next = [{ goto: 'schedule-pref' }];
      });
      const loopWithoutEnd = says(/can never reach the result; give one of them a "goto" to a later step or "result"/);
      expect(problemsOf(flow)).toEqual([
        { path: 'steps[11]', says: loopWithoutEnd },
        { path: 'steps[12]', says: loopWithoutEnd },
        // The question after the loop is cut off by it, and said so.
        { path: 'steps[13]', says: says(/"anything-else" can never be reached/) },
      ]);
    });
  });

  describe('a condition that', () => {
    const withCondition = (when: unknown) =>
      defaultFlowWith((flow) => {
        flow.steps[10].next[0].when = when;
      });

    it('reads a step that does not exist', () => {
      expect(onlyProblemOf(withCondition({ answer: 'hours', equals: 'no' }))).toEqual({
        path: 'steps[10].next[0].when.answer',
        says: says(/no step has the id "hours"; check the spelling/),
      });
    });

    it('expects an option value the step does not offer', () => {
      expect(onlyProblemOf(withCondition({ answer: 'hours-possible', equals: 'never' }))).toEqual({
        path: 'steps[10].next[0].when.equals',
        says: says(/"never" is not an option of "hours-possible"; options are yes, maybe, no/),
      });
    });

    it('uses "includes" on a single-choice step', () => {
      expect(onlyProblemOf(withCondition({ answer: 'hours-possible', includes: 'no' }))).toEqual({
        path: 'steps[10].next[0].when.includes',
        says: says(/takes one answer; use "equals"/),
      });
    });

    it('uses "equals" on a multi-choice step', () => {
      expect(onlyProblemOf(withCondition({ answer: 'duties', equals: 'work' }))).toEqual({
        path: 'steps[10].next[0].when.equals',
        says: says(/takes several answers; use "includes"/),
      });
    });

    it('has no form at all', () => {
      expect(onlyProblemOf(withCondition({ equals: 'no' }))).toEqual({
        path: 'steps[10].next[0].when',
        says: says(/needs exactly one of all, any, not, answer, answered, score, signal \(found none\); for example/),
      });
    });

    it('has two forms at once', () => {
      expect(
        onlyProblemOf(withCondition({ answer: 'hours-possible', equals: 'no', signal: 'crisis-language' })),
      ).toEqual({
        path: 'steps[10].next[0].when',
        says: says(/needs exactly one of .*\(found answer and signal\); for example/),
      });
    });

    it('names a signal the engine does not detect', () => {
      const flow = defaultFlowWith((flow) => {
        flow.crisis = { signal: 'panic' };
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'crisis.signal',
        says: says(/unknown signal "panic"; known: crisis-language/),
      });
    });

    it('reads a score that no option gives points to', () => {
      expect(onlyProblemOf(withCondition({ score: 'risk', atLeast: 2 }))).toEqual({
        path: 'steps[10].next[0].when.score',
        says: says(/no option gives points to "risk"; scores in this flow: none yet: add "points" to options/),
      });
    });

    it('gives a reason that has no copy', () => {
      const flow = defaultFlowWith((flow) => {
        delete flow.reasons['home-unsafe'];
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'triage[2].when.any[0].reason',
        says: says(/"home-unsafe" has no copy; add it under "reasons"/),
      });
    });
  });

  describe('triage rules that', () => {
    it('send visitors to a route that is not defined', () => {
      const flow = defaultFlowWith((flow) => {
        flow.triage[1].route = 'detox';
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'triage[1].route',
        says: says(/"detox" is not defined; add it under "routes"/),
      });
    });

    it('put the fallback before other rules, which could then never match', () => {
      const flow = defaultFlowWith((flow) => {
        flow.triage.splice(2, 0, { route: 'talk-first' });
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'triage[2]',
        says: says(/rules after it can never match; move it to the end/),
      });
    });

    it('end with a rule that has a condition, leaving some visitors without a route', () => {
      const flow = defaultFlowWith((flow) => {
        flow.triage[6].when = { answer: 'home-safe', equals: 'yes' };
      });
      expect(onlyProblemOf(flow)).toEqual({
        path: 'triage[6]',
        says: says(/last rule must have no "when".*add a fallback such as \{ "route": "talk-first" \}/),
      });
    });
  });

  it('a flow with several problems, listing all of them in one error', () => {
    const flow = defaultFlowWith((flow) => {
      delete flow.steps[2].options[1].label.es;
      flow.steps[10].next[0].goto = 'covrage';
      flow.triage[1].route = 'detox';
    });
    const error = errorOf(flow);
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/^This flow has 3 problems:\n/);
    for (const path of ['steps[2].options[1].label', 'steps[10].next[0].goto', 'triage[1].route']) {
      expect(error.message).toContain(`\n- ${path}: `);
    }
  });
});
