import { answerProblem, answersProblems, defaultFlow, stepById } from '@intake-chat/engine';
import { describe, expect, it } from 'vitest';

// The checks the machine uses to ignore answers that do not fit, and the server uses on a lead.
describe('answers checked against a flow', () => {
  it('accepts the answers a visitor can give', () => {
    expect(
      answersProblems(defaultFlow, { 'for-whom': 'self', substances: ['alcohol', 'cannabis'], duties: ['none'] }),
    ).toEqual([]);
  });

  it('names each answer that does not fit, with its path', () => {
    expect(
      answersProblems(defaultFlow, {
        'made-up': 'yes',
        'for-whom': 'neighbour',
        substances: [],
        duties: ['work', 'none'],
        coverage: ['private'],
      }),
    ).toEqual([
      { path: 'answers.made-up', message: 'the flow "iop-intake" has no such step' },
      { path: 'answers.for-whom', message: 'choose one of: self, loved-one' },
      { path: 'answers.substances', message: 'choose at least one option' },
      { path: 'answers.duties', message: '"none" cannot be combined with other options' },
      { path: 'answers.coverage', message: expect.stringMatching(/^choose one of: private, medicaid/) },
    ]);
  });

  it('refuses the same option twice in a multi-choice answer', () => {
    expect(answerProblem(stepById(defaultFlow, 'substances'), ['alcohol', 'alcohol'])).toBe('choose each option once');
  });
});
