import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createApp, defaultRateLimits } from './app/createApp.js';
import type { Config } from './config/loadConfig.js';
import { createSealer, resolveDataKey } from './crypto/createSealer.js';
import { createDeliveryWorker, type DeliveryWorker } from './delivery/createDeliveryWorker.js';
import type { LeadStore } from './leads/createLeadStore.js';
import { purgeExpired } from './leads/retention.js';
import { createServices, type Services } from './services.js';
import type { StaffStore } from './staff/createStaffStore.js';
import { migrate } from './store/migrate.js';
import { openDatabase } from './store/openDatabase.js';

export interface ServerOptions {
  readonly config: Config;
  readonly port: number;
  readonly host?: string;
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  readonly env: Record<string, string | undefined>;
  readonly log: (line: Record<string, unknown>) => void;
  readonly version?: string;
  readonly widgetDir?: string;
  readonly consoleDir?: string;
  /** The clock of the lead API, the console and the stores; the real one unless a test moves it. */
  readonly now?: () => Date;
}

export interface RunningServer {
  readonly url: string;
  readonly store: LeadStore;
  /** Console accounts, for tools and tests that set them up (`intake-chat staff` for people). */
  readonly staff: StaffStore;
  readonly services: Services;
  close(): Promise<void>;
}

/** Opens the store, applies migrations, and listens. Resolves once the port is bound. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { env, log } = options;
  // Settings first: a bad one stops the start before anything is opened.
  const rateLimits = rateLimitsFrom(env);
  const dataKey = resolveDataKey(env, options.dataDir);
  if (dataKey.warning) log({ level: 'warn', message: dataKey.warning });
  const synchronous = env.INTAKE_SQLITE_SYNC === 'normal' ? 'normal' : 'full';
  const database = openDatabase({ url: options.databaseUrl, dataDir: options.dataDir, synchronous });
  const applied = await migrate(database);
  if (applied.length > 0) log({ level: 'info', message: `applied migrations: ${applied.join(', ')}` });
  const services = createServices(database, createSealer(dataKey.keys), options.now);
  try {
    // Before any lead is taken or shown: a server that cannot open what is stored must not start.
    await services.dataKeys.prove();
  } catch (error) {
    await database.db.destroy();
    throw error;
  }
  // Leads stored before search existed get their blind index once; later ones are indexed as stored.
  const indexed = await services.leads.indexForSearch();
  if (indexed > 0) log({ level: 'info', message: `indexed ${indexed} leads for search` });
  const { leads: store, staff } = services;
  const trustProxy = env.INTAKE_TRUST_PROXY === '1';
  // Cookies are Secure except in local development over plain http (`npm start` sets NODE_ENV).
  const development = env.NODE_ENV === 'development';
  let worker: DeliveryWorker | undefined;
  const app = createApp({
    config: options.config,
    services,
    log,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.widgetDir === undefined ? {} : { widgetDir: options.widgetDir }),
    rateLimits,
    admin: {
      secureCookies: !development,
      trustProxy,
      ...(options.consoleDir === undefined ? {} : { consoleDir: options.consoleDir }),
    },
    onLeadStored: () => worker?.wake(),
    clientAddress: (c: Context) => clientAddress(c, trustProxy),
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const listening = serve({ fetch: app.fetch, port: options.port, hostname: options.host ?? '127.0.0.1' }, () =>
      resolve(listening),
    );
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  log({ level: 'info', message: `listening on ${url}`, database: database.dialect, where: database.where });

  const publicUrl = (env.INTAKE_PUBLIC_URL || url).replace(/\/+$/, '');
  try {
    worker = createDeliveryWorker({
      database,
      store,
      config: options.config,
      env,
      publicUrl,
      log,
      ...(options.version === undefined ? {} : { version: options.version }),
    });
  } catch (error) {
    // A bad SMTP_URL: give the port back before failing, so a supervisor's restart can bind it.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    throw error;
  }
  if (!env.SMTP_URL && [...options.config.centers.values()].some((center) => center.alertEmails.length > 0)) {
    log({ level: 'warn', message: 'SMTP_URL is not set: alert e-mails are skipped (the console shows new leads).' });
  }
  worker.start();
  services.insight.start();
  const purger = startPurgeTimer(options.config, services, log);

  return {
    url,
    store,
    staff,
    services,
    async close() {
      await purger.stop();
      await worker?.stop();
      // The counts of the last seconds are written before the database closes.
      await services.insight.stop().catch((error: Error) => {
        log({ level: 'error', message: `insight counts not written: ${error.message}` });
      });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive sockets would hold the close open for their whole timeout.
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await closed;
      await store.close();
    },
  };
}

/** Applies retention now and then once a day, while the server runs; also drops expired sessions. */
function startPurgeTimer(
  config: Config,
  { retention, staff, insight }: Pick<Services, 'retention' | 'staff' | 'insight'>,
  log: ServerOptions['log'],
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const purge = async () => {
    try {
      for (const purged of await purgeExpired(config, retention, new Date(), insight)) {
        if (purged.error !== undefined) log({ level: 'error', message: 'retention purge stopped', ...purged });
        else if (purged.unreadable !== undefined) {
          log({ level: 'warn', message: 'retention purge kept leads the data keys cannot open', ...purged });
        } else if (purged.leads > 0 || purged.evidence > 0 || (purged.counts ?? 0) > 0)
          log({ level: 'info', message: 'retention purge', ...purged });
      }
      await staff.deleteExpiredSessions();
    } catch (error) {
      log({ level: 'error', message: `retention purge failed: ${(error as Error).message}` });
    }
  };
  const run = () => {
    running = purge();
  };
  run();
  const timer = setInterval(run, PURGE_EVERY_MS);
  timer.unref();
  return {
    // A purge under way finishes before the database closes under it.
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

const PURGE_EVERY_MS = 24 * 60 * 60_000;

/**
 * Who is asking, for rate limits. Behind one proxy of the operator's own (INTAKE_TRUST_PROXY=1), the
 * last X-Forwarded-For entry is the one that proxy wrote; earlier ones are whatever the client sent.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  return forwarded || getConnInfo(c).remote.address || 'unknown';
}

/**
 * `INTAKE_RATE_LIMIT=off` for load tests on loopback; otherwise the defaults, with each center's
 * budget from `INTAKE_CENTER_LEADS_PER_MINUTE` when set.
 */
function rateLimitsFrom(env: Record<string, string | undefined>) {
  if (env.INTAKE_RATE_LIMIT === 'off') {
    const unlimited = { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
    return { perAddress: unlimited, perCenter: unlimited, eventsPerAddress: unlimited, eventsPerCenter: unlimited };
  }
  const perMinute = env.INTAKE_CENTER_LEADS_PER_MINUTE;
  if (perMinute === undefined || perMinute === '') return defaultRateLimits;
  const limit = Number(perMinute);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(
      `INTAKE_CENTER_LEADS_PER_MINUTE must be a whole number of leads of at least 1, such as 600, not "${perMinute}"`,
    );
  }
  return { ...defaultRateLimits, perCenter: { limit, windowMs: 60_000 } };
}
