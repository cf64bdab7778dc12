/**
 * Visitors' clicks through the default flow, question by question, as the English labels a visitor
 * sees, for the answers docs/conversation.md predicts a route for. A string is a choice; a list is the options
 * ticked in a multi-choice question. Shared by the widget's component tests and the browser tests.
 */
export type Answer = string | readonly string[];

/** The button that skips an optional question, pressed like any answer. */
export const SKIP = 'Skip this question';

export const journeys = {
  /** Safe home, some support, the hours are possible: the IOP may fit. */
  'iop-fit': [
    'For myself',
    'No',
    ['Cannabis'],
    'A few times a week',
    'No',
    'Doing okay',
    'No',
    'Yes',
    'Yes',
    ['Work'],
    'Yes',
    'Evenings',
    'Private insurance',
    // The last question, "anything you want the team to know", is free text and optional.
    SKIP,
  ],
  /** Daily drinking: withdrawal can be dangerous, so medical withdrawal care comes first. */
  'withdrawal-first': [
    'For myself',
    'No',
    ['Alcohol'],
    'Every day or almost',
    'No',
    'Doing okay',
    'No',
    'Yes',
    'Yes',
    ['Work'],
    'Yes',
    'Evenings',
    'Medicaid',
    SKIP,
  ],
  /** Home is not safe: a higher level of care. */
  'higher-care': [
    'For someone I care about',
    'No',
    ['Opioids (like fentanyl, heroin, pain pills)'],
    'A few times a week',
    'No',
    'Doing okay',
    'No',
    'No',
    'A little',
    ['None of these'],
    'Maybe',
    'Daytime',
    'Not sure',
    SKIP,
  ],
} as const satisfies Record<string, readonly Answer[]>;
