// What the benchmarks (and scripts/screenshots.js) share: a sample lead, printing figures, and the
// disk's own fsync cost for context.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Answers of the default flow that lead to iop-fit (urgency normal), as in test/support/validLead.ts. */
export const sampleAnswers = {
  'for-whom': 'self',
  'safety-now': 'no',
  substances: ['cannabis', 'stimulants'],
  'use-frequency': 'weekly',
  'withdrawal-signs': 'no',
  'mental-health': 'some',
  'recent-treatment': 'none',
  'home-safe': 'yes',
  support: 'some',
  duties: ['work', 'caregiving'],
  'hours-possible': 'maybe',
  'schedule-pref': 'evening',
  coverage: 'medicaid',
};

/**
 * A lead for the demo center riverbend as the widget sends it, with a fresh idempotency key unless one
 * is given. `answers` replaces the sample answers whole.
 */
export function sampleLead({ name = 'Marisol', answers = sampleAnswers, idempotencyKey = randomUUID() } = {}) {
  return {
    idempotencyKey,
    center: 'riverbend',
    flow: { id: 'iop-intake', version: 1 },
    locale: 'en',
    answers,
    contact: {
      name,
      phone: '(312) 555-0142',
      bestTime: 'evening',
      voicemailOk: true,
      textOk: false,
      state: 'IL',
      adult: true,
      forWhom: 'self',
    },
    consent: {
      call: true,
      text: false,
      textVersion: '2026-12-riverbend-call-v1',
      at: new Date().toISOString(),
      page: '/admissions',
    },
  };
}

export function say(text) {
  process.stdout.write(text);
}

export function table(header, body) {
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((row) => String(row[i]).length)));
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  say(`${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${body.map(line).join('\n')}\n`);
}

/** What one commit's fsync costs on the disk under the temporary folder: the floor under SQLite FULL. */
export function diskSyncLatency() {
  const folder = mkdtempSync(join(tmpdir(), 'intake-bench-sync-'));
  const fd = openSync(join(folder, 'probe'), 'w');
  const page = Buffer.alloc(4096, 1);
  const times = [];
  try {
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      writeSync(fd, page, 0, page.length, (i % 16) * page.length);
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const at = (fraction) => (times[Math.floor(fraction * times.length)] ?? 0).toFixed(2);
  return `4 KB write + fdatasync: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

export function redact(url) {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.href;
  } catch {
    return 'an unreadable DATABASE_URL';
  }
}

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Spawns node with `args` and resolves once it logs "listening on"; its log lines are read and dropped.
 * The child is kept in `children` until it is stopped, for the caller to kill if the run fails.
 */
export function startChild(args, env, children, { cpu } = {}) {
  // `cpu`: run it on that CPU alone (taskset), away from the load generator.
  const [command, argv] =
    cpu === undefined ? [process.execPath, args] : ['taskset', ['-c', cpu, process.execPath, ...args]];
  const child = spawn(command, argv, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise((done) => child.once('exit', done));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => {
    stderr = (stderr + text).slice(-8_000);
  });
  return new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(
      () => fail(new Error(`no "listening on" within ${START_TIMEOUT_MS} ms; stderr:\n${stderr}`)),
      START_TIMEOUT_MS,
    );
    const onExit = (code) => fail(new Error(`the child exited with ${code} before listening; stderr:\n${stderr}`));
    child.once('exit', onExit);
    const onData = (text) => {
      seen = (seen + text).slice(-8_000);
      const found = /"message":"listening on (http:\/\/[^"]+)"/.exec(seen);
      if (found === null) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout.off('data', onData);
      child.stdout.resume();
      done({
        url: found[1],
        child,
        async stop() {
          const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          child.kill('SIGTERM');
          await exited;
          clearTimeout(force);
          children.delete(child);
        },
      });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
  });
}
