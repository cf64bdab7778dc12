import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { chat, focusedInChat, launcher } from './support/widget.js';

// Crisis help is one tap away on every screen, the screen before the chat has loaded included: a
// phone that lost its signal, a lead server that is down, or a host page whose policy forbids the
// frame must still leave the visitor who opened the chat a way to call or text 988 or call 911.

const lines = {
  en: {
    path: '/index.html',
    loading: 'Opening the private chat…',
    stuck: 'The chat is not loading right now.',
    close: 'Close chat',
    retry: 'Try again',
    start: 'Start',
    links: [
      ['Call 988, the Suicide and Crisis Lifeline', 'tel:988'],
      ['Text 988, the Suicide and Crisis Lifeline', 'sms:988'],
      ['Call 911 for an emergency', 'tel:911'],
    ],
  },
  es: {
    path: '/es/index.html',
    loading: 'Abriendo el chat privado…',
    stuck: 'El chat no se está cargando en este momento.',
    close: 'Cerrar chat',
    retry: 'Intentar de nuevo',
    start: 'Empezar',
    links: [
      ['Llamar al 988, la Línea de Prevención del Suicidio y Crisis', 'tel:988'],
      ['Enviar un mensaje de texto al 988, la Línea de Prevención del Suicidio y Crisis', 'sms:988'],
      ['Llamar al 911 en una emergencia', 'tel:911'],
    ],
  },
} as const;

describe.skipIf(!hasChromium)('opening the chat before it can load', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function visit(path: string, phone: boolean, frame: (route: Route) => Promise<void>): Promise<Page> {
    const context = await browser.newContext({
      viewport: phone ? PHONE : DESKTOP,
      isMobile: phone,
      hasTouch: phone,
      reducedMotion: 'reduce',
    });
    await context.route(/\/frame\?/, frame);
    const page = await context.newPage();
    await page.goto(`${stack.site}${path}`);
    await launcher(page).waitFor();
    return page;
  }

  for (const locale of ['en', 'es'] as const) {
    const copy = lines[locale];
    it(`offers 988 and 911 at once when the chat cannot load (${locale}, phone), and says so`, async () => {
      const page = await visit(copy.path, true, (route) => route.abort('internetdisconnected'));
      await launcher(page).tap();
      const panel = page.locator('intake-chat .panel');
      for (const [name, href] of copy.links) {
        const link = panel.getByRole('link', { name, exact: true });
        await expect.poll(() => link.isVisible()).toBe(true);
        expect(await link.getAttribute('href')).toBe(href);
      }
      await expect.poll(() => panel.getByText(copy.loading).isVisible()).toBe(true);
      // Still nothing after a while: the words stop promising that it is opening.
      await expect.poll(() => panel.getByText(copy.stuck).isVisible(), { timeout: 15_000 }).toBe(true);
      // The browser's own error page stays out of sight and out of reach.
      expect(
        await page
          .locator('intake-chat iframe')
          .evaluate((frame: HTMLIFrameElement) => ({ opacity: getComputedStyle(frame).opacity, inert: frame.inert })),
      ).toEqual({ opacity: '0', inert: true });
      // The sheet covers the launcher on a phone, and the chat's own close button never came: this one closes it.
      await panel.getByRole('button', { name: copy.close, exact: true }).tap();
      await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false');
      expect(await panel.isVisible()).toBe(false);

      // The signal comes back; opened again, the chat still says it is not loading, and trying again loads it.
      await page.context().unroute(/\/frame\?/);
      await launcher(page).tap();
      await expect.poll(() => panel.getByText(copy.stuck).isVisible()).toBe(true);
      await panel.getByRole('button', { name: copy.retry, exact: true }).tap();
      await chat(page).getByRole('button', { name: copy.start, exact: true }).waitFor();
      expect(await panel.getByText(copy.stuck).isVisible()).toBe(false);
      await page.context().close();
    });
  }

  it('keeps a keyboard user on the crisis links while the chat loads, then moves them into it', async () => {
    let release = () => {};
    const held = new Promise<void>((done) => {
      release = done;
    });
    const page = await visit('/index.html', false, async (route) => {
      await held;
      await route.continue();
    });
    await launcher(page).focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('intake-chat .panel');
    await expect.poll(() => panel.getByText(lines.en.loading).isVisible()).toBe(true);
    // Focus is in the panel, where Tab reaches the first crisis link.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() => document.querySelector('intake-chat')?.shadowRoot?.activeElement?.textContent),
    ).toBe('Call 988, the Suicide and Crisis Lifeline');

    release();
    await chat(page)
      .getByRole('button', { name: /^Start$/ })
      .waitFor();
    await expect.poll(() => focusedInChat(page)).toBe('Start');
    expect(await panel.getByText(lines.en.loading).isVisible()).toBe(false);
    // Escape closes it and focus returns to the launcher, as from a loaded chat.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INTAKE-CHAT');
    await page.context().close();
  });
});
