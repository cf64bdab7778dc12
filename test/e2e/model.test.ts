import { defaultFlow, type IntakeEvent, localize, promptFor, RESULT, retryDelay, stepById } from '@intake-chat/engine';
import type { Browser, FrameLocator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  allStateNodes,
  allTransitions,
  generatePaths,
  input,
  realMachine,
  replay,
  type Snapshot,
  type validForm,
} from '../../packages/engine/test/support/intakeModel.js';
import { copy } from '../../packages/widget/src/frame/copy.js';
import { DESKTOP, hasChromium, launchBrowser } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { chat, launcher } from './support/widget.js';

/*
 * The engine's test model (packages/engine/test/support/intakeModel.ts) drives the real widget in
 * Chromium. Of the paths the model generates, a few are chosen that together take every state and
 * transition of the machine, ask every question of the default flow and reach every route. Each is
 * replayed as clicks on the demo site. The lead server's answers (stored, unreachable, refused) are
 * played by holding the frame's request and letting it through, failing it or refusing it. The retry
 * timer is moved by Playwright's clock. After every event the screen must show the state the
 * machine is in.
 */

type Run = ReturnType<typeof replay> & { steps: Set<string>; routes: Set<string> };

/** Which questions a path asks and which routes it reaches, measured on a real actor. */
function measure(run: ReturnType<typeof replay>): Run {
  const steps = new Set<string>();
  const routes = new Set<string>();
  const actor = createActor(realMachine, { input }).start();
  for (const event of run.sent) {
    actor.send(event);
    const { stepId, result } = actor.getSnapshot().context;
    if (stepId && stepId !== RESULT) steps.add(stepId);
    if (result) routes.add(result.route);
  }
  actor.stop();
  return { ...run, steps, routes };
}

/** Greedy set cover: the fewest paths (shortest on ties) that take every state, transition, question and route. */
function choosePaths(runs: Run[]): Run[] {
  const targetsOf = (run: Run): unknown[] => [
    ...run.taken,
    ...run.visited,
    ...[...run.steps].map((id) => `step:${id}`),
    ...[...run.routes].map((route) => `route:${route}`),
  ];
  const uncovered = new Set(runs.flatMap(targetsOf));
  const chosen: Run[] = [];
  while (uncovered.size > 0) {
    let best: Run | undefined;
    let bestScore = 0;
    for (const run of runs) {
      const score = targetsOf(run).filter((target) => uncovered.has(target)).length;
      if (score > bestScore || (score === bestScore && best && run.sent.length < best.sent.length)) {
        best = run;
        bestScore = score;
      }
    }
    if (!best || bestScore === 0) break;
    chosen.push(best);
    for (const target of targetsOf(best)) uncovered.delete(target);
  }
  return chosen;
}

describe.skipIf(!hasChromium)('the real widget, walked along the engine model', () => {
  let stack: Stack;
  let browser: Browser;
  let chosen: Run[] = [];
  let everything: Run[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    everything = generatePaths().paths.map((path) => measure(replay(path.events)));
    chosen = choosePaths(everything);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('chooses paths that together cover every state, transition, question and route', () => {
    const taken = new Set(chosen.flatMap((run) => [...run.taken]));
    const visited = new Set(chosen.flatMap((run) => [...run.visited]));
    expect(allTransitions(realMachine.root).filter((transition) => !taken.has(transition))).toEqual([]);
    expect(allStateNodes(realMachine.root).filter((node) => !visited.has(node.id))).toEqual([]);
    expect([...new Set(chosen.flatMap((run) => [...run.steps]))].sort()).toEqual(
      defaultFlow.steps.map((step) => step.id).sort(),
    );
    expect([...new Set(chosen.flatMap((run) => [...run.routes]))].sort()).toEqual(
      defaultFlow.triage.map((rule) => rule.route).sort(),
    );
    console.log(
      `model paths: ${everything.length} generated, ${chosen.length} chosen for the browser ` +
        `(${chosen.reduce((sum, run) => sum + run.sent.length, 0)} events)`,
    );
  });

  it('shows, after every event of every chosen path, the screen of the state the machine is in', async () => {
    for (const [index, run] of chosen.entries()) {
      const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
      // Time stands still in the page until a path's retry timer is meant to fire.
      await context.clock.install();
      await context.clock.pauseAt(Date.now() + 1_000);
      const requests: Route[] = [];
      await context.route('**/v1/leads', (route) => {
        requests.push(route);
      });
      const page = await context.newPage();
      await page.goto(`${stack.site}/`);
      await launcher(page).click();
      const frame = chat(page);

      const expected = createActor(realMachine, { input }).start();
      await expectScreen(frame, expected.getSnapshot(), `path ${index}, start`);
      for (const [step, event] of run.sent.entries()) {
        const before = expected.getSnapshot();
        // An event the machine ignores here (restart while sending, an answer that is not an option)
        // is one the widget must not offer at all: there is nothing to press.
        if (before.can(event)) await play(page, frame, event, before, requests);
        else await expectNotOffered(frame, event, before);
        expected.send(event);
        await expectScreen(frame, expected.getSnapshot(), `path ${index}, event ${step} (${describeEvent(event)})`);
      }
      expected.stop();
      await context.close();
    }
  });
});

/** Does in the browser what the event stands for: a click, a form filled in, or the server answering. */
async function play(page: Page, frame: FrameLocator, event: IntakeEvent, before: Snapshot, requests: Route[]) {
  const t = before.context.locale === 'es' ? copy.es : copy.en;
  const type = event.type as string;
  const button = (name: string) => frame.getByRole('button', { name, exact: true }).click();
  switch (type) {
    case 'visitor.start':
      return button(t.start);
    case 'visitor.locale':
      return button(t.languageName);
    case 'visitor.crisis':
      return button(t.crisisBar);
    case 'visitor.continue':
      return button(t.continue);
    case 'visitor.requestCallback':
      return button(t.requestCallback);
    case 'visitor.skip':
      return button(t.skip);
    case 'visitor.restart':
      // On the greeting there is nothing to clear, and the widget offers no "start over" there.
      if (before.matches({ dialogue: 'greeting' })) return;
      return button(t.startOver);
    case 'form.retry':
      return button(t.retry);
    case 'visitor.back':
      return button(before.matches({ dialogue: 'submitFailed' }) ? t.editForm : t.back);
    case 'visitor.answer': {
      const { value } = event as { value: string | string[] };
      const step = stepById(defaultFlow, before.context.stepId as string);
      const label = (option: string) =>
        localize(
          step.options?.find((candidate) => candidate.value === option)?.label ?? {},
          before.context.locale,
          defaultFlow,
        );
      // The widget offers only the step's own options; an answer that is not one cannot be given.
      if (typeof value === 'string' && !step.options?.some((option) => option.value === value)) return;
      if (step.kind !== 'multi') return button(label(value as string));
      for (const option of value) await frame.getByRole('checkbox', { name: label(option), exact: true }).check();
      return button(t.next);
    }
    case 'form.submit': {
      const { form } = event as { form: typeof validForm };
      await frame.locator('#field-name').fill(form.name);
      await frame.locator('#field-phone').fill(form.phone);
      await frame.getByRole('radio', { name: t.times[form.bestTime as keyof typeof t.times] }).check();
      await frame.getByRole('checkbox', { name: t.voicemailOk }).setChecked(form.voicemailOk);
      await frame.getByRole('checkbox', { name: t.textOk }).setChecked(form.textOk);
      await frame.locator('#field-state').selectOption(form.state);
      await frame.getByRole('checkbox', { name: t.adult }).setChecked(form.adult);
      await frame.locator('#field-consent').setChecked(form.consentCall);
      return button(t.submit);
    }
    case 'xstate.done.actor.submitLead':
      return (await nextRequest(requests)).continue();
    case 'xstate.error.actor.submitLead': {
      const { error } = event as unknown as { error: { retryable?: boolean; issues?: unknown[] } };
      const route = await nextRequest(requests);
      if (error.retryable !== false) return route.abort('connectionrefused');
      return route.fulfill({
        status: 400,
        json: { error: { code: 'invalid_lead', message: 'Check the phone number.', issues: error.issues } },
      });
    }
    default:
      // The retry timer: move the page's clock past the backoff so the widget sends again by itself.
      if (type.startsWith('xstate.after.')) return page.clock.runFor(retryDelay(before.context.attempts) + 10);
      throw new Error(`no way to play ${type} in the browser`);
  }
}

/** The control for an event the machine would ignore is not on screen. */
async function expectNotOffered(frame: FrameLocator, event: IntakeEvent, before: Snapshot) {
  const t = before.context.locale === 'es' ? copy.es : copy.en;
  const names: Partial<Record<IntakeEvent['type'], string>> = {
    'visitor.restart': t.startOver,
    'visitor.skip': t.skip,
    'visitor.back': t.back,
    'form.retry': t.retry,
    'visitor.requestCallback': t.requestCallback,
  };
  const name = names[event.type];
  if (name) expect(await frame.getByRole('button', { name, exact: true }).count()).toBe(0);
}

/** The frame's request to the lead server, once the widget has sent it. */
async function nextRequest(requests: Route[]): Promise<Route> {
  await expect.poll(() => requests.length, { timeout: 10_000 }).toBeGreaterThan(0);
  return requests.shift() as Route;
}

/** The screen of the machine's state is up: the crisis screen, or the dialogue's current screen. */
async function expectScreen(frame: FrameLocator, snapshot: Snapshot, where: string) {
  const t = snapshot.context.locale === 'es' ? copy.es : copy.en;
  const { context } = snapshot;
  const dialogue = (snapshot.value as { dialogue: string }).dialogue;
  let screen: ReturnType<FrameLocator['getByRole']>;
  if (snapshot.matches({ crisis: 'open' })) screen = frame.getByRole('heading', { name: t.crisisTitle });
  else if (dialogue === 'greeting') screen = frame.getByRole('button', { name: t.start, exact: true });
  else if (dialogue === 'asking') {
    const step = stepById(defaultFlow, context.stepId as string);
    screen = frame.locator('#prompt', {
      hasText: promptFor(defaultFlow, step, context.answers, context.locale),
    }) as never;
  } else if (dialogue === 'result') {
    const route = defaultFlow.routes[context.result?.route ?? ''];
    screen = frame.getByRole('heading', { name: localize(route?.title ?? {}, context.locale, defaultFlow) });
  } else if (dialogue === 'callbackForm') screen = frame.getByRole('heading', { name: t.formHeading });
  else if (dialogue === 'submitting') screen = frame.getByRole('heading', { name: t.sending });
  else if (dialogue === 'submitFailed') screen = frame.getByRole('heading', { name: t.failedTitle });
  else screen = frame.getByRole('heading', { name: t.doneTitle });
  await screen.waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`${where}: expected the ${snapshot.matches({ crisis: 'open' }) ? 'crisis' : dialogue} screen`);
  });
}

function describeEvent(event: IntakeEvent): string {
  if (event.type === 'visitor.answer') return `answer ${JSON.stringify(event.value)}`;
  if (event.type === 'visitor.locale') return `locale ${event.locale}`;
  return event.type;
}
