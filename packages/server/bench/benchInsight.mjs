// Benchmark of conversion insight's counting, run against the built server:
//
//   npm run bench:insight [-- --quick]
//
// Starts the lead server on SQLite (synchronous=FULL, as shipped) as a child process and measures lead
// intake with autocannon twice: alone, and while 2,000 events a second arrive at POST /v1/events, the
// beacons of about a hundred conversations at once. Then stops the server (which writes its last counts)
// and adds up what was stored, to show every accepted event was counted. Prints figures with PASS/MISS
// against the targets; never fails.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { sampleLead, say, startChild, table } from './benchSupport.mjs';

const quick = process.argv.includes('--quick');
const plan = quick ? { warmup: 1, seconds: 3, connections: 50 } : { warmup: 3, seconds: 10, connections: 50 };
const targets = { eventsPerSecond: 2_000, slowdown: 0.1 };

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(packageDir, 'bin/intake-chat.js');
const children = new Set();
const rows = [];

const leadTemplate = JSON.stringify(sampleLead({ name: 'Sam', idempotencyKey: 'KEY' }));
const leadBody = () => leadTemplate.replace('KEY', randomUUID());

// What a conversation sends, in proportion: an open, a start, questions, a result, now and then a request.
const steps = [
  'for-whom',
  'safety-now',
  'substances',
  'use-frequency',
  'withdrawal-signs',
  'mental-health',
  'recent-treatment',
  'home-safe',
  'support',
  'duties',
  'hours-possible',
  'schedule-pref',
  'coverage',
  'anything-else',
];
const events = [
  { event: 'shown' },
  { event: 'opened', source: { source: 'newsletter', medium: 'email', campaign: 'winter' } },
  { event: 'opened', source: { referrer: 'search.example' } },
  { event: 'started' },
  ...steps.map((step, i) => ({ event: 'step', step, ...(i > 0 ? { after: steps[i - 1] } : {}) })),
  { event: 'result', route: 'iop-fit', after: 'anything-else' },
  { event: 'form' },
  { event: 'sent', source: { source: 'newsletter', medium: 'email', campaign: 'winter' } },
].map((event) => JSON.stringify({ center: 'riverbend', ...event }));
let next = 0;
const eventBody = () => events[next++ % events.length];
/**
 * Events the server answered 204, over every run, and events sent: each accepted one must be in the
 * table at the end, and nothing more than was sent (a run's last answers, in flight when it ends,
 * are counted by the server but not by autocannon).
 */
let acceptedEvents = 0;
let sentEvents = 0;

const dataDir = mkdtempSync(join(tmpdir(), 'intake-bench-insight-'));
try {
  if (!existsSync(join(packageDir, 'dist/index.js'))) {
    throw new Error('packages/server/dist is missing; build first: npm run build');
  }
  say(
    `benchInsight${quick ? ' --quick' : ''}: lead intake for ${plan.seconds} s with ${plan.connections} connections, ` +
      `alone and beside ${targets.eventsPerSecond} events/s\n${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}\n`,
  );
  // The server on one core, this process (autocannon, both loads) on the other: on a small machine the
  // load generator would otherwise take its CPU from the server and be measured as the events' cost.
  const pinned =
    availableParallelism() >= 2 && spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]).status === 0;
  say(
    pinned
      ? 'server pinned to CPU 0, load generators to CPU 1\n'
      : 'not pinned to CPUs (no taskset): figures include the load generator\n',
  );
  const server = await startChild(
    [bin, 'serve', '--port', '0', '--data', dataDir],
    { INTAKE_DATA_KEY: randomBytes(32).toString('base64'), INTAKE_RATE_LIMIT: 'off' },
    children,
    pinned ? { cpu: '0' } : {},
  );
  await leads(server.url, plan.warmup);
  await drive(server.url, '/v1/events', eventBody, { duration: plan.warmup, connections: 10 });

  const alone = record('leads alone', await leads(server.url, plan.seconds));
  const [besideResult, counted] = await Promise.all([
    leads(server.url, plan.seconds),
    drive(server.url, '/v1/events', eventBody, {
      duration: plan.seconds,
      // Beacons come from many browsers at once, each on its own connection.
      connections: 200,
      overallRate: targets.eventsPerSecond,
    }),
  ]);
  const beside = record('leads beside events', besideResult);
  const eventRow = record(`events at ${targets.eventsPerSecond}/s`, counted);
  await server.stop();

  // Everything the server said 204 to is in the table once it has stopped.
  const db = new Database(join(dataDir, 'intake-chat.sqlite'), { readonly: true });
  const { stored, rows: keys } = db
    .prepare("select coalesce(sum(count), 0) as stored, count(*) as rows from insight_counts where event != 'answered'")
    .get();
  db.close();

  say('\n');
  table(
    ['run', 'per s', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'other'],
    rows.map((row) => [row.name, row.perSecond.toFixed(0), row.p50, row.p99, row.max, row.ok, row.other]),
  );
  say('\n');
  const slowdown = 1 - beside.perSecond / alone.perSecond;
  verdict(
    `events recorded at ${eventRow.perSecond.toFixed(0)}/s >= ${targets.eventsPerSecond}/s, ${eventRow.other} refused`,
    eventRow.perSecond >= targets.eventsPerSecond * 0.98 && eventRow.other === 0,
  );
  verdict(
    `every accepted event counted: ${stored} stored, ${acceptedEvents} answered 204, ${sentEvents} sent (${keys} rows)`,
    stored >= acceptedEvents && stored <= sentEvents,
  );
  verdict(
    `lead intake beside the events: ${beside.perSecond.toFixed(0)} leads/s against ${alone.perSecond.toFixed(0)} alone ` +
      `(${(slowdown * 100).toFixed(1)} % slower; at most ${targets.slowdown * 100} %)`,
    slowdown <= targets.slowdown,
  );
} catch (error) {
  process.exitCode = 1;
  say(`benchInsight failed: ${error instanceof Error ? error.stack : String(error)}\n`);
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}

async function leads(url, seconds) {
  return drive(url, '/v1/leads', leadBody, { duration: seconds, connections: plan.connections });
}

async function drive(url, path, body, options) {
  const result = await autocannon({
    url: `${url}${path}`,
    method: 'POST',
    headers: { 'content-type': path === '/v1/events' ? 'text/plain;charset=UTF-8' : 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
    timeout: 10,
    ...options,
  });
  if (path === '/v1/events') {
    acceptedEvents += result['2xx'];
    sentEvents += result.requests.sent;
  }
  return result;
}

function record(name, result) {
  const row = {
    name,
    perSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
  };
  rows.push(row);
  say(`${name}: ${row.perSecond.toFixed(0)}/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.other} not 2xx\n`);
  return row;
}

function verdict(text, pass) {
  say(`${pass ? 'PASS' : 'MISS'}  ${text}\n`);
}
