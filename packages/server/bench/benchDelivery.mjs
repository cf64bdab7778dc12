// Delivery benchmark: how soon a new lead reaches the center's CRM (signed webhook) and admissions
// staff (alert e-mail), and how fast a backlog of webhooks drains once a receiver is back. Run
// against the built server:
//
//   npm run bench:delivery      (builds first; or: node packages/server/bench/benchDelivery.mjs [--quick])
//
// Everything runs in this one process on 127.0.0.1: the lead server (startServer), a node:http
// webhook receiver that checks every signature, and an smtp-server that takes the alerts. So the
// figures include sharing one event loop (and this machine's cores) with the receivers.
//
// 1. Latency: leads POSTed one after another to a server on SQLite; for each, the time from its 201
//    to its webhook and to its e-mail arriving. Once with each lead waiting for its deliveries (a
//    center's usual traffic), once back to back (a burst: the worker's queue shows).
// 2. Drain: a backlog is stored with no delivery worker running, as it piles up while a receiver is
//    down, then the server(s) start and the time until every webhook has arrived is measured. Retries
//    wait 30 s and more (retryDelayMs): a backlog that had to wait them out would measure the
//    backoff, not the drain. On SQLite with one server; on PostgreSQL (each run in its own schema,
//    dropped afterwards; skipped when DATABASE_URL's server does not answer) with one and with two
//    servers on the same database.
// Prints figures; never fails on them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { diskSyncLatency, redact, sampleLead, say, table } from './benchSupport.mjs';

const quick = process.argv.includes('--quick');
const plan = quick ? { warmup: 5, leads: 50, backlog: 500 } : { warmup: 10, leads: 200, backlog: 2_000 };
const DELIVERY_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 90_000;
const FILL_CONCURRENCY = 20;

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';
const env = {
  INTAKE_DATA_KEY: randomBytes(32).toString('base64'),
  INTAKE_RATE_LIMIT: 'off',
};

/** A lead for the demo center riverbend, with a fresh idempotency key: every request stores one. */
const leadBody = () => JSON.stringify(sampleLead());

const cleanups = [];
/** @type {typeof import('@intake-chat/server')} */
let intake;

try {
  if (!existsSync(join(packageDir, 'dist/index.js'))) {
    throw new Error('packages/server/dist is missing; build first: npx tsc -p packages/server/tsconfig.build.json');
  }
  intake = await import('@intake-chat/server');
  say(
    `benchDelivery${quick ? ' --quick' : ''}: ${plan.leads} leads for latency (after ${plan.warmup} not counted), ` +
      `a backlog of ${plan.backlog} webhooks to drain\n` +
      `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ` +
      `load average ${loadavg()[0]?.toFixed(2)}, ${diskSyncLatency()}\n\n`,
  );

  const latency = await measureLatency();
  const fairness = await measureFairness();

  const drains = [];
  drains.push(await measureDrain('SQLite, 1 server', { servers: 1 }));
  const postgres = await findPostgres(process.env.DATABASE_URL);
  if ('url' in postgres) {
    drains.push(await measureDrain('PostgreSQL, 1 server', { servers: 1, postgres: postgres.url }));
    drains.push(await measureDrain('PostgreSQL, 2 servers', { servers: 2, postgres: postgres.url }));
  } else {
    say(`PostgreSQL: skipped, nothing answers at ${postgres.where} (${postgres.reason})\n`);
  }

  say(`\nSubmit to delivery, ms from the 201 to the request arriving (${plan.leads} leads, SQLite):\n`);
  table(
    ['run', 'p50', 'p95', 'p99', 'max', 'duplicates', 'leads sent in s'],
    latency.map((row) => [
      row.name,
      ...percentiles(row.times).map(formatMs),
      row.duplicates,
      (row.submitted / 1000).toFixed(2),
    ]),
  );
  say(
    'One lead at a time: each lead is sent once its webhook and e-mail have arrived. Back to back: each as soon\n' +
      'as the one before has its 201; jobs queue behind the worker (16 sends at a time, 4 per destination,\n' +
      'oldest first). Alerts share up to two pooled SMTP connections; a new connection waits for\n' +
      "smtp-server's 100 ms greeting delay (its early-talker check, as many mail servers do), which is the slow tail.\n",
  );
  say(
    `\nFairness: lakeside's webhook, ms from its 201 to its arrival, while riverbend's receiver never answers and ` +
      `its mail server stalls after DATA (${fairness.times.length} lakeside leads, each after a riverbend lead, SQLite):\n`,
  );
  table(
    ['run', 'p50', 'p95', 'p99', 'max', "riverbend's sends stuck at once"],
    [['lakeside webhook', ...percentiles(fairness.times).map(formatMs), fairness.stuck]],
  );
  say(
    'Each destination (a webhook URL, or the one SMTP server) has at most 4 sends in flight, and a drain waiting\n' +
      "on slow sends claims again as soon as a lead arrives: riverbend's dead receiver holds its own slots only.\n",
  );
  say(
    `\nDraining a backlog of ${plan.backlog} webhooks (stored with no worker running; time from starting the ` +
      'server(s) to the last webhook arriving):\n',
  );
  table(
    [
      'run',
      'delivered',
      'seconds',
      'deliveries/s',
      'requests',
      'duplicates',
      'bad signatures',
      'failed attempts',
      'outbox delivered',
      'per server',
    ],
    drains.map((row) => [
      row.name,
      row.unique,
      row.seconds.toFixed(2),
      row.timedOut ? 'timed out' : (row.unique / row.seconds).toFixed(0),
      row.requests,
      row.duplicates,
      row.badSignatures,
      row.failedAttempts,
      row.outboxDelivered,
      row.perServer.join(' + '),
    ]),
  );
  say(
    `\nStoring the backlog (POST /v1/leads through createApp, in process, ${FILL_CONCURRENCY} at a time): ` +
      `${drains.map((row) => `${row.name} ${row.fillSeconds.toFixed(1)} s`).join(', ')}\n`,
  );
} catch (error) {
  process.exitCode = 1;
  say(`benchDelivery failed: ${error instanceof Error ? error.stack : String(error)}\n`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => say(`cleanup: ${error.message}\n`));
}

/**
 * One server on SQLite with a webhook and an alert address. First each lead waits for its webhook
 * and e-mail before the next is sent; then the same number go back to back, each 201 awaited.
 */
async function measureLatency() {
  const secret = webhookSecret();
  const receiver = await startWebhookReceiver(secret);
  const smtp = await startSmtpReceiver();
  const dataDir = temporaryFolder();
  const running = await intake.startServer({
    config: centerConfig({ url: receiver.url, secret }, ['admissions@riverbend.example']),
    port: 0,
    dataDir,
    env: { ...env, SMTP_URL: smtp.url },
    log: () => {},
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const rows = [];
  /** Requests that repeated a webhook-id or a Message-ID already received, since `before`. */
  const counts = () => ({
    hooks: receiver.successes,
    hookIds: receiver.byId.size,
    mails: smtp.messages,
    mailIds: smtp.byId.size,
  });
  const duplicatesSince = (before) => {
    const after = counts();
    return {
      hooks: after.hooks - before.hooks - (after.hookIds - before.hookIds),
      mails: after.mails - before.mails - (after.mailIds - before.mailIds),
    };
  };
  const addRows = (label, times, duplicates, submitted) => {
    rows.push(
      { name: `webhook, ${label}`, times: times.hooks, duplicates: duplicates.hooks, submitted },
      { name: `e-mail, ${label}`, times: times.mails, duplicates: duplicates.mails, submitted },
    );
  };
  try {
    for (let i = 0; i < plan.warmup; i++) {
      const { id } = await postLead(agent, running.url);
      await Promise.all([receiver.arrivals.when(id), smtp.arrivals.when(id)]);
    }

    let before = counts();
    let started = performance.now();
    const oneAtATime = { hooks: [], mails: [] };
    for (let i = 0; i < plan.leads; i++) {
      const { id, at } = await postLead(agent, running.url);
      const [hook, mail] = await Promise.all([receiver.arrivals.when(id), smtp.arrivals.when(id)]);
      oneAtATime.hooks.push(hook - at);
      oneAtATime.mails.push(mail - at);
    }
    addRows('one lead at a time', oneAtATime, duplicatesSince(before), performance.now() - started);

    before = counts();
    started = performance.now();
    const backToBack = { hooks: [], mails: [] };
    const pending = [];
    for (let i = 0; i < plan.leads; i++) {
      const { id, at } = await postLead(agent, running.url);
      pending.push(
        Promise.all([receiver.arrivals.when(id), smtp.arrivals.when(id)]).then(([hook, mail]) => {
          backToBack.hooks.push(hook - at);
          backToBack.mails.push(mail - at);
        }),
      );
    }
    const submitted = performance.now() - started;
    await Promise.all(pending);
    addRows('back to back', backToBack, duplicatesSince(before), submitted);

    if (receiver.badSignatures > 0) throw new Error(`${receiver.badSignatures} webhooks had a bad signature`);
    say(`latency: ${rows.map((row) => `${row.name} p50 ${formatMs(percentiles(row.times)[0])} ms`).join(', ')}\n`);
  } finally {
    agent.destroy();
    await running.close();
    await receiver.close();
    await smtp.close();
  }
  return rows;
}

/**
 * One server on SQLite with two centers: riverbend's webhook receiver accepts connections and never
 * answers, and its alerts go to a mail server that stalls after DATA; lakeside's receiver is healthy.
 * Riverbend's leads keep coming; each lakeside lead is timed from its 201 to its webhook's arrival.
 */
async function measureFairness() {
  const secret = webhookSecret();
  const healthy = await startWebhookReceiver(secret);
  const hanging = await startHangingReceiver();
  const stalled = await startStalledSmtp();
  const dataDir = temporaryFolder();
  const demo = intake.loadConfig(undefined, env);
  const riverbend = demo.centers.get('riverbend');
  const config = {
    ...demo,
    centers: new Map([
      [
        'riverbend',
        { ...riverbend, webhooks: [{ url: hanging.url, secret }], alertEmails: ['admissions@riverbend.example'] },
      ],
      ['lakeside', { ...riverbend, id: 'lakeside', webhooks: [{ url: healthy.url, secret }], alertEmails: [] }],
    ]),
  };
  const running = await intake.startServer({
    config,
    port: 0,
    dataDir,
    env: { ...env, SMTP_URL: stalled.url },
    log: () => {},
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  try {
    // Riverbend's first leads fill its destinations' slots before anything is timed.
    for (let i = 0; i < 8; i++) await postLead(agent, running.url);
    await new Promise((done) => setTimeout(done, 500));
    for (let i = 0; i < plan.leads / 10; i++) {
      await postLead(agent, running.url);
      const { id, at } = await postLead(agent, running.url, 'lakeside');
      const arrived = await healthy.arrivals.when(id);
      times.push(arrived - at);
    }
    return { times, stuck: `${hanging.open()} webhooks, ${stalled.stalled()} e-mails` };
  } finally {
    agent.destroy();
    hanging.close();
    stalled.close();
    await running.close();
    await healthy.close();
  }
}

/** A receiver that accepts each connection and never answers; `close` cuts them all. */
async function startHangingReceiver() {
  const sockets = new Set();
  let requests = 0;
  const listening = createServer(() => {
    requests += 1;
  });
  listening.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((done) => listening.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${listening.address().port}/hooks/intake`,
    open: () => requests,
    close() {
      for (const socket of sockets) socket.destroy();
      listening.close();
    },
  };
}

/** A mail server that greets and takes the envelope, then never answers the message. */
async function startStalledSmtp() {
  const sockets = new Set();
  let stalled = 0;
  const smtp = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream) {
      stalled += 1;
      stream.resume();
    },
  });
  smtp.server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((done) => smtp.listen(0, '127.0.0.1', done));
  return {
    url: `smtp://127.0.0.1:${smtp.server.address().port}`,
    stalled: () => stalled,
    close() {
      for (const socket of sockets) socket.destroy();
      smtp.close(() => {});
    },
  };
}

/**
 * Stores `plan.backlog` leads through the lead API with no worker running, then starts `servers`
 * lead servers on that database and times them until every webhook has arrived once.
 */
async function measureDrain(name, { servers, postgres }) {
  const secret = webhookSecret();
  const receiver = await startWebhookReceiver(secret);
  cleanups.push(() => receiver.close());
  // Webhooks only: while a CRM is down, the alert e-mails of the same leads have gone out already.
  const config = centerConfig({ url: receiver.url, secret }, []);
  const dataDir = temporaryFolder();
  const schema = postgres === undefined ? undefined : `bench_${randomBytes(6).toString('hex')}`;
  if (schema !== undefined) cleanups.push(() => dropSchema(postgres, schema));
  const open = () =>
    schema === undefined ? intake.openDatabase({ dataDir }) : intake.openDatabase({ url: postgres, dataDir, schema });

  const fillStarted = performance.now();
  const database = open();
  await intake.migrate(database);
  const services = intake.createServices(database, intake.createSealer(intake.resolveDataKey(env, dataDir).key));
  try {
    await fill(services, config);
  } finally {
    await services.leads.close();
  }
  const fillSeconds = (performance.now() - fillStarted) / 1000;

  // startServer takes no schema, but PostgreSQL takes the search path in the URL (as libpq does).
  let databaseUrl;
  if (schema !== undefined) {
    const url = new URL(postgres);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.href;
  }
  let failedAttempts = 0;
  const logs = Array.from({ length: servers }, () => ({ delivered: 0 }));
  const started = performance.now();
  const running = await Promise.all(
    logs.map((counts) =>
      intake.startServer({
        config,
        port: 0,
        dataDir,
        databaseUrl,
        env,
        log: (line) => {
          if (line.message !== 'delivery') return;
          if (line.outcome === 'delivered' && line.recorded !== false) counts.delivered += 1;
          else failedAttempts += 1;
        },
      }),
    ),
  );
  let lastAt;
  let timedOut = false;
  try {
    lastAt = await receiver.untilUnique(plan.backlog, DRAIN_TIMEOUT_MS);
  } catch {
    timedOut = true;
    lastAt = performance.now();
  } finally {
    // Closing waits for the sends under way, so a late duplicate would still be counted below.
    await Promise.all(running.map((one) => one.close()));
  }

  const check = open();
  let outboxDelivered;
  try {
    outboxDelivered = await intake.createOutbox(check).countByStatus('riverbend', 'delivered');
  } finally {
    await check.db.destroy();
  }
  const row = {
    name,
    seconds: (lastAt - started) / 1000,
    timedOut,
    unique: receiver.byId.size,
    requests: receiver.requests,
    duplicates: receiver.successes - receiver.byId.size,
    badSignatures: receiver.badSignatures,
    failedAttempts,
    outboxDelivered,
    perServer: logs.map((counts) => counts.delivered),
    fillSeconds,
  };
  say(
    `${name}: ${row.unique} of ${plan.backlog} webhooks in ${row.seconds.toFixed(2)} s` +
      `${timedOut ? ' (timed out)' : ''}, ${(row.unique / row.seconds).toFixed(0)} deliveries/s, ` +
      `${row.duplicates} duplicates\n`,
  );
  return row;
}

/** POSTs the backlog through the lead API as the server would take it, with no worker to wake. */
async function fill(services, config) {
  const unlimited = { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
  const app = intake.createApp({ config, services, rateLimits: { perAddress: unlimited, perCenter: unlimited } });
  let next = 0;
  const failures = [];
  const one = async () => {
    while (next < plan.backlog) {
      next += 1;
      const response = await app.request('/v1/leads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: leadBody(),
      });
      if (response.status !== 201) failures.push(`${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: FILL_CONCURRENCY }, one));
  if (failures.length > 0) throw new Error(`${failures.length} leads were not stored, e.g. ${failures[0]}`);
}

/** The demo config, riverbend with one webhook and the given alert addresses. */
function centerConfig(webhook, alertEmails) {
  const demo = intake.loadConfig(undefined, env);
  const riverbend = demo.centers.get('riverbend');
  return {
    ...demo,
    centers: new Map([['riverbend', { ...riverbend, webhooks: [webhook], alertEmails }]]),
  };
}

function webhookSecret() {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function postLead(agent, url, center = 'riverbend') {
  const body = center === 'riverbend' ? leadBody() : JSON.stringify({ ...sampleLead(), center });
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
        const at = performance.now();
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => {
          if (response.statusCode !== 201) fail(new Error(`POST /v1/leads answered ${response.statusCode}: ${text}`));
          else done({ id: JSON.parse(text).id, at });
        });
      },
    );
    sent.on('timeout', () => sent.destroy(new Error('POST /v1/leads timed out')));
    sent.on('error', fail);
    sent.end(body);
  });
}

/**
 * A CRM's endpoint: checks each signature as WEBHOOKS.md tells receivers to, answers 204, and notes
 * when each lead's webhook arrived and how often each webhook-id was answered with a 2xx.
 */
async function startWebhookReceiver(secret) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const arrivals = createArrivals();
  const byId = new Map();
  let untilDone;
  const receiver = {
    url: '',
    arrivals,
    byId,
    requests: 0,
    successes: 0,
    badSignatures: 0,
    /** Resolves with the time the `count`th distinct webhook-id arrived. */
    untilUnique(count, timeoutMs) {
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`only ${byId.size} of ${count} webhooks arrived`)), timeoutMs);
        untilDone = {
          count,
          done(at) {
            clearTimeout(timer);
            done(at);
          },
        };
        if (byId.size >= count) untilDone.done(performance.now());
      });
    },
    close: () => {
      listening.closeAllConnections();
      return new Promise((done) => listening.close(() => done()));
    },
  };
  const listening = createServer((incoming, response) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(incoming.headers['webhook-id'] ?? '');
      receiver.requests += 1;
      if (!signedWith(key, id, incoming.headers, body)) {
        receiver.badSignatures += 1;
        response.writeHead(400).end();
        return;
      }
      response.writeHead(204).end();
      receiver.successes += 1;
      byId.set(id, (byId.get(id) ?? 0) + 1);
      arrivals.arrived(JSON.parse(body).data.id, at);
      if (untilDone !== undefined && byId.size === untilDone.count) untilDone.done(at);
    });
  });
  await new Promise((done) => listening.listen(0, '127.0.0.1', done));
  receiver.url = `http://127.0.0.1:${listening.address().port}/hooks/intake`;
  return receiver;
}

function signedWith(key, id, headers, body) {
  const timestamp = String(headers['webhook-timestamp'] ?? '');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((entry) => {
      const [version, signature = ''] = entry.split(',');
      const given = Buffer.from(signature, 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** Admissions' mail server: takes every alert and notes when each lead's arrived. */
async function startSmtpReceiver() {
  const arrivals = createArrivals();
  const receiver = { url: '', arrivals, messages: 0, byId: new Set(), close: undefined };
  const smtp = new SMTPServer({
    // No reverse DNS of 127.0.0.1 per connection: a slow resolver would be measured, not the server.
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        const at = performance.now();
        // Quoted-printable may break the link across lines ("=" at a line's end): join them first.
        const raw = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/=\r?\n/g, '');
        receiver.messages += 1;
        const messageId = /^message-id:\s*(\S+)/im.exec(raw)?.[1];
        if (messageId !== undefined) receiver.byId.add(messageId);
        const leadId = /#\/leads\/([A-Za-z0-9-]+)/.exec(raw)?.[1];
        if (leadId !== undefined) arrivals.arrived(leadId, at);
        callback();
      });
    },
  });
  await new Promise((done) => smtp.listen(0, '127.0.0.1', done));
  receiver.url = `smtp://127.0.0.1:${smtp.server.address().port}`;
  receiver.close = () => new Promise((done) => smtp.close(() => done()));
  return receiver;
}

/** Arrival times by lead id, whether the arrival comes before or after someone waits for it. */
function createArrivals() {
  const seen = new Map();
  const waiting = new Map();
  return {
    arrived(leadId, at) {
      const waiter = waiting.get(leadId);
      if (waiter === undefined) seen.set(leadId, at);
      else {
        waiting.delete(leadId);
        waiter(at);
      }
    },
    when(leadId) {
      if (seen.has(leadId)) {
        const at = seen.get(leadId);
        seen.delete(leadId);
        return Promise.resolve(at);
      }
      return new Promise((done, fail) => {
        const timer = setTimeout(() => {
          waiting.delete(leadId);
          fail(new Error(`lead ${leadId} was not delivered within ${DELIVERY_TIMEOUT_MS} ms`));
        }, DELIVERY_TIMEOUT_MS);
        waiting.set(leadId, (at) => {
          clearTimeout(timer);
          done(at);
        });
      });
    },
  };
}

/**
 * The URL of a PostgreSQL server that answers, or where none did and why. As the storage tests do, a
 * local server that rejects the role `postgres` is tried as `root` (containers) unless DATABASE_URL is set.
 */
async function findPostgres(configured) {
  const candidates =
    configured === undefined || configured === ''
      ? [defaultDatabaseUrl, defaultDatabaseUrl.replace('//postgres@', '//root@')]
      : [configured];
  let reason = '';
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return { url };
    } catch (error) {
      reason = (error instanceof Error && error.message) || String(error.code ?? error);
      if (error.code !== '28000' && error.code !== '28P01') break;
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { where: redact(candidates[0] ?? defaultDatabaseUrl), reason };
}

async function dropSchema(url, schema) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

function temporaryFolder() {
  const folder = mkdtempSync(join(tmpdir(), 'intake-bench-delivery-'));
  cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** p50, p95, p99 and max of a list of milliseconds. */
function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (fraction) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  return [at(0.5), at(0.95), at(0.99), sorted.at(-1) ?? 0];
}

function formatMs(ms) {
  return ms.toFixed(1);
}
