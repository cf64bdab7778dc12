import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validLead } from '../../packages/server/test/support/validLead.js';
import { DESKTOP, hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { expectNoViolations, leadNames, signInToConsole } from './support/console.js';
import { type Stack, startStack } from './support/stack.js';

// The console as a team uses it through a shift, in real Chromium against the real lead server: an
// admin brings in a colleague by a one-time link, the colleague takes a lead, a Spanish-speaking
// caller's lead is found by its language, and a new lead rings in a console left open.

/**
 * Counts the tones the console plays (through the browser's real Web Audio) and records the desktop
 * notifications it shows, with a stand-in Notification that the person allowed: headless Chromium
 * shows none, and a test cannot click a permission prompt.
 */
const ALERT_PROBE = () => {
  const probe = { tones: 0, notices: [] as { title: string; body: string | undefined }[] };
  (window as unknown as { alertProbe: typeof probe }).alertProbe = probe;
  const createOscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    probe.tones += 1;
    return createOscillator.call(this);
  };
  class AllowedNotification {
    static permission = 'default';
    static requestPermission() {
      AllowedNotification.permission = 'granted';
      return Promise.resolve('granted');
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options: { body?: string } = {}) {
      probe.notices.push({ title, body: options.body });
    }
    close() {}
  }
  (window as unknown as { Notification: unknown }).Notification = AllowedNotification;
};

describe.skipIf(!hasChromium)('the console as a team works it', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await stack?.close();
  });

  /** A lead sent straight to the API, as a visitor's browser would. */
  async function visitor(name: string, extra: Parameters<typeof validLead>[0] = {}): Promise<string> {
    const response = await fetch(`${stack.api}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validLead({ ...extra, contact: { name } })),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function newPage(device: BrowserContextOptions = { viewport: DESKTOP }): Promise<Page> {
    const context = await browser.newContext({ ...device, reducedMotion: 'reduce' });
    contexts.push(context);
    return context.newPage();
  }

  const signIn = (email: string, password: string, device?: BrowserContextOptions, probe = false) =>
    signInToConsole(browser, stack.api, { email, password }, device, probe ? ALERT_PROBE : undefined);

  it('an admin invites a colleague by link, who sets a password, signs in and takes a lead', async () => {
    const adminPassword = await stack.addStaff('dana@riverbend.example', 'admin');
    await visitor('Quinn');
    const admin = await signIn('dana@riverbend.example', adminPassword);
    await admin.getByRole('link', { name: 'Team' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    await admin.getByLabel('Their e-mail address').fill('kim@riverbend.example');
    await admin.getByRole('button', { name: 'Invite' }).click();
    const link = await admin.getByLabel('One-time link', { exact: true }).inputValue();
    expect(link).toMatch(new RegExp(`^${stack.api}/admin#/link/[\\w-]{20,}$`));
    // The new account waits for its link: never signed in.
    const row = admin.getByRole('row', { name: /kim@riverbend\.example/ });
    await expect.poll(() => row.textContent()).toContain('Never signed in');

    // Kim, on a phone, opens the link the admin handed over.
    const kim = await newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    await kim.goto(link);
    await kim.getByRole('heading', { level: 1, name: 'Set your password' }).waitFor();
    await expect.poll(() => kim.locator('main').textContent()).toContain('kim@riverbend.example');
    await kim.getByLabel('New password', { exact: true }).fill('kim picks a long passphrase');
    await kim.getByLabel('New password again').fill('kim picks a long passphrase');
    await kim.getByRole('button', { name: 'Set password and sign in' }).click();
    await kim.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();

    // Kim takes Quinn's lead, and finds it under Mine.
    await kim.getByRole('link', { name: 'Quinn' }).click();
    await kim.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => kim.locator('main').textContent()).toContain('Assigned to: You');
    await kim.goto(`${stack.api}/admin#/?view=mine`);
    await kim.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await expect.poll(() => leadNames(kim)).toEqual(['Quinn']);

    // The link worked once: opened again, it says so.
    const again = await newPage();
    await again.goto(link);
    await again.getByRole('heading', { level: 1, name: 'This link cannot be used' }).waitFor();

    // The admin sees Kim's sign-in, and who has the lead, in the inbox.
    await admin.reload();
    await admin.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    await expect
      .poll(() => admin.getByRole('row', { name: /kim@riverbend\.example/ }).textContent())
      .not.toContain('Never signed in');
    await admin.getByRole('link', { name: 'Inbox' }).click();
    await expect
      .poll(() => admin.locator('.lead', { hasText: 'Quinn' }).textContent())
      .toContain('kim@riverbend.example');
  });

  it('finds the Spanish-speaking caller by the language filter, kept in the address', async () => {
    const password = await stack.addStaff('luis@riverbend.example');
    await visitor('Ramona', { locale: 'es' });
    await visitor('Oliver');
    const page = await signIn('luis@riverbend.example', password);
    await expect.poll(() => leadNames(page)).toEqual(expect.arrayContaining(['Ramona', 'Oliver']));
    await expect.poll(() => page.locator('.lead', { hasText: 'Ramona' }).textContent()).toContain('Spanish');

    const more = page.getByRole('button', { name: /More filters/ });
    if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
    await page.getByLabel('Language').selectOption({ label: 'Spanish' });
    await expect.poll(() => leadNames(page)).toEqual(['Ramona']);
    expect(new URL(page.url()).hash).toContain('locale=es');
    // A bookmarked view opens as it was left.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await expect.poll(() => leadNames(page)).toEqual(['Ramona']);
    await expectNoViolations(page, 'inbox filtered by language, desktop');

    // Found by name too; the name is in no address the browser keeps or asks for.
    const asked: string[] = [];
    page.on('request', (request) => asked.push(request.url()));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('searchbox', { name: 'First name or phone number' }).fill('ramona');
    await page.keyboard.press('Enter');
    await expect.poll(() => leadNames(page)).toEqual(['Ramona']);
    expect(page.url()).not.toContain('ramona');
    expect(asked.some((url) => url.toLowerCase().includes('ramona'))).toBe(false);
  });

  it('rings and shows a notification without health details when a lead arrives in an open console', async () => {
    const password = await stack.addStaff('ren@riverbend.example');
    const page = await signIn('ren@riverbend.example', password, { viewport: DESKTOP }, true);
    await page.getByRole('link', { name: /My settings/ }).click();
    await page.getByRole('heading', { level: 1, name: 'My settings' }).waitFor();
    // Both are off until the person turns them on.
    const sound = page.getByLabel('Play a sound for each new callback request');
    const desktop = page.getByLabel('Show a desktop notification');
    expect(await sound.isChecked()).toBe(false);
    expect(await desktop.isChecked()).toBe(false);
    // Two quick clicks: neither is lost while the first is saved.
    await sound.check();
    await desktop.check();
    await expect.poll(() => page.locator('body').textContent()).toContain('sound on, desktop notifications on');

    await page.getByRole('link', { name: /^Inbox/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    // Waits for the inbox's first answer (the earlier tests' leads), so the lead below is a new arrival.
    await page.locator('.lead-name').first().waitFor();
    const tonesBefore = await page.evaluate(
      () => (window as unknown as { alertProbe: { tones: number } }).alertProbe.tones,
    );
    await visitor('Sasha', { answers: { 'withdrawal-signs': 'yes', 'use-frequency': 'daily' } });
    await expect
      .poll(
        () => page.evaluate(() => (window as unknown as { alertProbe: { notices: unknown[] } }).alertProbe.notices),
        {
          timeout: 20_000,
        },
      )
      .toEqual([{ title: 'New callback request (urgent)', body: undefined }]);
    const tones = await page.evaluate(() => (window as unknown as { alertProbe: { tones: number } }).alertProbe.tones);
    expect(tones).toBeGreaterThan(tonesBefore);

    // Remembered for the person: a new session starts with them on.
    const later = await signIn('ren@riverbend.example', password);
    await later.getByRole('link', { name: /My settings/ }).click();
    await later.getByRole('heading', { level: 1, name: 'My settings' }).waitFor();
    expect(await later.getByLabel('Play a sound for each new callback request').isChecked()).toBe(true);
  });

  it('has no accessibility violations on the team, settings and link pages, on a desk and a phone', async () => {
    const password = await stack.addStaff('ada@riverbend.example', 'admin');
    for (const [device, size] of [
      ['desktop', { viewport: DESKTOP }],
      ['phone', { viewport: PHONE, isMobile: true, hasTouch: true }],
    ] as const) {
      const page = await signIn('ada@riverbend.example', password, size);
      await page.goto(`${stack.api}/admin#/team`);
      await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
      await page.getByRole('row', { name: /ada@riverbend\.example/ }).waitFor();
      await expectNoViolations(page, `team, ${device}`);
      const invited = `new-${device}@riverbend.example`;
      await page.getByLabel('Their e-mail address').fill(invited);
      await page.getByRole('button', { name: 'Invite' }).click();
      const link = await page.getByLabel('One-time link', { exact: true }).inputValue();
      await expectNoViolations(page, `team with a link shown, ${device}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

      await page.goto(`${stack.api}/admin#/settings`);
      await page.getByRole('heading', { level: 1, name: 'My settings' }).waitFor();
      await expectNoViolations(page, `settings, ${device}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

      await page.goto(`${stack.api}/admin#/?view=all&status=new`);
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
      const more = page.getByRole('button', { name: /More filters/ });
      if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
      await expectNoViolations(page, `inbox with filters, ${device}`);

      const guest = await newPage(size);
      await guest.goto(link);
      await guest.getByRole('heading', { level: 1, name: 'Set your password' }).waitFor();
      await expectNoViolations(guest, `link page, ${device}`);
      expect(await guest.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    }
  });
});
