import { AxeBuilder } from '@axe-core/playwright';
import type { AxeResults, NodeResult } from 'axe-core';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, type ExpectStatic, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { type Answer, answer, fillForm, journeys, launcher, openChat } from './support/widget.js';

// Issue requirement: axe-core finds no violations at each screen (launcher, each question kind,
// crisis, result, form with errors, confirmation), in both languages, on desktop and a 375x667
// phone. The scans reach into the cross-origin conversation frame; the first two of each walk also
// cover the host page (the demo site), which must be AA too.

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Everything a language changes in the walk: the page the widget is on and the labels clicked. */
interface Language {
  readonly path: string;
  readonly storyPath: string;
  readonly start: string;
  readonly crisisBar: RegExp;
  readonly crisisTitle: string;
  readonly crisisBack: string;
  /** The answers before the first multi-choice question; the first is also the first choice offered. */
  readonly toMulti: readonly [string, ...string[]];
  /** The options ticked at the multi-choice question. */
  readonly multi: readonly string[];
  readonly next: string;
  /** The answers after the multi-choice question, up to the result. */
  readonly toResult: readonly Answer[];
  readonly resultTitle: string;
  readonly requestCallback: string;
  readonly submit: string;
  readonly doneTitle: string;
}

const languages: Record<'en' | 'es', Language> = {
  en: {
    path: '/index.html',
    storyPath: '/story.html',
    start: 'Start',
    crisisBar: /^More crisis help$/,
    crisisTitle: 'Help right now',
    crisisBack: 'Go back to the questions',
    toMulti: ['For myself', 'No'],
    multi: ['Cannabis'],
    next: 'Continue',
    // The same journey as journeys['iop-fit'], from its fourth answer.
    toResult: journeys['iop-fit'].slice(3),
    resultTitle: 'Our IOP may be a fit',
    requestCallback: 'Ask for a call back',
    submit: 'Send my request',
    doneTitle: 'Thank you. We got your request.',
  },
  // The Spanish page (<html lang="es">): the widget starts in Spanish. The same journey, in Spanish.
  es: {
    path: '/es/index.html',
    storyPath: '/es/story.html',
    start: 'Empezar',
    crisisBar: /^Más ayuda en crisis$/,
    crisisTitle: 'Ayuda ahora mismo',
    crisisBack: 'Volver a las preguntas',
    toMulti: ['Para mí', 'No'],
    multi: ['Cannabis o marihuana'],
    next: 'Continuar',
    toResult: [
      'Unas veces por semana',
      'No',
      'Bien',
      'No',
      'Sí',
      'Sí',
      ['Trabajo'],
      'Sí',
      'Por la tarde o noche',
      'Seguro privado',
      'Saltar esta pregunta',
    ],
    resultTitle: 'Nuestro IOP podría ser una opción',
    requestCallback: 'Pedir una llamada',
    submit: 'Enviar mi solicitud',
    doneTitle: 'Gracias. Recibimos su solicitud.',
  },
};

/** A desktop window, and a 375x667 phone with a touch screen (the widget opens as a full-screen sheet). */
const devices = {
  desktop: { viewport: DESKTOP },
  phone: { viewport: PHONE, isMobile: true, hasTouch: true },
} as const satisfies Record<string, BrowserContextOptions>;

/** The default flow has no free-text question; the test center "riverbend-story" asks one. */
const storyPage = (lang: 'en' | 'es') => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Riverbend Recovery</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>
<body><main><h1>Riverbend Recovery</h1></main>
<script src="http://127.0.0.1:8787/widget.js" async data-center="riverbend-story"></script>
</body></html>`;

/** One node's place: frame by frame, and shadow root by shadow root inside a frame. */
function describeTarget(target: NodeResult['target']): string {
  return target.map((step) => (Array.isArray(step) ? step.join(' >>shadow>> ') : String(step))).join(' >>frame>> ');
}

/** Violations as a readable list: rule, impact, what it means, and where. */
function formatViolations(violations: AxeResults['violations']): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => {
        const html = node.html.length > 160 ? `${node.html.slice(0, 160)}…` : node.html;
        const summary = (node.failureSummary ?? '').replace(/\s+/g, ' ').trim();
        return `    - ${describeTarget(node.target)}\n      ${html}\n      ${summary}`;
      });
      return `  [${violation.id}] (${violation.impact ?? 'unknown impact'}) ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Whether axe looked at anything inside the chat's iframe. */
function reachedChatFrame(results: AxeResults): boolean {
  return [...results.passes, ...results.incomplete, ...results.violations].some((rule) =>
    rule.nodes.some((node) => node.target.length > 1 && describeTarget(node.target).includes('iframe')),
  );
}

describe.skipIf(!hasChromium)('accessibility (axe-core, WCAG 2.2 AA)', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ '/story.html': storyPage('en'), '/es/story.html': storyPage('es') }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /**
   * Runs axe and fails with every violation listed. `scope: 'page'` scans the host page too; the
   * screens after the first open one scan only the widget (`<intake-chat>`: its shadow root and the
   * chat frame), since the host page does not change while the visitor talks. `inFrame` also checks
   * that axe really reached into the cross-origin frame, so that a scan cannot pass vacuously.
   */
  async function expectNoViolations(
    expect: ExpectStatic,
    page: Page,
    screen: string,
    { scope = 'widget', inFrame = true }: { scope?: 'page' | 'widget'; inFrame?: boolean } = {},
  ): Promise<void> {
    // No hover state left over from the last click: every scan sees the screen as it rests.
    await page.mouse.move(0, 0);
    const scan = () => {
      const axe = new AxeBuilder({ page }).withTags(WCAG_AA);
      return (scope === 'widget' ? axe.include('intake-chat') : axe).analyze();
    };
    // @axe-core/playwright gives each frame 1 s to load axe and silently skips a frame that takes
    // longer (a busy CPU): then scan again rather than pass without having looked into the chat.
    let results = await scan();
    for (let attempt = 1; attempt < 3 && inFrame && !reachedChatFrame(results); attempt++) results = await scan();
    // The ids keep the diff short; the message says what is wrong and where.
    expect(
      results.violations.map((violation) => violation.id),
      `${screen}: axe found violations:\n${formatViolations(results.violations)}`,
    ).toEqual([]);
    if (inFrame) expect(reachedChatFrame(results), `${screen}: axe did not scan inside the chat frame`).toBe(true);
  }

  // One page per viewport and language, walked screen by screen. The four run at once, each in its
  // own browser context; they share the CPU, hence the longer time limit.
  for (const [device, options] of Object.entries(devices))
    for (const lang of Object.keys(languages) as (keyof typeof languages)[])
      it.concurrent(`has no violations on any screen: ${device}, ${lang}`, { timeout: 180_000 }, async ({ expect }) => {
        const copy = languages[lang];
        const context = await browser.newContext({ ...options, reducedMotion: 'reduce' });
        try {
          const page = await context.newPage();
          await page.goto(`${stack.site}${copy.path}`);
          await launcher(page).waitFor();
          const { width, height } = options.viewport;
          const screen = (name: string) => `[${lang}, ${device} ${width}x${height}] ${name}`;

          await expectNoViolations(expect, page, screen('launcher (chat closed)'), { scope: 'page', inFrame: false });

          const frame = await openChat(page);
          await expectNoViolations(expect, page, screen('greeting'), { scope: 'page' });

          await frame.getByRole('button', { name: copy.start, exact: true }).click();
          await frame.getByRole('button', { name: copy.toMulti[0], exact: true }).waitFor();
          await expectNoViolations(expect, page, screen('choice question'));

          await frame.getByRole('button', { name: copy.crisisBar }).click();
          await frame.getByRole('heading', { name: copy.crisisTitle }).waitFor();
          await expectNoViolations(expect, page, screen('crisis screen'));
          await frame.getByRole('button', { name: copy.crisisBack }).click();

          for (const value of copy.toMulti) await answer(frame, value);
          await frame.getByRole('button', { name: copy.next, exact: true }).waitFor();
          for (const label of copy.multi) await frame.getByRole('checkbox', { name: label, exact: true }).check();
          await expectNoViolations(expect, page, screen('multi-choice question, one option chosen'));
          await frame.getByRole('button', { name: copy.next, exact: true }).click();

          for (const value of copy.toResult) await answer(frame, value);
          await frame.getByRole('heading', { level: 2, name: copy.resultTitle }).waitFor();
          await expectNoViolations(expect, page, screen('result'));

          await frame.getByRole('button', { name: copy.requestCallback }).click();
          await frame.getByRole('button', { name: copy.submit }).click();
          await frame.getByRole('alert').waitFor();
          await expectNoViolations(expect, page, screen('callback form with errors'));

          await fillForm(frame, { name: lang === 'es' ? 'Lucía' : 'Jordan' });
          await frame.getByRole('button', { name: copy.submit }).click();
          await frame.getByRole('heading', { name: copy.doneTitle }).waitFor();
          await expectNoViolations(expect, page, screen('confirmation'));

          // The third question kind, free text, on a page of the center whose flow asks one.
          await page.goto(`${stack.site}${copy.storyPath}`);
          const story = await openChat(page);
          await story.getByRole('button', { name: copy.start, exact: true }).click();
          await answer(story, copy.toMulti[0]);
          await story.getByRole('textbox').waitFor();
          await expectNoViolations(expect, page, screen('free-text question'));
        } finally {
          await context.close();
        }
      });
});
