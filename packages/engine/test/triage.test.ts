import { type Answers, defaultFlow, parseFlow, routeOf, triage, typedCrisis } from '@intake-chat/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const route = (answers: Answers) => triage(defaultFlow, answers).route;
const reasonKeys = (answers: Answers) => triage(defaultFlow, answers).reasons.map((reason) => reason.key);

/** Someone the IOP may fit: safe home, support, can attend, no red flags. */
const fits: Answers = {
  'for-whom': 'self',
  'safety-now': 'no',
  substances: ['cannabis'],
  'use-frequency': 'weekly',
  'withdrawal-signs': 'no',
  'mental-health': 'some',
  'recent-treatment': 'none',
  'home-safe': 'yes',
  support: 'some',
  duties: ['work'],
  'hours-possible': 'maybe',
  'schedule-pref': 'evening',
  coverage: 'private',
};

describe('triage of the default flow', () => {
  it('sends anyone in danger now to crisis, with emergency urgency', () => {
    const result = triage(defaultFlow, { ...fits, 'safety-now': 'yes' });
    expect(result).toMatchObject({ route: 'crisis', urgency: 'emergency' });
    expect(reasonKeys({ ...fits, 'safety-now': 'yes' })).toEqual(['in-danger']);
  });

  it('routes withdrawal signs to withdrawal care first, as urgent', () => {
    expect(triage(defaultFlow, { ...fits, 'withdrawal-signs': 'yes' })).toMatchObject({
      route: 'withdrawal-first',
      urgency: 'urgent',
    });
  });

  it('routes daily drinkers to withdrawal care even without withdrawal signs', () => {
    const answers = { ...fits, substances: ['alcohol'], 'use-frequency': 'daily' };
    expect(route(answers)).toBe('withdrawal-first');
    expect(reasonKeys(answers)).toEqual(['daily-alcohol-or-sedatives']);
  });

  it('routes daily sedative use to withdrawal care', () => {
    expect(route({ ...fits, substances: ['opioids', 'benzodiazepines'], 'use-frequency': 'daily' })).toBe(
      'withdrawal-first',
    );
  });

  it('does not treat daily cannabis use alone as a withdrawal risk', () => {
    expect(route({ ...fits, substances: ['cannabis'], 'use-frequency': 'daily' })).toBe('iop-fit');
  });

  it.each([
    ['an unsafe home', { 'home-safe': 'no' }, 'home-unsafe'],
    ['severe mental-health symptoms', { 'mental-health': 'severe' }, 'mental-health-severe'],
    [
      'daily use after outpatient care before',
      { 'recent-treatment': 'outpatient-before', 'use-frequency': 'daily' },
      'use-after-outpatient',
    ],
    ['little support and an unsure home', { support: 'no', 'home-safe': 'unsure' }, 'little-support'],
  ])('suggests more structure (higher-care, high) for %s', (_, change, reason) => {
    const result = triage(defaultFlow, { ...fits, ...change });
    expect(result).toMatchObject({ route: 'higher-care', urgency: 'high' });
    expect(result.reasons.map((item) => item.key)).toEqual([reason]);
  });

  it.each(['detox', 'residential'])('calls IOP a common next step after %s (step-down, high)', (treatment) => {
    expect(triage(defaultFlow, { ...fits, 'recent-treatment': treatment })).toMatchObject({
      route: 'step-down',
      urgency: 'high',
    });
  });

  it('offers lighter options to someone who cannot attend and uses less often', () => {
    const answers = { ...fits, 'hours-possible': 'no', 'use-frequency': 'less-often' };
    expect(triage(defaultFlow, answers)).toMatchObject({ route: 'lower-intensity', urgency: 'normal' });
    expect(reasonKeys(answers)).toEqual(['hours-hard', 'use-less-often']);
  });

  it('says the IOP may fit with every reason that led there', () => {
    expect(triage(defaultFlow, fits)).toMatchObject({ route: 'iop-fit', urgency: 'normal' });
    expect(reasonKeys(fits)).toEqual(['home-stable', 'some-support', 'might-attend']);
  });

  it('offers to talk it through when the visitor skipped the questions', () => {
    const result = triage(defaultFlow, { 'for-whom': 'self', 'safety-now': 'no' });
    expect(result).toMatchObject({ route: 'talk-first', urgency: 'normal' });
    expect(result.reasons.map((reason) => reason.key)).toEqual(['talk-first']);
  });

  it('offers to talk it through when one deciding answer is skipped', () => {
    const { support: _skipped, ...answers } = fits;
    expect(route(answers)).toBe('talk-first');
  });

  it('offers to talk it through when someone cannot attend but uses weekly', () => {
    expect(route({ ...fits, 'hours-possible': 'no' })).toBe('talk-first');
  });

  describe('rule order: the first matching rule wins', () => {
    it('puts crisis before withdrawal, withdrawal before higher care', () => {
      expect(route({ ...fits, 'safety-now': 'yes', 'withdrawal-signs': 'yes', 'home-safe': 'no' })).toBe('crisis');
      expect(route({ ...fits, 'withdrawal-signs': 'yes', 'home-safe': 'no' })).toBe('withdrawal-first');
    });

    it('puts higher care before step-down, step-down before lower intensity', () => {
      expect(route({ ...fits, 'home-safe': 'no', 'recent-treatment': 'detox' })).toBe('higher-care');
      expect(
        route({ ...fits, 'recent-treatment': 'detox', 'hours-possible': 'no', 'use-frequency': 'less-often' }),
      ).toBe('step-down');
    });

    it('puts lower intensity before IOP fit', () => {
      expect(route({ ...fits, 'hours-possible': 'no', 'use-frequency': 'less-often' })).toBe('lower-intensity');
    });
  });

  it('has reasons in plain words in English and Spanish for every route', () => {
    const cases: Answers[] = [
      { ...fits, 'safety-now': 'yes' },
      { ...fits, 'withdrawal-signs': 'yes' },
      { ...fits, 'home-safe': 'no' },
      { ...fits, 'recent-treatment': 'detox' },
      { ...fits, 'hours-possible': 'no', 'use-frequency': 'less-often' },
      fits,
      {},
    ];
    for (const answers of cases) {
      const { reasons } = triage(defaultFlow, answers);
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons) {
        expect(reason.text.en).toMatch(/\w{3,}/);
        expect(reason.text.es).toMatch(/\w{3,}/);
        expect(reason.text.es).not.toBe(reason.text.en);
      }
    }
  });

  it('recognises crisis language typed into the last, free-text question', () => {
    const flow = defaultFlow;
    expect(triage(flow, { ...fits, 'anything-else': 'i just want to die' }).route).toBe('crisis');
    expect(triage(flow, { ...fits, 'anything-else': 'quiero morir' }).reasons[0]?.key).toBe('crisis-words');
    expect(triage(flow, { ...fits, 'anything-else': 'I work nights' }).route).toBe('iop-fit');
  });

  it('ignores answers to steps the flow does not have', () => {
    expect(route({ ...fits, 'made-up': 'yes' })).toBe('iop-fit');
  });
});

describe('crisis words typed anywhere', () => {
  it('makes a visitor who types crisis words as their name an emergency, whatever the answers say', () => {
    const result = triage(defaultFlow, fits, { name: 'I want to kill myself' });
    expect(result).toMatchObject({ route: 'crisis', urgency: 'emergency' });
    expect(result.reasons.map((reason) => reason.key)).toEqual(['crisis-words']);
    // The reason says crisis words were typed, and never repeats them.
    expect(JSON.stringify(result.reasons)).not.toMatch(/kill/i);
  });

  it('hears Spanish in the name as well, and leaves an ordinary name alone', () => {
    expect(triage(defaultFlow, fits, { name: 'quiero morir' }).route).toBe('crisis');
    expect(triage(defaultFlow, fits, { name: 'Sam' }).route).toBe('iop-fit');
  });

  it('agrees with typedCrisis, the one check the frame and the server share', () => {
    expect(typedCrisis(defaultFlow, fits, { name: 'he took too many pills' })?.kind).toBe('overdose');
    expect(typedCrisis(defaultFlow, { ...fits, 'anything-else': 'she wont wake up' })?.kind).toBe('unresponsive');
    expect(typedCrisis(defaultFlow, fits, { name: 'Maria' })).toBeNull();
  });

  it("sends crisis words to crisis even in a center's flow that has no rule for them", () => {
    const flow = parseFlow({
      ...structuredClone(defaultFlow),
      triage: defaultFlow.triage.filter((rule) => rule.route !== 'crisis'),
      routes: Object.fromEntries(Object.entries(defaultFlow.routes).filter(([id]) => id !== 'crisis')),
    });
    expect(triage(flow, fits).route).toBe('iop-fit');
    const result = triage(flow, fits, { name: 'I want to die' });
    expect(result).toMatchObject({ route: 'crisis', urgency: 'emergency' });
    expect(result.reasons[0]?.text.en).toMatch(/wrote/);
    expect(routeOf(flow, 'crisis')?.title.en).toBe(defaultFlow.routes.crisis?.title.en);
  });
});

describe('reasons that repeat what the visitor chose', () => {
  const text = (answers: Answers) => triage(defaultFlow, answers).reasons.map((reason) => reason.text.en);

  it('tells someone who said "Maybe" to 9 hours a week that it might work, not that it could', () => {
    expect(text({ ...fits, 'hours-possible': 'maybe' })).toContain(
      'About 9 hours a week might work. The team can talk through the schedule.',
    );
    expect(text({ ...fits, 'hours-possible': 'yes' })).toContain('About 9 hours a week could work.');
  });

  it('tells someone with a little support that there is a little, not that people back them', () => {
    expect(text({ ...fits, support: 'some' })).toContain('There is a little support for recovery.');
    expect(text({ ...fits, support: 'yes' })).toContain('There are people who back recovery.');
  });

  it('says who may be in danger: the visitor, or the visitor or the person they ask for', () => {
    expect(text({ ...fits, 'safety-now': 'yes' })).toEqual(['You told us you may be in danger right now.']);
    expect(text({ ...fits, 'for-whom': 'loved-one', 'safety-now': 'yes' })).toEqual([
      'You told us you or the person you are asking for may be in danger right now.',
    ]);
  });
});

/** Any answers a visitor could give: each step answered with one of its options, or skipped. */
const anyAnswers = fc.record(
  Object.fromEntries(
    defaultFlow.steps.map((step) => {
      const values = (step.options ?? []).map((option) => option.value);
      const answer =
        step.kind === 'text'
          ? fc.constantFrom('I work nights', 'call after 5 please', 'quiero saber el costo')
          : step.kind === 'multi'
            ? fc.subarray(values, { minLength: 1 }).map((chosen): string[] => chosen)
            : fc.constantFrom(...values);
      return [step.id, answer as fc.Arbitrary<string | string[]>];
    }),
  ),
  { requiredKeys: [] },
) as fc.Arbitrary<Answers>;

describe('triage properties', () => {
  const routes = Object.keys(defaultFlow.routes);

  it('gives exactly one known route, with its urgency, for any answers', () => {
    fc.assert(
      fc.property(anyAnswers, (answers) => {
        const result = triage(defaultFlow, answers);
        expect(routes).toContain(result.route);
        expect(result.urgency).toBe(defaultFlow.routes[result.route]?.urgency);
        expect(result.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('always gives crisis when the visitor is in danger now', () => {
    fc.assert(
      fc.property(anyAnswers, (answers) => {
        expect(triage(defaultFlow, { ...answers, 'safety-now': 'yes' }).route).toBe('crisis');
      }),
      { numRuns: 2000 },
    );
  });

  it('never says the IOP may fit when a red flag is present', () => {
    const redFlags: Answers[] = [
      { 'withdrawal-signs': 'yes' },
      { 'home-safe': 'no' },
      { 'mental-health': 'severe' },
      { 'use-frequency': 'daily', substances: ['alcohol'] },
    ];
    fc.assert(
      fc.property(anyAnswers, fc.constantFrom(...redFlags), (answers, flag) => {
        expect(triage(defaultFlow, { ...answers, ...flag }).route).not.toBe('iop-fit');
      }),
      { numRuns: 1000 },
    );
  });

  it('is pure: the same answers always give the same result', () => {
    fc.assert(
      fc.property(anyAnswers, (answers) => {
        expect(triage(defaultFlow, answers)).toEqual(triage(defaultFlow, structuredClone(answers)));
      }),
      { numRuns: 500 },
    );
  });
});
