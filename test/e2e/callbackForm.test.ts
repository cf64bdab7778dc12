import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { answer, fillForm, journeys, openChat } from './support/widget.js';

// Issue 11, the callback form as a visitor on a phone meets it: errors that go away once fixed, consent
// words that match what they allowed, boxes drawn inside their borders, and a "Start over" that asks.

describe.skipIf(!hasChromium)('the callback form on a phone', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function atForm(): Promise<{ page: Page; frame: Awaited<ReturnType<typeof openChat>> }> {
    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${stack.site}/`);
    const frame = await openChat(page);
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of journeys['iop-fit']) await answer(frame, value);
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    return { page, frame };
  }

  it('a visitor who ticks the 18+ box sees its error go at once, and the state error names the list', async () => {
    const { page, frame } = await atForm();
    await frame.getByRole('button', { name: 'Send my request' }).click();
    const adultError = frame.getByText(/Please confirm you are 18 or older/);
    await adultError.waitFor();
    await frame.getByText('Choose the US state you live in from the list').waitFor();
    await frame.getByRole('checkbox', { name: 'I am 18 or older' }).check();
    await expect.poll(() => adultError.count()).toBe(0);
    // The box sits inside its bordered label, with room around it.
    const box = await frame.getByRole('checkbox', { name: 'I am 18 or older' }).boundingBox();
    const label = await frame.locator('label.check', { hasText: 'I am 18 or older' }).boundingBox();
    expect((box?.x ?? 0) - (label?.x ?? 0)).toBeGreaterThanOrEqual(8);
    expect((box?.y ?? 0) - (label?.y ?? 0)).toBeGreaterThanOrEqual(8);
    expect(box?.width).toBeGreaterThanOrEqual(24);
    await page.context().close();
  });

  it('a visitor who does not allow texts agrees to calls only, and the lead records those words', async () => {
    const { page, frame } = await atForm();
    const consent = frame.locator('label.check', { has: frame.locator('#field-consent') });
    expect(await consent.textContent()).not.toMatch(/text/i);
    expect(await consent.evaluate((label) => getComputedStyle(label.querySelector('span') as Element).fontWeight)).toBe(
      '400',
    );
    await fillForm(frame, { name: 'Robin' });
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await frame.getByRole('heading', { name: 'Thank you. We got your request.' }).waitFor();
    // The privacy line no longer says the answers stay in this browser.
    expect(await frame.getByText(/Your answers stay in this browser/).count()).toBe(0);
    const lead = (await stack.leads()).find((candidate) => candidate.contact.name === 'Robin');
    expect(lead?.consent).toMatchObject({ text: false, textVersion: '2026-12-riverbend-call-v1' });
    await page.context().close();
  });

  it('a visitor who taps "Start over" by mistake is asked first, and keeps every answer on "No"', async () => {
    const { page, frame } = await atForm();
    await frame.getByRole('button', { name: 'Start over and clear my answers' }).click();
    await frame.getByRole('button', { name: 'No, keep them' }).click();
    await frame.getByRole('heading', { name: 'Ask for a call back' }).waitFor();
    await frame.getByRole('button', { name: 'Start over and clear my answers' }).click();
    await frame.getByRole('button', { name: 'Yes, clear them' }).click();
    await frame.getByRole('button', { name: 'Start' }).waitFor();
    await page.context().close();
  });
});
