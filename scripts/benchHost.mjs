// `npm run bench:host [-- --peer path/to/embed.js]`: what the widget costs the page it is pasted into,
// in Debian's Chromium with the CPU slowed 4x (a mid-range phone), median of 5 fresh visits each:
//
// - blank: a plain article page, the baseline;
// - shell only: the same page with the script tag, the chat frame blocked (what every page pays);
// - with the idle frame: the frame allowed, from the same site as the page (so the same renderer
//   process, as on phones that do not isolate sites), for what loading it while the visitor reads costs;
// - peer (with --peer): the same page with another vendor's built embed, for comparison (none ships here).
//
// For each: main-thread script time (CDP Performance.getMetrics, ScriptDuration, after the page has been
// idle 4 s), when the launcher is first drawn on screen against the blank page's first contentful paint,
// and for the widget, how long a click on the launcher takes to show the chat's first screen on a warm
// cache. Prints one table; never fails.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const RUNS = 5;
const THROTTLE = 4;
const peerPath = (() => {
  const at = process.argv.indexOf('--peer');
  return at === -1 ? undefined : process.argv[at + 1];
})();

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
 * Records when the launcher reaches the screen, from navigation start: the shell draws it, then says
 * `intake:ready`; the next animation frame is the one that paints it. One listener, so the watch adds
 * next to nothing to the script time measured.
 */
const WATCH_LAUNCHER = () => {
  document.addEventListener(
    'intake:ready',
    () =>
      requestAnimationFrame(() => {
        window.__launcherAt = performance.now();
      }),
    { once: true, capture: true },
  );
};

async function visit(path, { blockFrame = false, open = false, watch = true, profile = '' } = {}) {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 } });
  const page = await context.newPage();
  if (watch) await page.addInitScript(WATCH_LAUNCHER);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  // Blocked by the browser itself: a request interceptor would slow every other request down too.
  if (blockFrame) {
    await cdp.send('Network.enable');
    await cdp.send('Network.setBlockedURLs', { urls: ['*/frame?*', '*/frame.js*', '*/frame.css*'] });
  }
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
  if (open) {
    // Warm cache: the frame's files came with the idle load; a click shows the greeting.
    const started = Date.now();
    await page.locator('intake-chat button.launcher').click();
    await page.frameLocator('iframe').getByRole('button', { name: 'Start' }).waitFor();
    opened = Date.now() - started;
  }
  await context.close();
  return { script, ...timing, opened };
}

const median = (values) => {
  const known = values.filter((value) => value !== null).sort((a, b) => a - b);
  return known.length === 0 ? null : known[Math.floor(known.length / 2)];
};

async function measure(name, path, options) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await visit(path, options));
  const row = {
    name,
    script: median(runs.map((run) => run.script)),
    fcp: median(runs.map((run) => run.fcp)),
    launcher: median(runs.map((run) => run.launcher)),
    opened: median(runs.map((run) => run.opened)),
  };
  process.stdout.write(`${name}: ${JSON.stringify(row)}\n`);
  return row;
}

try {
  process.stdout.write(`bench:host: Chromium, CPU ${THROTTLE}x slower, 375x667, median of ${RUNS}\n`);
  const rows = [
    await measure('blank page', '/blank.html'),
    await measure('intake-chat, shell only (frame blocked)', '/widget.html', { blockFrame: true }),
    await measure('intake-chat, with the idle frame (same site)', '/widget.html', { open: true }),
  ];
  if (peerPath) rows.push(await measure(`peer: ${peerPath.split('/').at(-1)}`, '/peer.html'));
  const blank = rows[0]?.fcp ?? 0;
  const ms = (value) => (value === null ? '-' : value.toFixed(0));
  const header = ['page', 'script ms', 'launcher at ms', 'vs blank page', 'open to greeting ms'];
  const body = rows.map((row) => [
    row.name,
    ms(row.script),
    ms(row.launcher),
    row.launcher === null ? '-' : `${row.launcher >= blank ? '+' : '-'}${Math.abs(row.launcher - blank).toFixed(0)}`,
    ms(row.opened),
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
