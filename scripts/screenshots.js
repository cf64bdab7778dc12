// `npm run screenshots`: the README's pictures of the widget on the demo site, desktop and phone, and of
// the staff console's inbox. Run `npm start` in another terminal first; this drives Debian's Chromium
// against it. For the console, pass the password `npm start` printed:
//   CONSOLE_PASSWORD=... npm run screenshots
// which also sends three sample callback requests (Alex, Dana, Robin) to the demo center.
import { chromium } from 'playwright-core';
import { sampleAnswers, sampleLead } from '../packages/server/bench/benchSupport.mjs';

const site = process.env.DEMO_URL ?? 'http://127.0.0.1:5173';
const api = process.env.API_URL ?? 'http://127.0.0.1:8787';
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

if (process.env.CONSOLE_PASSWORD) {
  await sampleLeads();
  await shootConsole('docs/console-inbox.png', { viewport: { width: 1280, height: 800 } });
  await shootConsole('docs/console-phone.png', {
    viewport: { width: 375, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
} else {
  console.log('skipped the console pictures: set CONSOLE_PASSWORD to the password npm start printed');
}
await browser.close();

/** An emergency, an urgent and a normal request, as three visitors would send them. */
async function sampleLeads() {
  const samples = [
    sampleLead({ name: 'Robin' }),
    sampleLead({
      name: 'Dana',
      answers: { ...sampleAnswers, substances: ['alcohol'], 'use-frequency': 'daily', 'withdrawal-signs': 'yes' },
    }),
    sampleLead({ name: 'Alex', answers: { ...sampleAnswers, 'safety-now': 'yes' } }),
  ];
  for (const lead of samples) {
    const response = await fetch(`${api}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(lead),
    });
    if (response.status !== 201) throw new Error(`the sample lead was refused: ${await response.text()}`);
  }
}

async function shootConsole(file, contextOptions) {
  const context = await browser.newContext({ ...contextOptions, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(`${api}/admin`);
  await page.getByLabel('E-mail').fill(process.env.CONSOLE_EMAIL ?? 'admissions@riverbend.example');
  await page.getByLabel('Password').fill(process.env.CONSOLE_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.lead-name').first().waitFor();
  await page.screenshot({ path: file, fullPage: Boolean(contextOptions.isMobile) });
  console.log(`wrote ${file}`);
  await context.close();
}
