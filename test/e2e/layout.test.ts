import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { generatePaths, input, realMachine, replay } from '../../packages/engine/test/support/intakeModel.js';
import { hasChromium, launchBrowser } from './support/browser.js';
import { expectScreen, openForModel, play } from './support/modelPlay.js';
import { type Stack, startStack } from './support/stack.js';

/*
 * Issue 11: each screen's main action (Start, the first answer, Continue, Send, Ask for a call back,
 * Send my request) sits inside the visible panel without scrolling, on two desktop windows and two
 * phones, for every screen the engine model's chosen paths pass through, in English and Spanish
 * (the paths switch language). Nothing scrolls sideways, and axe finds no violation on each kind
 * of screen. Measured by bounding boxes in Chromium, after the screen has settled.
 */

const viewports: Record<string, BrowserContextOptions> = {
  'desktop 1280x800': { viewport: { width: 1280, height: 800 } },
  'laptop 1366x620': { viewport: { width: 1366, height: 620 } },
  'phone 375x667': { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true },
  'phone 320x568': { viewport: { width: 320, height: 568 }, isMobile: true, hasTouch: true },
};

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface Layout {
  /** What is wrong with the screen's layout, in words; empty when it is right. */
  readonly problems: string[];
  /** The screen's main action, by its text, or null where a screen has none (crisis, sending). */
  readonly primary: string | null;
}

/** Measured inside the frame: the main action against the scrolling body and the frame's window. */
async function measureLayout(page: Page): Promise<Layout> {
  const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname === '/frame');
  if (!frame) return { problems: ['the chat frame is not there'], primary: null };
  const panel = await page.locator('intake-chat .panel').boundingBox();
  const viewport = page.viewportSize() ?? { width: 0, height: 0 };
  const inFrame = await frame.evaluate(() => {
    const problems: string[] = [];
    const body = document.querySelector('.body');
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`the frame scrolls sideways (${root.scrollWidth}px)`);
    if (body && body.scrollWidth > body.clientWidth + 1)
      problems.push(`the chat body scrolls sideways (${body.scrollWidth} > ${body.clientWidth}px)`);
    // The crisis bar is one line whose links all fit: none cut off at the edge.
    const bar = document.querySelector('.crisis-bar');
    if (bar) {
      const edge = bar.getBoundingClientRect();
      for (const link of bar.querySelectorAll('a, button')) {
        const box = link.getBoundingClientRect();
        if (box.right > edge.right + 0.5 || box.bottom > edge.bottom + 0.5)
          problems.push(`the crisis bar cuts off "${link.getAttribute('aria-label')}"`);
      }
    }
    // The one shown: the screen under the crisis screen stays in the page, hidden.
    const primary = [...document.querySelectorAll<HTMLElement>('[data-primary]')].find((el) => el.checkVisibility());
    if (!primary || !body) return { problems, primary: null, box: null };
    const box = primary.getBoundingClientRect();
    const view = body.getBoundingClientRect();
    const name = (primary.textContent ?? '').trim();
    if (box.top < view.top - 0.5 || box.bottom > view.bottom + 0.5 || box.left < view.left || box.right > view.right)
      problems.push(
        `"${name}" is outside the visible chat (its box ${Math.round(box.top)}-${Math.round(box.bottom)}px, the view ${Math.round(view.top)}-${Math.round(view.bottom)}px)`,
      );
    // Nothing docked or drawn over its middle.
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (hit && !primary.contains(hit))
      problems.push(`"${name}" is covered by ${hit.tagName.toLowerCase()}.${hit.className}`);
    return { problems, primary: name, box: { top: box.top, bottom: box.bottom } };
  });
  const problems = [...inFrame.problems];
  if (panel && (panel.y < 0 || panel.y + panel.height > viewport.height + 0.5))
    problems.push(`the panel leaves the window (${Math.round(panel.y)}-${Math.round(panel.y + panel.height)}px)`);
  if (panel && inFrame.box && panel.y + inFrame.box.bottom > viewport.height + 0.5)
    problems.push(`"${inFrame.primary}" is below the window`);
  const host = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (host > 1) problems.push(`the host page scrolls sideways by ${host}px`);
  return { problems, primary: inFrame.primary };
}

/** A name for the screen the machine is on, so each is measured once per window. */
function screenKey(snapshot: ReturnType<ReturnType<typeof createActor<typeof realMachine>>['getSnapshot']>): string {
  const { context } = snapshot;
  const dialogue = (snapshot.value as { dialogue: string }).dialogue;
  const where = snapshot.matches({ crisis: 'open' })
    ? `crisis over ${dialogue}`
    : dialogue === 'asking'
      ? `question ${context.stepId}`
      : dialogue === 'result'
        ? `result ${context.result?.route}`
        : dialogue === 'callbackForm' && context.formIssues.length > 0
          ? 'form with errors'
          : dialogue;
  return `${where} (${context.locale}, for ${context.answers['for-whom'] ?? 'anyone'})`;
}

interface Walk {
  readonly sent: ReturnType<typeof replay>['sent'];
  readonly screens: ReadonlySet<string>;
}

/** The screens a path of the model shows, replayed on a real actor. */
function walk(sent: Walk['sent']): Walk {
  const actor = createActor(realMachine, { input }).start();
  const screens = new Set([screenKey(actor.getSnapshot())]);
  for (const event of sent) {
    actor.send(event);
    screens.add(screenKey(actor.getSnapshot()));
  }
  actor.stop();
  return { sent, screens };
}

/** The fewest paths (greedy, shortest on ties) that between them show every screen the model's paths show. */
function coverScreens(walks: Walk[]): Walk[] {
  const uncovered = new Set(walks.flatMap((run) => [...run.screens]));
  const chosen: Walk[] = [];
  while (uncovered.size > 0) {
    const gain = (run: Walk) => [...run.screens].filter((screen) => uncovered.has(screen)).length;
    const best = walks.reduce((a, b) =>
      gain(b) > gain(a) || (gain(b) === gain(a) && b.sent.length < a.sent.length) ? b : a,
    );
    if (gain(best) === 0) break;
    chosen.push(best);
    for (const screen of best.screens) uncovered.delete(screen);
  }
  return chosen;
}

describe.skipIf(!hasChromium)('every screen, at every window size', () => {
  let stack: Stack;
  let browser: Browser;
  let chosen: Walk[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    chosen = coverScreens(generatePaths().paths.map((path) => walk(replay(path.events).sent)));
    console.log(
      `layout: ${chosen.length} paths, ${chosen.reduce((sum, run) => sum + run.sent.length, 0)} events, ` +
        `${new Set(chosen.flatMap((run) => [...run.screens])).size} screens`,
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  for (const [name, options] of Object.entries(viewports)) {
    it(`keeps the main action in view and nothing sideways: ${name}`, { timeout: 300_000 }, async () => {
      const problems: string[] = [];
      const measured = new Set<string>();
      const scanned = new Set<string>();
      for (const run of chosen) {
        const { context, page, frame, requests } = await openForModel(browser, stack.site, options);
        const expected = createActor(realMachine, { input }).start();
        const check = async () => {
          const snapshot = expected.getSnapshot();
          await expectScreen(frame, snapshot, name);
          const key = screenKey(snapshot);
          if (measured.has(key)) return;
          measured.add(key);
          // Layout effects (scrolling the new turn into view) run in the render that shows the screen,
          // so it is measured as it rests. (No animation frame to wait for: the page's clock is paused.)
          const layout = await measureLayout(page);
          problems.push(...layout.problems.map((problem) => `${key}: ${problem}`));
          const kind = key.replace(/ \(.*$/, '').replace(/^question .*/, 'question');
          // axe waits on timers, so the page's clock runs while it scans; not while a send is under
          // way or failed, where a running clock would fire the retry the path plays itself.
          const timed = snapshot.matches({ dialogue: 'submitting' }) || snapshot.matches({ dialogue: 'submitFailed' });
          if (!scanned.has(kind) && !timed) {
            scanned.add(kind);
            await page.mouse.move(0, 0);
            await page.clock.resume();
            // target-size is left to the accessibility test, which scans each screen as it rests: here a
            // control half scrolled under the docked action counts as "obscured", though scrolling it
            // into view (as focus does, past the body's scroll-padding) gives its full 24 px and more.
            const results = await new AxeBuilder({ page })
              .withTags(WCAG_AA)
              .disableRules(['target-size'])
              .include('intake-chat')
              .analyze();
            await page.clock.pauseAt(Date.now() + 1_000);
            problems.push(...results.violations.map((violation) => `${key}: axe ${violation.id}: ${violation.help}`));
          }
        };
        await check();
        for (const event of run.sent) {
          const before = expected.getSnapshot();
          if (!before.can(event)) {
            expected.send(event);
            continue;
          }
          await play(page, frame, event, before, requests);
          expected.send(event);
          await check();
        }
        expected.stop();
        await context.close();
      }
      console.log(`${name}: ${measured.size} screens measured, ${scanned.size} kinds scanned with axe`);
      expect(problems).toEqual([]);
    });
  }
});
