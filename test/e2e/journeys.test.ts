import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import {
  answer,
  chat,
  chatHasFocusedControl,
  fillForm,
  focusedInChat,
  journeys,
  launcher,
  openChat,
} from './support/widget.js';

// A visitor on the demo center's site, in real Chromium, against the real lead server and SQLite.

describe.skipIf(!hasChromium)('a visitor on the demo site', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function visit(path = '/'): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${stack.site}${path}`);
    return page;
  }

  it('completes the flow by mouse, gets the route docs/conversation.md predicts, and the lead is stored with it', async () => {
    const page = await visit('/schedule.html?utm_source=newsletter&q=private');
    const frame = await openChat(page);
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of journeys['withdrawal-first']) await answer(frame, value);

    await expect
      .poll(() => frame.getByRole('heading', { level: 2 }).first().textContent())
      .toBe('Safe withdrawal comes first');
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(frame, { name: 'Dana' });
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await frame.getByText('We will call you back within 15 minutes.').waitFor();

    const [lead] = await stack.leads();
    expect(lead).toMatchObject({
      route: 'withdrawal-first',
      urgency: 'urgent',
      contact: { name: 'Dana', phone: '+13125550142', state: 'IL', forWhom: 'self' },
      consent: { call: true, page: '/schedule.html', textVersion: '2026-12-riverbend-call-v1' },
      utm: { source: 'newsletter' },
    });
    // The host page learns nothing and keeps nothing.
    expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual([
      '',
      0,
      0,
    ]);
    await page.context().close();
  });

  it('completes the flow with the keyboard alone, and Escape returns focus to the launcher', async () => {
    const page = await visit('/family.html');
    const frame = chat(page);
    // Tab through the page to the launcher, as a keyboard user would.
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await launcher(page).evaluate((button) => button.matches(':focus'))) break;
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedInChat(page)).toBe('Start');

    /** Tabs to the control named `name` inside the chat and presses it. */
    const press = async (name: string, key = 'Enter') => {
      // As a person does: wait for the next question to appear (it takes focus) before tabbing on.
      await frame.locator('.typing').waitFor({ state: 'detached' });
      // The new turn takes focus just after it is drawn: a Tab before that would start from the page.
      for (let i = 0; i < 40 && !(await chatHasFocusedControl(page)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const passed: string[] = [];
      for (let i = 0; i < 40; i++) {
        const focused = await focusedInChat(page);
        if (focused === name) {
          await page.keyboard.press(key);
          return;
        }
        passed.push(String(focused));
        await page.keyboard.press('Tab');
      }
      throw new Error(`could not reach "${name}" with Tab; focus went ${passed.join(' > ')}`);
    };
    await press('Start');
    for (const value of journeys['iop-fit']) {
      if (typeof value === 'string') await press(value);
      else {
        for (const label of value) await press(label, 'Space');
        await press('Continue');
      }
    }
    await frame.getByRole('heading', { name: 'Our IOP may be a fit' }).waitFor();
    await press('Ask for a call back');
    const typeInto = async (label: RegExp, text: string) => {
      for (let i = 0; i < 30 && !(await frame.getByLabel(label).evaluate((el) => el.matches(':focus'))); i++)
        await page.keyboard.press('Tab');
      await page.keyboard.type(text);
    };
    await typeInto(/First name or nickname/, 'Robin');
    await typeInto(/^Phone number$/, '3125550199');
    await typeInto(/US state you live in/, 'Illinois');
    await press('I am 18 or older', 'Space');
    const consent =
      (await frame
        .getByRole('checkbox', { name: /may call me/ })
        .locator('..')
        .textContent()) ?? '';
    await press(consent.trim(), 'Space');
    await press('Send my request');
    await frame.getByText('We will call you back within 15 minutes.').waitFor();
    expect((await stack.leads()).find((lead) => lead.contact.name === 'Robin')).toMatchObject({
      route: 'iop-fit',
      contact: { state: 'IL' },
    });

    await page.keyboard.press('Escape');
    await expect.poll(() => launcher(page).evaluate((button) => button.matches(':focus'))).toBe(true);
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');
    await page.context().close();
  });

  it('keeps every answer when the lead server is down at submit time, shows the phone, and delivers once it is back', async () => {
    const page = await visit('/insurance.html');
    const frame = await openChat(page);
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of journeys['higher-care']) await answer(frame, value);
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(frame, { name: 'Alex' });
    const before = (await stack.leads()).length;

    await stack.stopServer();
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await frame.getByRole('heading', { name: 'We could not send it yet' }).waitFor();
    expect(await frame.getByRole('link', { name: 'Call (555) 201-0100' }).getAttribute('href')).toBe(
      'tel:+15552010100',
    );

    await stack.startServer();
    // The widget retries by itself with backoff (1 s, 2 s, 4 s...); no click needed. What arrives is
    // everything the visitor answered and typed before the server went down, stored once.
    await frame.getByText('We will call you back within 15 minutes.').waitFor({ timeout: 40_000 });
    const leads = await stack.leads();
    expect(leads).toHaveLength(before + 1);
    expect(leads.filter((lead) => lead.contact.name === 'Alex')).toMatchObject([
      { route: 'higher-care', answers: { 'home-safe': 'no', support: 'some', duties: ['none'] } },
    ]);
    await page.context().close();
  });

  it('stores a lead once when its answer is lost after the server stored it, and the widget sends it again', async () => {
    const page = await visit('/');
    // The first request reaches the lead server and is stored, but its answer never comes back.
    let lost = 0;
    await page.context().route('**/v1/leads', async (route) => {
      if (lost > 0) return route.continue();
      lost++;
      await route.fetch();
      await route.abort('connectionreset');
    });
    const frame = await openChat(page);
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of journeys['iop-fit']) await answer(frame, value);
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(frame, { name: 'Jordan' });
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await frame.getByText('We will call you back within 15 minutes.').waitFor({ timeout: 20_000 });

    expect(lost).toBe(1);
    expect((await stack.leads()).filter((lead) => lead.contact.name === 'Jordan')).toHaveLength(1);
    await page.context().close();
  });

  it('tabs through the chat without an invisible stop: every stop is a control with a name', async () => {
    const page = await visit('/');
    const frame = await openChat(page);
    await frame.getByRole('button', { name: 'Start' }).click();
    await answer(frame, 'For myself');
    const chatFrame = page.frames().find((candidate) => new URL(candidate.url()).pathname === '/frame');
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const stop = await chatFrame?.evaluate(() => {
        if (!document.hasFocus()) return null;
        const focused = document.activeElement as HTMLElement | null;
        return `${focused?.tagName.toLowerCase()} ${(focused?.getAttribute('aria-label') ?? focused?.textContent ?? '').trim()}`;
      });
      if (stop === null || stop === undefined) break;
      stops.push(stop);
    }
    // Past "Start over" focus leaves the chat; Chromium's focusable scroll box (main, body) is never a stop.
    expect(stops.at(-1)).toBe('button Start over and clear my answers');
    for (const stop of stops) expect(stop).toMatch(/^(button|a|input|textarea|select) \S/);
    await page.context().close();
  });
});
