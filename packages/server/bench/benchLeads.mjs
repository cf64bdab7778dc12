// Load benchmark of POST /v1/leads, run against the built server:
//
//   npx tsc -p packages/server/tsconfig.build.json && node packages/server/bench/benchLeads.mjs [--quick] [--only sqlite,postgres]
//
// --only runs some of the parts: hello, sqlite, normal, postgres, profile, memory (all by default).
// Starts, each as a child process on 127.0.0.1: a bare node:http server (the ceiling on this
// machine), the lead server on SQLite, the lead server on PostgreSQL (a fresh database, dropped
// afterwards; skipped when DATABASE_URL's server does not answer), and drives them with
// autocannon from this process. Prints figures with PASS/MISS against the targets; never fails.
// INTAKE_SQLITE_SYNC=normal is also measured, to show what an fsync per commit costs.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { diskSyncLatency, redact, sampleLead, say, startChild, table } from './benchSupport.mjs';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? null : new Set(process.argv[onlyAt + 1]?.split(','));
const part = (name) => only === null || only.has(name);
const plan = quick
  ? { warmup: 1, seconds: 2, connections: 50, rate: 500, rateSeconds: 2, memoryTotal: 5_000, memoryBatch: 1_000 }
  : { warmup: 3, seconds: 10, connections: 50, rate: 500, rateSeconds: 10, memoryTotal: 100_000, memoryBatch: 10_000 };
const targets = {
  sqliteLeadsPerSecond: 4_000,
  /** Of the bare node:http server in the same run: a figure that holds on a slower or faster machine. */
  sqliteShareOfHello: 0.12,
  postgresLeadsPerSecond: 2_500,
  p99AtRateMs: 50,
  memoryGrowth: 0.2,
};

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(packageDir, 'bin/intake-chat.js');
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const dataKey = randomBytes(32).toString('base64');

const helloWorld = `
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end('{"id":"hello","callbackWindow":""}');
  });
});
server.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ level: 'info', message: 'listening on http://127.0.0.1:' + server.address().port })),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;

// A valid lead for the demo center with a fresh idempotency key each time, so every request stores one.
const template = JSON.stringify(
  sampleLead({
    name: 'Sam',
    idempotencyKey: 'KEY',
    answers: { 'for-whom': 'self', 'safety-now': 'no', 'home-safe': 'yes', support: 'yes', 'hours-possible': 'yes' },
  }),
);
const leadBody = () => template.replace('KEY', randomUUID());

const rows = [];
const children = new Set();
const cleanups = [];

try {
  if (!existsSync(join(packageDir, 'dist/index.js'))) {
    throw new Error('packages/server/dist is missing; build first: npx tsc -p packages/server/tsconfig.build.json');
  }
  say(
    `benchLeads${quick ? ' --quick' : ''}: ${plan.seconds} s at full speed with ${plan.connections} connections, ` +
      `${plan.rateSeconds} s at ${plan.rate} req/s\n${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}, ` +
      `${diskSyncLatency()}\n`,
  );

  let helloFull;
  if (part('hello')) {
    const hello = await startChild(['-e', helloWorld], {}, children);
    helloFull = await fullSpeed('hello-world (node:http)', hello);
    await hello.stop();
  }

  let sqliteFull;
  let sqliteRate;
  if (part('sqlite')) {
    const sqlite = await startLeadServer({});
    sqliteFull = await fullSpeed('lead server, SQLite', sqlite);
    sqliteRate = await atRate('lead server, SQLite', sqlite);
    await sqlite.stop();
  }

  if (part('normal')) {
    const normal = await startLeadServer({ INTAKE_SQLITE_SYNC: 'normal' });
    await fullSpeed('lead server, SQLite synchronous=NORMAL', normal);
    await atRate('lead server, SQLite synchronous=NORMAL', normal);
    await normal.stop();
  }

  let postgresOne;
  let postgresTwo;
  if (part('postgres')) {
    const postgres = await createDatabase();
    if (postgres === null) {
      say(`PostgreSQL: skipped, nothing answers at ${redact(databaseUrl)}\n`);
    } else {
      const server = await startLeadServer({ DATABASE_URL: postgres });
      postgresOne = await fullSpeed('lead server, PostgreSQL', server);
      await atRate('lead server, PostgreSQL', server);
      // A second server on the same database, each taking half the connections: what one more machine adds.
      const second = await startLeadServer({ DATABASE_URL: postgres });
      postgresTwo = await bothAtOnce('lead servers, 2 on one PostgreSQL', [server, second]);
      await Promise.all([server.stop(), second.stop()]);
    }
  }

  // Where one lead's time goes, from a CPU profile of the SQLite server at full speed.
  const breakdown = part('profile') ? await profiledRun() : null;

  const uncapped = part('memory') ? await memoryOverLeads('heap uncapped', {}) : null;
  const memory = part('memory')
    ? await memoryOverLeads('heap capped at 128 MiB', { NODE_OPTIONS: '--max-old-space-size=128' })
    : null;

  say('\n');
  table(
    ['run', 'leads/s', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'other'],
    rows.map((row) => [row.name, row.perSecond.toFixed(0), row.p50, row.p99, row.max, row.ok, row.other]),
  );
  say('\n');
  if (sqliteFull) {
    verdict(
      `SQLite throughput ${sqliteFull.perSecond.toFixed(0)} leads/s >= ${targets.sqliteLeadsPerSecond}`,
      sqliteFull.perSecond >= targets.sqliteLeadsPerSecond,
    );
    verdict(
      `SQLite p99 ${sqliteRate.p99} ms < ${targets.p99AtRateMs} ms at ${plan.rate} leads/s (paced)`,
      sqliteRate.p99 < targets.p99AtRateMs,
    );
  }
  if (sqliteFull && helloFull) {
    const ratio = sqliteFull.perSecond / helloFull.perSecond;
    verdict(
      `lead server / hello-world throughput: ${(ratio * 100).toFixed(1)} % >= ${targets.sqliteShareOfHello * 100} % ` +
        `(${sqliteFull.perSecond.toFixed(0)} / ${helloFull.perSecond.toFixed(0)})`,
      ratio >= targets.sqliteShareOfHello,
    );
  }
  if (uncapped && memory) {
    say(`INFO  ${uncapped.summary}\n`);
    verdict(memory.summary, memory.flat);
  }
  if (postgresOne) {
    verdict(
      `PostgreSQL throughput ${postgresOne.perSecond.toFixed(0)} leads/s >= ${targets.postgresLeadsPerSecond}`,
      postgresOne.perSecond >= targets.postgresLeadsPerSecond,
    );
  }
  if (postgresOne && postgresTwo) {
    say(
      `PostgreSQL: one server ${postgresOne.perSecond.toFixed(0)} leads/s, two servers ${postgresTwo.perSecond.toFixed(0)} leads/s together ` +
        `(${(postgresTwo.perSecond / postgresOne.perSecond).toFixed(2)}x; on this ${availableParallelism()}-core machine they share its cores with the database)\n`,
    );
  }
  if (breakdown) {
    say(
      `\nwhere a lead's time goes (SQLite, full speed, ${breakdown.leadsPerSecond.toFixed(0)} leads/s while profiled):\n`,
    );
    table(
      ['part (main thread)', 'share', 'µs per lead'],
      breakdown.parts.map(({ part, share }) => [
        part,
        `${(share * 100).toFixed(1)} %`,
        ((share * 1e6) / breakdown.leadsPerSecond).toFixed(0),
      ]),
    );
    if (breakdown.writerBusy !== null) {
      say(
        `beside it, the SQLite writer's thread (statements and commits) was busy ${(breakdown.writerBusy * 100).toFixed(1)} % ` +
          `of the time: ${((breakdown.writerBusy * 1e6) / breakdown.leadsPerSecond).toFixed(0)} µs per lead\n`,
      );
    }
  }
} catch (error) {
  process.exitCode = 1;
  say(`benchLeads failed: ${error instanceof Error ? error.stack : String(error)}\n`);
} finally {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => say(`cleanup: ${error.message}\n`));
}

/** Both servers driven at once, the connections split between them; the sum of what they stored. */
async function bothAtOnce(name, servers) {
  const results = await Promise.all(
    servers.map((server) => drive(server.url, { connections: plan.connections / 2, duration: plan.seconds })),
  );
  const sum = {
    '2xx': results.reduce((total, result) => total + result['2xx'], 0),
    duration: Math.max(...results.map((result) => result.duration)),
    latency: {
      p50: Math.max(...results.map((result) => result.latency.p50)),
      p99: Math.max(...results.map((result) => result.latency.p99)),
      max: Math.max(...results.map((result) => result.latency.max)),
    },
    non2xx: results.reduce((total, result) => total + result.non2xx, 0),
    errors: results.reduce((total, result) => total + result.errors, 0),
    timeouts: results.reduce((total, result) => total + result.timeouts, 0),
  };
  return record(`${name}, full speed`, sum);
}

/**
 * The SQLite server with V8's CPU profiler on, at full speed, then each sample put to the first part
 * of the request it belongs to, walking from the running function toward the root.
 */
async function profiledRun() {
  const profileDir = mkdtempSync(join(tmpdir(), 'intake-bench-profile-'));
  cleanups.push(async () => rmSync(profileDir, { recursive: true, force: true }));
  const dataDir = mkdtempSync(join(tmpdir(), 'intake-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startChild(
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, bin, 'serve', '--port', '0', '--data', dataDir],
    { INTAKE_DATA_KEY: dataKey, INTAKE_RATE_LIMIT: 'off' },
    children,
  );
  await drive(server.url, { connections: 10, duration: plan.warmup });
  const result = await drive(server.url, { connections: plan.connections, duration: plan.seconds });
  await server.stop();
  // One profile per thread, named CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile: the main thread is 0.
  const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
  const main = files.find((name) => name.split('.')[4] === '0');
  if (main === undefined) throw new Error('the profiled server wrote no .cpuprofile for its main thread');
  const read = (name) => JSON.parse(readFileSync(join(profileDir, name), 'utf8'));
  // The SQLite writer's thread, beside the main one: its busy share is time the main thread did not spend.
  const writers = files.filter((name) => name !== main).map((name) => breakdownOf(read(name)));
  const writerBusy = writers.map((parts) => 1 - (parts.find(({ part }) => part === 'idle')?.share ?? 0));
  return {
    leadsPerSecond: result['2xx'] / result.duration,
    parts: breakdownOf(read(main)),
    writerBusy: writerBusy.length === 0 ? null : Math.max(...writerBusy),
  };
}

/** The parts of the work, tested from the running function up: the first that matches takes the sample. */
function parts() {
  return [
    [
      'SQL and commit (better-sqlite3, kysely)',
      (url, name) => /better-sqlite3|sqlite-driver|kysely/.test(url) || name === 'executeQuery',
    ],
    [
      'sealing (AES-256-GCM, blind indexes)',
      (url) => /crypto\/createSealer|searchKeys|node:internal\/crypto|crypto\/(cipher|hash)/.test(url),
    ],
    ['triage and crisis words', (url) => /triage|flow\/conditions|detectCrisis|typedCrisis|crisisPatterns/.test(url)],
    ['validation (lead schema)', (url) => /zod|leadSchema|acceptLead|contactRules/.test(url)],
    ['delivery worker', (url) => /delivery\//.test(url)],
    ['logging', (url, name) => /cli\/runCli/.test(url) || /^(writeUtf8String|writeLatin1String)$/.test(name)],
    [
      'HTTP and JSON (node:http, hono)',
      (url, name) =>
        /node:_http|node:net|hono|node-server|undici|http\/plumbing|app\/createApp/.test(url) || name === 'parse',
    ],
    ['garbage collection', (_url, name) => name === '(garbage collector)'],
    ['idle', (_url, name) => name === '(idle)'],
  ];
}

function breakdownOf(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const partOf = new Map();
  const PARTS = parts();
  const classify = (id) => {
    if (partOf.has(id)) return partOf.get(id);
    let part = 'other (the rest of the server, Node itself)';
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const { url, functionName } = nodes.get(at).callFrame;
      const match = PARTS.find(([, test]) => test(url, functionName));
      if (match) {
        part = match[0];
        break;
      }
    }
    partOf.set(id, part);
    return part;
  };
  const time = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    const part = classify(id);
    time.set(part, (time.get(part) ?? 0) + delta);
  });
  return [...time.entries()].map(([part, spent]) => ({ part, share: spent / total })).sort((a, b) => b.share - a.share);
}

/** Full speed: as many requests as `connections` keep in flight, after a short warm-up. */
async function fullSpeed(name, server) {
  await drive(server.url, { connections: 10, duration: plan.warmup });
  return record(
    `${name}, full speed`,
    await drive(server.url, { connections: plan.connections, duration: plan.seconds }),
  );
}

/**
 * A fixed rate, twice: autocannon's `overallRate` as asked, and an even open-loop schedule. autocannon
 * 9 sends each connection's share of a second back to back when the second starts (a burst of all 50
 * connections every second), and corrects for coordinated omission with an expected interval of
 * `Math.ceil(1 / rate)` = 1 ms instead of 1000 / rate ms, which adds a synthetic sample per millisecond
 * of every slow response. So its p99 here is the p99 of bursts, inflated; the paced figure is the one
 * the target is judged on.
 */
async function atRate(name, server) {
  const result = await drive(server.url, {
    connections: plan.connections,
    duration: plan.rateSeconds,
    overallRate: plan.rate,
  });
  record(`${name}, ${plan.rate}/s (autocannon)`, result);
  return record(`${name}, ${plan.rate}/s (paced)`, await paced(server.url, plan.rate, plan.rateSeconds));
}

/**
 * Sends `rate` requests a second on an even schedule for `seconds`, whether or not earlier ones have
 * answered, and measures each from when it was due: a server that falls behind shows it in latency.
 */
async function paced(url, rate, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const total = rate * seconds;
  const interval = 1000 / rate;
  const latencies = [];
  let failed = 0;
  const pending = [];
  const start = performance.now() + 20;
  for (let sent = 0; sent < total; sent++) {
    const due = start + sent * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((done) => setTimeout(done, wait));
    pending.push(
      post(agent, url, leadBody()).then(
        (status) => {
          if (status === 201) latencies.push(performance.now() - due);
          else failed += 1;
        },
        () => {
          failed += 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (fraction) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))] ?? 0);
  const elapsed = (performance.now() - start) / 1000;
  return {
    '2xx': latencies.length,
    duration: elapsed,
    latency: { p50: at(0.5), p99: at(0.99), max: at(1) },
    non2xx: failed,
    errors: 0,
    timeouts: 0,
  };
}

function post(agent, url, body) {
  return new Promise((done, fail) => {
    const sent = request(
      `${url}/v1/leads`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => done(response.statusCode));
      },
    );
    sent.on('timeout', () => sent.destroy(new Error('timed out')));
    sent.on('error', fail);
    sent.end(body);
  });
}

/**
 * 100,000 leads in batches on a fresh SQLite server, sampling its resident memory after each batch.
 * Uncapped, V8 grows its heap with the allocation rate, so RSS rises without anything being kept;
 * with the old space capped at 128 MiB, a rise can only be memory the server holds on to (a leak
 * would end in an out-of-memory crash), so that run is the one judged.
 */
async function memoryOverLeads(label, env) {
  const server = await startLeadServer(env);
  const samples = [];
  say(
    `memory, ${label}: ${plan.memoryTotal} leads in batches of ${plan.memoryBatch}, RSS before: ${mib(rssOf(server.child.pid))}\n`,
  );
  for (let sent = plan.memoryBatch; sent <= plan.memoryTotal; sent += plan.memoryBatch) {
    const result = await drive(server.url, { connections: plan.connections, amount: plan.memoryBatch });
    const rss = rssOf(server.child.pid);
    samples.push(rss);
    say(`  after ${sent} leads: RSS ${mib(rss)} (${result['2xx']} stored in ${result.duration.toFixed(1)} s)\n`);
  }
  await server.stop();
  const first = samples[0] ?? 0;
  const last = samples.at(-1) ?? 0;
  const max = Math.max(...samples);
  const growth = (last - first) / first;
  const perLead = (last - first) / (plan.memoryTotal - plan.memoryBatch);
  return {
    flat: growth < targets.memoryGrowth,
    summary:
      `memory over ${plan.memoryTotal} leads, ${label}: first ${mib(first)}, last ${mib(last)}, max ${mib(max)} ` +
      `(${(growth * 100).toFixed(1)} %, ${perLead.toFixed(0)} bytes/lead; flat means < ${targets.memoryGrowth * 100} %` +
      `${quick ? '; --quick is too short to judge: the heap still grows to its working size' : ''})`,
  };
}

function drive(url, options) {
  return autocannon({
    url: `${url}/v1/leads`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: leadBody() }) }],
    timeout: 10,
    ...options,
  });
}

function record(name, result) {
  const ok = result['2xx'];
  const row = {
    name,
    perSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    ok,
    other: result.non2xx + result.errors + result.timeouts,
  };
  rows.push(row);
  say(`${name}: ${row.perSecond.toFixed(0)} leads/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.other} not 2xx\n`);
  return row;
}

function startLeadServer(env) {
  const dataDir = mkdtempSync(join(tmpdir(), 'intake-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  return startChild(
    [bin, 'serve', '--port', '0', '--data', dataDir],
    { INTAKE_DATA_KEY: dataKey, INTAKE_RATE_LIMIT: 'off', ...env },
    children,
  );
}

/** A fresh database on the PostgreSQL server, dropped at the end; null when the server does not answer. */
async function createDatabase() {
  const admin = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  cleanups.push(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.href;
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) * 1024;
}

function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function verdict(text, pass) {
  say(`${pass ? 'PASS' : 'MISS'}  ${text}\n`);
}
