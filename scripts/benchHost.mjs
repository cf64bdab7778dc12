// `npm run bench:host [-- --peer path/to/embed.js] [--runs 9] [--profile folder]`: what the widget
// costs the page it is pasted into, in Debian's Chromium with the CPU slowed 4x (a mid-range phone),
// median of 5 fresh visits each (or --runs):
//
// - blank: a plain article page, the baseline;
// - shell only: the same page with the script tag and no frame at all (as with the browser's data
//   saver on): the launcher, and what the shell does when the page is idle;
// - with the waiting frame: the frame made while the page is idle, from the same site as the page (so
//   the same renderer process, as on phones that do not isolate sites), its files fetched, not run.
//   (Blocking the frame's URL instead would draw the browser's own error page in it, whose script
//   the figure would then count.)
// - peer (with --peer): the same page with another vendor's built embed, for comparison (none ships here).
//
// For each: main-thread script time (CDP Performance.getMetrics, ScriptDuration, after the page has been
// idle 4 s), when the launcher is first drawn on screen against the blank page's first contentful paint,
// and for the widget, how long a press on the launcher (after the pointer reaches it, as a visitor's
// does) takes to paint the chat's greeting on a warm cache, and a press on "Start" its first question
// (with reduced motion: the chat otherwise waits 300 ms on purpose, to read as a turn), both timed in
// the page and the frame themselves. Prints one table; never fails.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const THROTTLE = 4;
const option = (name) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const peerPath = option('--peer');
/** `--runs N`: more visits per page for a steadier median; throttled timings vary a lot run to run. */
const RUNS = Number(option('--runs') ?? 5);
/** `--profile folder`: the first visit of each page also writes a CPU profile there (Chrome DevTools opens it). */
const profileDir = option('--profile');

const { loadConfig, startServer } = await import('../packages/server/dist/index.js');
const article = `<h1>Intensive outpatient care</h1>${'<p>Our program meets three evenings a week, in person or online, so that work and family can go on while you recover. Call us any time.</p>'.repeat(30)}`;

const site = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  const page = (body) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Riverbend</title></head><body>${article}${body}</body></html>`,
    );
  };
  if (path === '/blank.html') page('');
  else if (path === '/widget.html') page(`<script src="${api}/widget.js" async data-center="bench"></script>`);
  else if (path === '/peer.html' && peerPath) page('<script src="/peer.js" async></script>');
  else if (path === '/peer.js' && peerPath) {
    response.writeHead(200, { 'content-type': 'text/javascript' });
    response.end(readFileSync(peerPath));
  } else {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((done) => site.listen(0, '127.0.0.1', done));
const siteOrigin = `http://127.0.0.1:${site.address().port}`;

const dataDir = mkdtempSync(join(tmpdir(), 'intake-bench-host-'));
const demo = JSON.parse(readFileSync(new URL('../packages/server/config/demo.json', import.meta.url), 'utf8'));
const configFile = join(dataDir, 'centers.json');
writeFileSync(
  configFile,
  JSON.stringify({ centers: [{ ...demo.centers[0], id: 'bench', allowedOrigins: [siteOrigin], alertEmails: [] }] }),
);
const server = await startServer({
  config: loadConfig(configFile, {}),
  port: 0,
  dataDir,
  env: { INTAKE_DATA_KEY: randomBytes(32).toString('base64') },
  log: () => {},
});
const api = server.url;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

/**
 * Records, on the page, when the launcher reaches the screen, from navigation start: the shell draws
 * it, then says `intake:ready`; the next animation frame is the one that paints it. One listener, so
 * the watch adds next to nothing to the script time measured. In the chat's frame (init scripts run in
 * every frame), when the greeting and then the first question are painted; and in both, when the
 * visitor's press began. Times are wall-clock (time origin plus now), so the two documents compare:
 * an opening is measured from the press to the paint, not from the test driver's own round trips.
 */
const WATCH = () => {
  const now = () => performance.timeOrigin + performance.now();
  addEventListener('pointerdown', () => (window.__pressedAt = now()), { capture: true });
  if (window === top) {
    document.addEventListener(
      'intake:ready',
      () => requestAnimationFrame(() => (window.__launcherAt = performance.now())),
      {
        once: true,
        capture: true,
      },
    );
    return;
  }
  // Started by the bench just before the press, so that the watch costs the idle page nothing.
  window.__watch = () => {
    const painted = (name) => requestAnimationFrame(() => (window[name] = now()));
    new MutationObserver(() => {
      if (!window.__greetingAt && [...document.querySelectorAll('button')].some((b) => b.textContent === 'Start'))
        painted('__greetingAt');
      if (!window.__questionAt && document.getElementById('app')?.textContent.includes('Who are you asking for?'))
        painted('__questionAt');
    }).observe(document, { subtree: true, childList: true, characterData: true });
  };
};

/** The browser's data saver, on which the shell makes no frame until the visitor shows intent. */
const SAVE_DATA = () => {
  Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }) });
};

async function visit(path, { noFrame = false, open = false, watch = true, profile = '' } = {}) {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  if (watch) await page.addInitScript(WATCH);
  if (noFrame) await page.addInitScript(SAVE_DATA);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  await cdp.send('Performance.enable');
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  await page.goto(siteOrigin + path, { waitUntil: 'load' });
  // Long enough for the idle frame (1.5 s, then the next idle moment) to load and settle, throttled.
  await page.waitForTimeout(4_000);
  if (profile) {
    const { profile: taken } = await cdp.send('Profiler.stop');
    writeFileSync(profile, JSON.stringify(taken));
  }
  const { metrics } = await cdp.send('Performance.getMetrics');
  const script = (metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? 0) * 1000;
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    launcher: window.__launcherAt ?? null,
  }));
  let opened = null;
  let question = null;
  if (open) {
    // Warm cache: the frame's files came while the page was idle; the pointer's arrival wakes the
    // frame and the click opens it, as Playwright's click moves the pointer there first.
    const chat = page.frameLocator('iframe');
    const frame = page.frames().find((candidate) => candidate.url().includes('/frame?'));
    await frame?.evaluate(() => window.__watch());
    await page.locator('intake-chat button.launcher').click();
    await chat.getByRole('button', { name: 'Start' }).waitFor();
    await chat.getByRole('button', { name: 'Start' }).click();
    await chat.getByText('Who are you asking for?').waitFor();
    await page.waitForTimeout(100);
    const inFrame = await frame?.evaluate(() => ({
      pressedAt: window.__pressedAt,
      greetingAt: window.__greetingAt,
      questionAt: window.__questionAt,
    }));
    const pressedAt = await page.evaluate(() => window.__pressedAt);
    opened = inFrame.greetingAt - pressedAt;
    question = inFrame.questionAt - inFrame.pressedAt;
  }
  await context.close();
  return { script, ...timing, opened, question };
}

const median = (values) => {
  const known = values.filter((value) => value !== null).sort((a, b) => a - b);
  return known.length === 0 ? null : known[Math.floor(known.length / 2)];
};

async function measure(name, path, options) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const profile = i === 0 && profileDir ? join(profileDir, `${name.replace(/\W+/g, '-')}.cpuprofile`) : '';
    runs.push(await visit(path, { ...options, profile }));
  }
  const row = {
    name,
    script: median(runs.map((run) => run.script)),
    fcp: median(runs.map((run) => run.fcp)),
    launcher: median(runs.map((run) => run.launcher)),
    opened: median(runs.map((run) => run.opened)),
    question: median(runs.map((run) => run.question)),
  };
  const each = runs.map((run) => run.script.toFixed(0)).join(', ');
  process.stdout.write(`${name}: ${JSON.stringify(row)} (script ms of each visit: ${each})\n`);
  return row;
}

try {
  process.stdout.write(`bench:host: Chromium, CPU ${THROTTLE}x slower, 375x667, median of ${RUNS}\n`);
  const rows = [
    await measure('blank page', '/blank.html'),
    await measure('intake-chat, shell only (no frame)', '/widget.html', { noFrame: true }),
    await measure('intake-chat, with the waiting frame (same site)', '/widget.html', { open: true }),
  ];
  if (peerPath) rows.push(await measure(`peer: ${peerPath.split('/').at(-1)}`, '/peer.html'));
  const blank = rows[0]?.fcp ?? 0;
  const ms = (value) => (value === null ? '-' : value.toFixed(0));
  const header = [
    'page',
    'script ms',
    'launcher at ms',
    'vs blank page',
    'open to greeting ms',
    'Start to question ms',
  ];
  const body = rows.map((row) => [
    row.name,
    ms(row.script),
    ms(row.launcher),
    row.launcher === null ? '-' : `${row.launcher >= blank ? '+' : '-'}${Math.abs(row.launcher - blank).toFixed(0)}`,
    ms(row.opened),
    ms(row.question),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i].length)));
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  process.stdout.write(
    `\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${body.map(line).join('\n')}\n`,
  );
  process.stdout.write(
    `(script ms: V8's ScriptDuration for the page's renderer; the blank page's first contentful paint: ${ms(blank)} ms, ` +
      `which "vs blank page" compares the launcher's first frame with)\n`,
  );
} finally {
  await browser.close();
  await server.close();
  site.close();
  rmSync(dataDir, { recursive: true, force: true });
}
