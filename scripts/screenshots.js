// `npm run screenshots`: the README's pictures of the widget on the demo site, desktop and phone.
// Run `npm start` in another terminal first; this drives Debian's Chromium against it.
import { chromium } from 'playwright-core';

const site = process.env.DEMO_URL ?? 'http://127.0.0.1:5173';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

async function shoot(file, contextOptions, answers) {
  const context = await browser.newContext({ ...contextOptions, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(`${site}/`);
  await page.locator('intake-chat button.launcher').click();
  const frame = page.frameLocator('intake-chat iframe');
  await frame.getByRole('button', { name: 'Start' }).click();
  for (const answer of answers) {
    if (typeof answer === 'string') await frame.getByRole('button', { name: answer, exact: true }).click();
    else {
      for (const label of answer) await frame.getByRole('checkbox', { name: label, exact: true }).check();
      await frame.getByRole('button', { name: 'Continue' }).click();
    }
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
  await context.close();
}

await shoot('docs/widget-desktop.png', { viewport: { width: 1280, height: 800 } }, [
  'For myself',
  'No',
  ['Alcohol'],
  'A few times a week',
]);
await shoot(
  'docs/widget-phone.png',
  { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  ['For someone I care about', 'No'],
);
await browser.close();
