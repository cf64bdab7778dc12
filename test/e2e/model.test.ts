import { defaultFlow } from '@intake-chat/engine';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  allStateNodes,
  allTransitions,
  generatePaths,
  input,
  realMachine,
  replay,
} from '../../packages/engine/test/support/intakeModel.js';
import { DESKTOP, hasChromium, launchBrowser } from './support/browser.js';
import {
  choosePaths,
  describeEvent,
  expectNotOffered,
  expectScreen,
  measure,
  openForModel,
  play,
  type Run,
} from './support/modelPlay.js';
import { type Stack, startStack } from './support/stack.js';

/*
 * The engine's test model (packages/engine/test/support/intakeModel.ts) drives the real widget in
 * Chromium. Of the paths the model generates, a few are chosen that together take every state and
 * transition of the machine, ask every question of the default flow and reach every route. Each is
 * replayed as clicks on the demo site. The lead server's answers (stored, unreachable, refused) are
 * played by holding the frame's request and letting it through, failing it or refusing it. The retry
 * timer is moved by Playwright's clock. After every event the screen must show the state the
 * machine is in.
 */

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
      const { context, page, frame, requests } = await openForModel(browser, stack.site, { viewport: DESKTOP });

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
