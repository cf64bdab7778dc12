// `npm run size`: what a host page and the conversation frame download, measured on the built files
// (docs/engineering.md: budgets are tests of what ships). Prints the figures and exits 1 over budget.
// 1 KB = 1,024 bytes; sizes are gzip at level 9, as a CDN or the lead server behind one would send them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const widgetDist = fileURLToPath(new URL('../packages/widget/dist/', import.meta.url));
const consoleDist = fileURLToPath(new URL('../packages/console/dist/', import.meta.url));
const KB = 1024;

/** Issue 3's budgets. For comparison (docs/widget-lessons.md, loading cost): Crisp loads about 130 KB, Intercom 300-500 KB. */
const budgets = [
  {
    name: 'shell (widget.js), on every page of the host site',
    dist: widgetDist,
    files: ['widget.js'],
    // 8 KB until issue 14 added the launcher's one anonymous count, the referring site's host name and
    // data-insight="off" (about 0.1 KB). The shell still draws its launcher with Preact; drawing it by
    // hand is the way back under 8 KB (issue 15 takes the shell's cost apart).
    limit: 8.25 * KB,
  },
  {
    name: 'frame (frame.js + frame.css), once the visitor shows intent',
    dist: widgetDist,
    files: ['frame.js', 'frame.css'],
    // 40 KB until issue 11 added the free-text question, one-tap crisis links, crisis help over the
    // form, the emergency confirmation and the Spanish form messages (about 2.7 KB). Loaded on intent
    // only: the host page still pays for the shell and nothing more. 42 KB until issue 14 added the
    // anonymous counts of each step, result and crisis tap (about 1 KB).
    limit: 43 * KB,
  },
  {
    // Staff open it on phones, on call, sometimes on a weak signal: it should load in a moment too.
    // 30 KB until issue 13 added the team page, My settings, one-time links, filters and search,
    // assignment, alerts and the audit log in words, each in English and Spanish (about 11 KB, no new
    // dependency: Preact is still the only one). Staff-only: no host page ever loads it. 40 KB until
    // issue 14 added the Insight screen (about 3.4 KB: funnel, drop-off, routes, sources, speed to lead
    // and crisis help, each as bars and a table, in English and Spanish), drawn with plain HTML bars
    // rather than a chart library. A chunk of its own would need a second copy of Preact: the bundle
    // is one classic script.
    name: 'staff console (console.js + console.css)',
    dist: consoleDist,
    files: ['console.js', 'console.css'],
    limit: 44 * KB,
  },
];

let over = false;
for (const budget of budgets) {
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of budget.files) {
    let body;
    try {
      body = readFileSync(budget.dist + file);
    } catch {
      console.error(`size: ${file} is missing from ${budget.dist}; run "npm run build" first.`);
      process.exit(1);
    }
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
    brotli += brotliCompressSync(body).length;
  }
  const fits = gzip <= budget.limit;
  over ||= !fits;
  console.log(
    `${fits ? 'ok  ' : 'OVER'} ${budget.name}: ${kb(gzip)} gzip of ${kb(budget.limit)} budget ` +
      `(${kb(budget.limit - gzip)} ${fits ? 'left' : 'over'}; ${kb(raw)} minified, ${kb(brotli)} brotli)`,
  );
}
if (over) {
  console.error('size: over budget. Look for new dependencies in the bundle before raising a budget.');
  process.exit(1);
}

function kb(bytes) {
  return `${(Math.abs(bytes) / KB).toFixed(2)} KB`;
}
