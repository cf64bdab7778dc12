import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DESKTOP } from './browser.js';

/** The axe rule sets of WCAG 2.2 AA. */
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * A fresh browser context signed in to the console at `api`, on the inbox. `init` runs in each page
 * before the console's own script (a stand-in for a browser API, say).
 */
export async function signInToConsole(
  browser: Browser,
  api: string,
  account: { email: string; password: string },
  device: BrowserContextOptions = { viewport: DESKTOP },
  init?: () => void,
): Promise<Page> {
  const context = await browser.newContext({ ...device, reducedMotion: 'reduce' });
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  await page.goto(`${api}/admin`);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  return page;
}

/** No WCAG 2.2 AA violation that axe finds on the whole page; `what` names the screen in a failure. */
export async function expectNoViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  const found = results.violations.map(
    (violation) => `${what}: ${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
  expect(found).toEqual([]);
}

/** The names of the leads in the inbox on screen, top first. */
export const leadNames = (page: Page) => page.locator('.lead-name').allTextContents();
