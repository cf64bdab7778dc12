// What the benchmarks share: printing figures, and the disk's own fsync cost for context.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
