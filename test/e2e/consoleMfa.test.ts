import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser } from './support/browser.js';
import { expectNoViolations, signInToConsole } from './support/console.js';
import { type Stack, startStack } from './support/stack.js';

// Two-step sign-in in real Chromium against the real lead server: an admin sets up an authenticator
// app from the QR code's key and requires it for the center; a colleague on a 320 px phone is sent to
// set it up as they sign in, and next time signs in with a recovery code.

/** The narrowest phone the console is made for. */
const SMALL_PHONE: BrowserContextOptions = { viewport: { width: 320, height: 568 }, isMobile: true, hasTouch: true };

describe.skipIf(!hasChromium)('two-step sign-in in the console', () => {
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

  async function newPage(device: BrowserContextOptions): Promise<Page> {
    const context = await browser.newContext({ ...device, reducedMotion: 'reduce' });
    contexts.push(context);
    return context.newPage();
  }

  /** The app's code now, for the key the page shows as text (for those who cannot scan the QR code). */
  async function appCode(page: Page): Promise<string> {
    const key = (await page.locator('.mfa-key').textContent()) ?? '';
    return TOTP.generate({ secret: Secret.fromBase32(key.replace(/\s/g, '')) });
  }

  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);

  /** Types the app's code on the set-up screen, then reads the recovery codes and says they are saved. */
  async function finishSetUp(page: Page, what: string): Promise<string[]> {
    await page.getByLabel('Code from your app').fill(await appCode(page));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    await expectNoViolations(page, `recovery codes, ${what}`);
    expect(await noSidewaysScroll(page)).toBe(true);
    const codes = await page.locator('.recovery-codes code').allTextContents();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    return codes;
  }

  it('an admin sets it up and requires it; a colleague on a phone sets it up at sign-in, then uses a recovery code', async () => {
    const adminPassword = await stack.addStaff('dana@riverbend.example', 'admin');
    const staffPassword = await stack.addStaff('sam@riverbend.example');

    const admin = await signInToConsole(browser, stack.api, {
      email: 'dana@riverbend.example',
      password: adminPassword,
    });
    contexts.push(admin.context());
    await admin.getByRole('link', { name: /My settings/ }).click();
    await admin.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    await admin.getByRole('heading', { level: 3, name: 'Set up two-step sign-in' }).waitFor();
    const qr = admin.getByRole('img', { name: 'QR code for your authenticator app' });
    expect(await qr.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
    await expectNoViolations(admin, 'setting up, desktop');
    expect(await finishSetUp(admin, 'desktop')).toHaveLength(10);
    await admin.getByText(/^On:/).waitFor();

    await admin.getByRole('link', { name: 'Team' }).click();
    const rule = admin.getByRole('checkbox', { name: 'Require two-step sign-in for everyone at this center' });
    // The box moves once the server has it.
    await rule.click();
    await expect.poll(() => rule.isChecked()).toBe(true);
    await expectNoViolations(admin, 'team with the rule on, desktop');

    // Whatever a page posts, a password alone opens nothing now.
    const leePassword = await stack.addStaff('lee@riverbend.example');
    const byHand = await admin.evaluate(async (password) => {
      const login = await fetch('/admin/api/login', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'lee@riverbend.example', password }),
      });
      const session = (await login.json()) as { mfaSetupRequired: boolean };
      return session.mfaSetupRequired;
    }, leePassword);
    expect(byHand).toBe(true);

    const phone = await newPage(SMALL_PHONE);
    await phone.goto(`${stack.api}/admin`);
    await phone.getByLabel('E-mail').fill('sam@riverbend.example');
    await phone.getByLabel('Password').fill(staffPassword);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    // Not the inbox: setting it up comes first.
    await phone.getByRole('heading', { level: 1, name: 'Set up two-step sign-in' }).waitFor();
    expect(await phone.getByRole('heading', { name: 'Inbox' }).count()).toBe(0);
    await expectNoViolations(phone, 'setting up at sign-in, phone');
    expect(await noSidewaysScroll(phone)).toBe(true);
    const [recoveryCode = ''] = await finishSetUp(phone, 'phone');
    await phone.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();

    await phone.getByRole('button', { name: 'Sign out' }).click();
    await phone.getByLabel('E-mail').fill('sam@riverbend.example');
    await phone.getByLabel('Password').fill(staffPassword);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    const code = phone.getByLabel('Code from your app');
    await code.waitFor();
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    await expectNoViolations(phone, 'the code step, phone');
    await code.fill(recoveryCode);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  });
});
