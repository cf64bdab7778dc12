import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createApp, defaultRateLimits } from './app/createApp.js';
import type { Config } from './config/loadConfig.js';
import { createSealer, resolveDataKey } from './crypto/createSealer.js';
import { createLeadStore, type LeadStore } from './store/createLeadStore.js';
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
}

export interface RunningServer {
  readonly url: string;
  readonly store: LeadStore;
  close(): Promise<void>;
}

/** Opens the store, applies migrations, and listens. Resolves once the port is bound. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { env, log } = options;
  const dataKey = resolveDataKey(env, options.dataDir);
  if (dataKey.warning) log({ level: 'warn', message: dataKey.warning });
  const synchronous = env.INTAKE_SQLITE_SYNC === 'normal' ? 'normal' : 'full';
  const database = openDatabase({ url: options.databaseUrl, dataDir: options.dataDir, synchronous });
  const applied = await migrate(database);
  if (applied.length > 0) log({ level: 'info', message: `applied migrations: ${applied.join(', ')}` });
  const store = createLeadStore(database, createSealer(dataKey.key));
  const trustProxy = env.INTAKE_TRUST_PROXY === '1';
  const app = createApp({
    config: options.config,
    store,
    log,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.widgetDir === undefined ? {} : { widgetDir: options.widgetDir }),
    rateLimits: rateLimitsFrom(env),
    clientAddress: (c: Context) =>
      (trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined) ??
      getConnInfo(c).remote.address ??
      'unknown',
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
  return {
    url,
    store,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive sockets would hold the close open for their whole timeout.
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await closed;
      await store.close();
    },
  };
}

/** `INTAKE_RATE_LIMIT=off` for load tests on loopback; otherwise the defaults. */
function rateLimitsFrom(env: Record<string, string | undefined>) {
  if (env.INTAKE_RATE_LIMIT !== 'off') return defaultRateLimits;
  const unlimited = { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
  return { perAddress: unlimited, perCenter: unlimited };
}
