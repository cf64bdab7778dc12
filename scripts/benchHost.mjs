// `npm run bench:host [-- --peer path/to/embed.js] [--runs 9] [--profile folder] [--slow-network]`: what the widget
// costs the page it is pasted into, in Debian's Chromium with the CPU slowed 4x (a mid-range phone),
// median of 5 fresh visits each (or --runs):
//
// - blank: a plain article page, the baseline;
// - intake-chat: the same page with the script tag, as shipped: the launcher, and while the page is
//   idle its one count, fetched by the stylesheet; no frame until the visitor reaches for the chat;
// - with data-preload="idle": the frame made while the page is idle, from the same site as the page
//   (so the same renderer process, as on phones that do not isolate sites), its files fetched, not run;
// - peer (with --peer): the same page with another vendor's built embed, for comparison (none ships here).
//
// For each: main-thread time (CDP Performance.getMetrics after the page has been idle 4 s): script
// (ScriptDuration) and every task (TaskDuration, style, layout and paint included, so that work moved
// out of script still shows), and when the launcher is first drawn against the blank page's first
// contentful paint. These visits go over a bare DevTools connection that asks for nothing but the
// metrics: a test driver such as Playwright turns on the Runtime domain in every frame, which makes
// Chromium create a script context in each new frame (the frame's first, empty document included) and
// run the driver's scripts there, work a visitor's browser never does; it added 5-10 ms to the figures.
//
// Then, through Playwright: how long a press on the launcher (after the pointer reaches it, as a
// visitor's does) takes to paint the chat's greeting, and a press on "Start" its first question (with
// reduced motion: the chat otherwise waits 300 ms on purpose, to read as a turn), timed in the page
// and the frame themselves: as shipped on a warm cache (the visitor opened the chat on an earlier
// visit) and on a first visit, and with data-preload="idle" on a first visit (with --slow-network, over
// Chromium's emulation of a slow phone network). Prints the tables; never fails.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import chromiumSetup from '../test/e2e/support/chromium.json' with { type: 'json' };

const THROTTLE = 4;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The same start as the browser tests'.
const FLAGS = chromiumSetup.flags;
const option = (name) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const peerPath = option('--peer');
/** `--runs N`: more visits per page for a steadier median; throttled timings vary a lot run to run. */
const RUNS = Number(option('--runs') ?? 5);
/** `--profile folder`: the first visit of each page also writes a CPU profile there (Chrome DevTools opens it). */
const profileDir = option('--profile');
/** `--slow-network`: the openings over a slow phone network (150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up). */
const slowNetwork = process.argv.includes('--slow-network');

/**
 * In the page itself, before anything else: when the launcher reaches the screen, from navigation
 * start. The shell draws it, then says `intake:ready`; the next animation frame is the one that paints
 * it. On every page, the blank one too, so that its own few microseconds count alike.
 */
const WATCH_LAUNCHER = `<script>document.addEventListener('intake:ready', () => requestAnimationFrame(() => (window.__launcherAt = performance.now())), { once: true, capture: true });</script>`;

const { loadConfig, startServer } = await import('../packages/server/dist/index.js');
const article = `<h1>Intensive outpatient care</h1>${'<p>Our program meets three evenings a week, in person or online, so that work and family can go on while you recover. Call us any time.</p>'.repeat(30)}`;

const site = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  const page = (body) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Riverbend</title>${WATCH_LAUNCHER}</head><body>${article}${body}</body></html>`,
    );
  };
  const widget = (more = '') => `<script src="${api}/widget.js" async data-center="bench"${more}></script>`;
  if (path === '/blank.html') page('');
  else if (path === '/widget.html') page(widget());
  else if (path === '/widget-idle.html') page(widget(' data-preload="idle"'));
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

/**
 * Chromium over its DevTools pipe (file descriptors 3 and 4, messages ended by a NUL byte), with
 * nothing turned on but what each visit asks for. A call Chromium does not answer within 30 s, or
 * one pending when Chromium fails or exits, fails with a message rather than hanging the bench.
 */
function bareChromium() {
  const userDir = mkdtempSync(join(tmpdir(), 'intake-bench-chromium-'));
  const child = spawn(CHROMIUM, [...FLAGS, '--remote-debugging-pipe', `--user-data-dir=${userDir}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const answers = new Map();
  let failure = null;
  const failAll = (error) => {
    failure ??= error;
    for (const answer of answers.values()) answer({ error: { message: failure.message } });
  };
  child.on('error', (error) => failAll(new Error(`${CHROMIUM} could not start (${error.message}); set CHROMIUM_PATH`)));
  child.on('exit', (code, signal) => failAll(new Error(`Chromium exited (${signal ?? code})`)));
  child.stdio[3].on('error', (error) => failAll(error));
  let next = 0;
  let buffered = '';
  child.stdio[4].on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    for (let end = buffered.indexOf('\0'); end !== -1; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      // Events, which no visit here turns on, are ignored.
      if (message.id !== undefined) answers.get(message.id)?.(message);
    }
  });
  const send = (method, params = {}, sessionId = undefined) =>
    new Promise((resolve, reject) => {
      if (failure) return reject(new Error(`${method}: ${failure.message}`));
      const id = ++next;
      const timer = setTimeout(() => answers.get(id)?.({ error: { message: 'no answer in 30 s' } }), 30_000);
      answers.set(id, (message) => {
        answers.delete(id);
        clearTimeout(timer);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      child.stdio[3].write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  return {
    send,
    /** Stops Chromium (killing it if it has not gone in 5 s), then removes its profile, which it writes to until it has exited. */
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill();
        const stuck = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(stuck);
      }
      rmSync(userDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

let bare;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** One fresh visit (its own browser context: an empty cache) for the script time and the launcher's paint. */
async function visit(path, { profile = '' } = {}) {
  const { send } = bare;
  const { browserContextId } = await send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  try {
    await send(
      'Emulation.setDeviceMetricsOverride',
      { width: 375, height: 667, deviceScaleFactor: 2, mobile: true },
      sessionId,
    );
    await send(
      'Emulation.setEmulatedMedia',
      { features: [{ name: 'prefers-reduced-motion', value: 'reduce' }] },
      sessionId,
    );
    await send('Emulation.setCPUThrottlingRate', { rate: THROTTLE }, sessionId);
    await send('Performance.enable', {}, sessionId);
    if (profile) {
      await send('Profiler.enable', {}, sessionId);
      await send('Profiler.setSamplingInterval', { interval: 100 }, sessionId);
      await send('Profiler.start', {}, sessionId);
    }
    await send('Page.navigate', { url: siteOrigin + path }, sessionId);
    // Long enough for the idle frame (1.5 s, then the next idle moment) to load and settle, throttled.
    await sleep(4_500);
    if (profile) {
      const { profile: taken } = await send('Profiler.stop', {}, sessionId);
      writeFileSync(profile, JSON.stringify(taken));
    }
    const { metrics } = await send('Performance.getMetrics', {}, sessionId);
    const metric = (name) => (metrics.find((each) => each.name === name)?.value ?? 0) * 1000;
    const script = metric('ScriptDuration');
    const tasks = metric('TaskDuration');
    // Asked only now, when the figure above is taken.
    const { result } = await send(
      'Runtime.evaluate',
      {
        expression: `JSON.stringify({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null, launcher: window.__launcherAt ?? null })`,
        returnByValue: true,
      },
      sessionId,
    );
    const timing = result.value ? JSON.parse(result.value) : { fcp: null, launcher: null };
    return { script, tasks, ...timing };
  } finally {
    await send('Target.closeTarget', { targetId }).catch(() => {});
    await send('Target.disposeBrowserContext', { browserContextId }).catch(() => {});
  }
}

/**
 * In every frame, through Playwright (init scripts run in every frame): when the visitor's press
 * began, and in the chat's frame, when the greeting and then the first question are painted. Times are
 * wall-clock (time origin plus now), so the two documents compare: an opening is measured from the
 * press to the paint, not from the test driver's own round trips.
 */
const WATCH_OPENING = () => {
  const now = () => performance.timeOrigin + performance.now();
  addEventListener('pointerdown', () => (window.__pressedAt = now()), { capture: true });
  if (window === top) return;
  const painted = (name) => requestAnimationFrame(() => (window[name] = now()));
  new MutationObserver(() => {
    if (!window.__greetingAt && [...document.querySelectorAll('button')].some((b) => b.textContent === 'Start'))
      painted('__greetingAt');
    if (!window.__questionAt && document.getElementById('app')?.textContent.includes('Who are you asking for?'))
      painted('__questionAt');
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

/**
 * One fresh visit (its own browser context) that opens the chat: the press to the greeting, Start to
 * the first question. `warm`: an earlier visit of the same browser opened the chat, so its files are
 * in the cache (the frame's own, partitioned by the host site).
 */
async function openChat(browser, path, warm) {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, reducedMotion: 'reduce' });
  try {
    const page = await context.newPage();
    await page.addInitScript(WATCH_OPENING);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    if (slowNetwork) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
    }
    const chat = page.frameLocator('iframe');
    if (warm) {
      await page.goto(siteOrigin + path, { waitUntil: 'load' });
      await page.locator('intake-chat button.launcher').click();
      await chat.getByRole('button', { name: 'Start' }).waitFor();
      await page.waitForTimeout(500);
    }
    await page.goto(siteOrigin + path, { waitUntil: 'load' });
    await page.waitForTimeout(slowNetwork ? 8_000 : 4_000);
    // Playwright's click moves the pointer there first, as a visitor's does: the frame is made (or a
    // waiting one woken) as the pointer arrives, and the click opens the chat.
    await page.locator('intake-chat button.launcher').click();
    await chat.getByRole('button', { name: 'Start' }).waitFor();
    await chat.getByRole('button', { name: 'Start' }).click();
    await chat.getByText('Who are you asking for?').waitFor();
    await page.waitForTimeout(100);
    const frame = page.frames().find((candidate) => candidate.url().includes('/frame?'));
    const inFrame = await frame?.evaluate(() => ({
      pressedAt: window.__pressedAt,
      greetingAt: window.__greetingAt,
      questionAt: window.__questionAt,
    }));
    const pressedAt = await page.evaluate(() => window.__pressedAt);
    return { opened: inFrame.greetingAt - pressedAt, question: inFrame.questionAt - inFrame.pressedAt };
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const known = values.filter((value) => value !== null).sort((a, b) => a - b);
  return known.length === 0 ? null : known[Math.floor(known.length / 2)];
};

async function measure(name, path) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const profile = i === 0 && profileDir ? join(profileDir, `${name.replace(/\W+/g, '-')}.cpuprofile`) : '';
    runs.push(await visit(path, { profile }));
  }
  const row = {
    name,
    script: median(runs.map((run) => run.script)),
    tasks: median(runs.map((run) => run.tasks)),
    fcp: median(runs.map((run) => run.fcp)),
    launcher: median(runs.map((run) => run.launcher)),
  };
  const each = runs.map((run) => run.script.toFixed(0)).join(', ');
  process.stdout.write(`${name}: ${JSON.stringify(row)} (script ms of each visit: ${each})\n`);
  return row;
}

async function measureOpening(browser, name, path, warm) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await openChat(browser, path, warm));
  const each = runs.map((run) => `${run.opened.toFixed(0)}/${run.question.toFixed(0)}`).join(', ');
  process.stdout.write(`${name}: press to greeting / Start to question, ms of each visit: ${each}\n`);
  return {
    name,
    opened: median(runs.map((run) => run.opened)),
    question: median(runs.map((run) => run.question)),
  };
}

const ms = (value) => (value === null || value === undefined ? '-' : value.toFixed(0));
/** A plain-text table: the first column left-aligned, the figures right-aligned. */
function table(header, body) {
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i].length)));
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return `${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${body.map(line).join('\n')}\n`;
}

try {
  bare = bareChromium();
  process.stdout.write(`bench:host: Chromium, CPU ${THROTTLE}x slower, 375x667, median of ${RUNS}\n`);
  const rows = [
    await measure('blank page', '/blank.html'),
    await measure('intake-chat (the frame on intent)', '/widget.html'),
    await measure('intake-chat, data-preload="idle" (waiting frame, same site)', '/widget-idle.html'),
  ];
  if (peerPath) rows.push(await measure(`peer: ${peerPath.split('/').at(-1)}`, '/peer.html'));
  await bare.close();

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const openings = [];
  try {
    openings.push(await measureOpening(browser, 'as shipped, warm cache', '/widget.html', true));
    openings.push(await measureOpening(browser, 'as shipped, first visit', '/widget.html', false));
    openings.push(await measureOpening(browser, 'data-preload="idle", first visit', '/widget-idle.html', false));
  } finally {
    await browser.close();
  }

  const blank = rows[0]?.fcp ?? 0;
  process.stdout.write(
    `\n${table(
      ['page', 'script ms', 'all tasks ms', 'launcher at ms', 'vs blank page'],
      rows.map((row) => [
        row.name,
        ms(row.script),
        ms(row.tasks),
        ms(row.launcher),
        row.launcher === null
          ? '-'
          : `${row.launcher >= blank ? '+' : '-'}${Math.abs(row.launcher - blank).toFixed(0)}`,
      ]),
    )}`,
  );
  process.stdout.write(
    `(script ms: V8's ScriptDuration for the page's renderer; all tasks: its TaskDuration; the blank page's first ` +
      `contentful paint: ${ms(blank)} ms, which "vs blank page" compares the launcher's first frame with)\n\n`,
  );
  process.stdout.write(
    table(
      [
        slowNetwork ? 'opening the chat, slow network' : 'opening the chat',
        'press to greeting ms',
        'Start to question ms',
      ],
      openings.map((row) => [row.name, ms(row.opened), ms(row.question)]),
    ),
  );
} finally {
  await bare?.close();
  await server.close();
  site.close();
  rmSync(dataDir, { recursive: true, force: true });
}
