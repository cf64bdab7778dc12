import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { answer, fillForm, journeys, openChat } from './support/widget.js';

// docs/conversation.md, crisis resources: 988 and 911 on every screen, before any consent, with no lead needed;
// plain statements must never be missed.

const storyPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Riverbend Recovery: tell us more</title>
<link rel="icon" href="data:,"></head>
<body><main><h1>Tell us more</h1></main>
<script src="http://127.0.0.1:8787/widget.js" async data-center="riverbend-story"></script>
</body></html>`;

const devices: Record<string, BrowserContextOptions> = {
  desktop: { viewport: DESKTOP },
  phone: { viewport: PHONE, isMobile: true, hasTouch: true },
};

describe.skipIf(!hasChromium)('crisis help', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ '/story.html': storyPage }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function visit(device: BrowserContextOptions, path: string): Promise<Page> {
    const context = await browser.newContext({ ...device, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${stack.site}${path}`);
    return page;
  }

  /** The crisis screen is up, with 988 and 911 as links a phone dials or texts. */
  async function expectCrisisScreen(page: Page) {
    const frame = page.frameLocator('intake-chat iframe');
    await frame.getByRole('heading', { name: 'Help right now' }).waitFor();
    for (const [name, href] of [
      ['Call 988', 'tel:988'],
      ['Text 988', 'sms:988'],
      ['Call 911', 'tel:911'],
    ] as const) {
      const link = frame.getByRole('link', { name, exact: true });
      expect(await link.getAttribute('href')).toBe(href);
      expect(await link.isVisible()).toBe(true);
    }
  }

  for (const [device, options] of Object.entries(devices)) {
    it(`is one tap away on the very first screen, before any consent (${device})`, async () => {
      const page = await visit(options, '/');
      const frame = await openChat(page);
      // Calling or texting 988, or calling 911, is a link in the bar itself: one tap.
      const bar = frame.getByRole('navigation', { name: 'Crisis help' });
      for (const [name, href] of [
        ['Call 988, the Suicide and Crisis Lifeline', 'tel:988'],
        ['Text 988, the Suicide and Crisis Lifeline', 'sms:988'],
        ['Call 911 for an emergency', 'tel:911'],
      ] as const) {
        const link = bar.getByRole('link', { name, exact: true });
        expect(await link.getAttribute('href')).toBe(href);
        const box = await link.boundingBox();
        // On screen, and at least 24 x 24 px (WCAG 2.2 SC 2.5.8).
        expect(box?.width).toBeGreaterThanOrEqual(24);
        expect(box?.height).toBeGreaterThanOrEqual(24);
      }
      await bar.getByRole('button', { name: 'More crisis help' }).click();
      await expectCrisisScreen(page);
      expect(await stack.leads()).toEqual([]);
      await page.context().close();
    });

    it(`returns to where the visitor was on Escape, and keeps the chat open (${device})`, async () => {
      const page = await visit(options, '/');
      const frame = await openChat(page);
      await frame.getByRole('button', { name: 'Start' }).click();
      await answer(frame, 'For myself');
      await frame.getByRole('button', { name: 'More crisis help' }).click();
      await frame.getByRole('heading', { name: 'Help right now' }).waitFor();
      await page.keyboard.press('Escape');
      await frame.locator('#prompt', { hasText: 'Are you in danger right now' }).waitFor();
      expect(await page.locator('intake-chat .panel').isVisible()).toBe(true);
      // A second Escape, off the crisis screen, closes the chat as before.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('intake-chat .panel').isVisible()).toBe(false);
      await page.context().close();
    });

    it(`comes up at once when the visitor says they are in danger right now (${device})`, async () => {
      const page = await visit(options, '/');
      const frame = await openChat(page);
      await frame.getByRole('button', { name: 'Start' }).click();
      await answer(frame, 'For myself');
      await answer(frame, 'Yes');
      await expectCrisisScreen(page);
      // A false alarm costs one tap: the questions go on where they were.
      await frame.getByRole('button', { name: 'Go back to the questions' }).click();
      await frame.getByRole('log').getByText('What do you use? Choose all that apply.').waitFor();
      await page.context().close();
    });

    it(`comes up at once when typed words sound like a crisis, in English and Spanish (${device})`, async () => {
      for (const [words, locale] of [
        ['honestly I just want to die', 'en'],
        ['mi hermano tomó demasiadas pastillas y no despierta', 'es'],
      ] as const) {
        const page = await visit(options, '/story.html');
        const frame = await openChat(page);
        if (locale === 'es') await frame.getByRole('button', { name: 'Cambiar a español' }).click();
        await frame.getByRole('button', { name: /^(Start|Empezar)$/ }).click();
        await answer(frame, locale === 'es' ? 'Para mí' : 'For myself');
        await frame.getByRole('textbox').pressSequentially(words);
        await frame.getByRole('button', { name: /^(Send|Enviar)$/ }).click();
        await frame.getByRole('heading', { name: locale === 'es' ? 'Ayuda ahora mismo' : 'Help right now' }).waitFor();
        expect(await frame.getByRole('link', { name: /988/ }).first().getAttribute('href')).toBe('tel:988');
        await page.context().close();
      }
    });
  }

  it('shows crisis help to a visitor who types crisis words as their name, and staff see an emergency', async () => {
    const page = await visit(devices.phone ?? {}, '/');
    const frame = await openChat(page);
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of journeys['iop-fit']) await answer(frame, value);
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(frame, { name: 'I want to kill myself' });
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await expectCrisisScreen(page);
    expect(await stack.leads()).toEqual([]);
    // Back at the form, nothing typed is lost; sending it now sends it.
    await frame.getByRole('button', { name: 'Go back to my request' }).click();
    expect(await frame.getByLabel('First name or nickname').inputValue()).toBe('I want to kill myself');
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await frame.getByRole('heading', { name: 'Thank you. We got your request.' }).waitFor();
    await frame.getByText(/If you or someone else is in danger now, call 911/).waitFor();
    expect(await frame.getByText(/within 15 minutes/).count()).toBe(0);
    const [lead] = await stack.leads();
    expect(lead).toMatchObject({ route: 'crisis', urgency: 'emergency', reasons: ['crisis-words'] });
    await page.context().close();
  });

  it('fills the phone screen with the chat, so the crisis bar and the input are never under the fold', async () => {
    const page = await visit(devices.phone ?? {}, '/');
    const frame = await openChat(page);
    const box = await page.locator('intake-chat .panel').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    const bar = await frame.getByRole('navigation', { name: 'Crisis help' }).boundingBox();
    expect(bar?.y).toBeGreaterThanOrEqual(0);
    expect((bar?.y ?? PHONE.height) + (bar?.height ?? 0)).toBeLessThan(PHONE.height / 3);
    // The sheet is a modal dialog: Tab never reaches the page hidden behind it.
    await frame.getByRole('button', { name: 'Start' }).focus();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.tagName ?? 'none');
      expect(['INTAKE-CHAT', 'BODY', 'none']).toContain(focused);
    }
    await page.context().close();
  });
});
