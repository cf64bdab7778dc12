import { defaultFlow, type IntakeEvent, localize, promptFor, RESULT, retryDelay, stepById } from '@intake-chat/engine';
import type { Browser, BrowserContextOptions, FrameLocator, Page, Route } from 'playwright-core';
import { expect } from 'vitest';
import { createActor } from 'xstate';
import {
  input,
  realMachine,
  type replay,
  type Snapshot,
  type validForm,
} from '../../../packages/engine/test/support/intakeModel.js';
import { copy } from '../../../packages/widget/src/frame/copy.js';
import { chat, launcher } from './widget.js';

/*
 * The engine's test model played in the real widget: which paths to walk, how each event is done
 * in the browser, and what screen each state shows. Shared by the model test and the layout test.
 */

export type Run = ReturnType<typeof replay> & { steps: Set<string>; routes: Set<string> };

/** Which questions a path asks and which routes it reaches, measured on a real actor. */
export function measure(run: ReturnType<typeof replay>): Run {
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
export function choosePaths(runs: Run[]): Run[] {
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

/**
 * A fresh page of the demo site with the chat open, ready to replay a path: time stands still in the
 * page until a path's retry timer is meant to fire, and the frame's requests to the lead server are
 * held in `requests` for the path's own answers to let through, fail or refuse.
 */
export async function openForModel(browser: Browser, site: string, options: BrowserContextOptions) {
  const context = await browser.newContext({ ...options, reducedMotion: 'reduce' });
  await context.clock.install();
  await context.clock.pauseAt(Date.now() + 1_000);
  const requests: Route[] = [];
  await context.route('**/v1/leads', (route) => {
    requests.push(route);
  });
  const page = await context.newPage();
  await page.goto(`${site}/`);
  await launcher(page).click();
  return { context, page, frame: chat(page), requests };
}

/** Does in the browser what the event stands for: a click, a form filled in, or the server answering. */
export async function play(page: Page, frame: FrameLocator, event: IntakeEvent, before: Snapshot, requests: Route[]) {
  const t = before.context.locale === 'es' ? copy.es : copy.en;
  const type = event.type as string;
  const button = (name: string) => frame.getByRole('button', { name, exact: true }).click();
  switch (type) {
    case 'visitor.start':
      return button(t.start);
    case 'visitor.locale':
      return button(t.languageName);
    case 'visitor.crisis':
      return button(t.crisisMoreName);
    case 'visitor.continue':
      return button(before.matches({ dialogue: 'callbackForm' }) ? t.continueForm : t.continue);
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
    case 'host.page':
      // The shell tells the frame the page on every open: close the chat and open it again.
      await launcher(page).click();
      return launcher(page).click();
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
      if (step.kind === 'text') {
        await frame.locator('#answer-text').fill(value as string);
        return button(t.send);
      }
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
export async function expectNotOffered(frame: FrameLocator, event: IntakeEvent, before: Snapshot) {
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
export async function expectScreen(frame: FrameLocator, snapshot: Snapshot, where: string) {
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

export function describeEvent(event: IntakeEvent): string {
  if (event.type === 'visitor.answer') return `answer ${JSON.stringify(event.value)}`;
  if (event.type === 'visitor.locale') return `locale ${event.locale}`;
  return event.type;
}
