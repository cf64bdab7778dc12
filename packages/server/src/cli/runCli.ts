import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/loadConfig.js';
import { createSealer, resolveDataKey } from '../crypto/createSealer.js';
import { startServer } from '../startServer.js';
import { createLeadStore } from '../store/createLeadStore.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/openDatabase.js';
import { leadsToCsv } from './leadsToCsv.js';

export interface CliIo {
  readonly env: Record<string, string | undefined>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); `serve` then closes cleanly. */
  readonly stopped: Promise<void>;
  readonly now?: () => Date;
}

export const USAGE = `Usage: intake-chat <command> [options]

Commands:
  serve    [--config FILE] [--port N] [--data DIR]   take leads and serve the widget
  migrate  [--config FILE] [--data DIR]              apply database migrations and exit
  purge    [--config FILE] [--data DIR]              delete unconverted leads past each center's retention days
  export   --center ID --since DATE [--data DIR]     write a center's leads since DATE (YYYY-MM-DD) as CSV

Environment: PORT (default 8787), INTAKE_CONFIG, INTAKE_DATA_DIR (default ./data), DATABASE_URL
(PostgreSQL; SQLite under the data folder without it), INTAKE_DATA_KEY (base64 of 32 bytes).
With no config, the shipped demo center "riverbend" is served.
`;

/** `intake-chat serve|migrate|purge|export`; resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? 2 : 0;
  }
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        center: { type: 'string' },
        since: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { env } = io;
  const dataDir = values.data ?? env.INTAKE_DATA_DIR ?? './data';
  const databaseUrl = env.DATABASE_URL || undefined;
  const log = (line: Record<string, unknown>) => io.stdout(`${JSON.stringify(line)}\n`);
  try {
    const config = loadConfig(values.config ?? env.INTAKE_CONFIG, env);
    switch (command) {
      case 'serve': {
        const port = Number(values.port ?? env.PORT ?? 8787);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          io.stderr(`--port must be a whole number from 0 to 65535, not "${values.port ?? env.PORT}"\n`);
          return 2;
        }
        const server = await startServer({
          config,
          port,
          dataDir,
          databaseUrl,
          env,
          log,
          host: env.HOST ?? '127.0.0.1',
          version: packageVersion(),
        });
        await io.stopped;
        await server.close();
        return 0;
      }
      case 'migrate': {
        const database = openDatabase({ url: databaseUrl, dataDir });
        const applied = await migrate(database);
        await database.db.destroy();
        io.stdout(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
        return 0;
      }
      case 'purge': {
        const store = await openStore(dataDir, databaseUrl, env);
        const now = (io.now ?? (() => new Date()))();
        for (const center of config.centers.values()) {
          const before = new Date(now.getTime() - center.retentionDays * 86_400_000);
          const purged = await store.purge(center.id, before);
          io.stdout(`${center.id}: deleted ${purged} unconverted leads older than ${center.retentionDays} days\n`);
        }
        await store.close();
        return 0;
      }
      case 'export': {
        const center = values.center;
        const since = values.since === undefined ? Number.NaN : Date.parse(values.since);
        if (center === undefined || !config.centers.has(center) || Number.isNaN(since)) {
          io.stderr(
            `export needs --center (one of: ${[...config.centers.keys()].join(', ')}) and --since as a date like 2026-11-01\n`,
          );
          return 2;
        }
        const store = await openStore(dataDir, databaseUrl, env);
        for await (const chunk of leadsToCsv(store.list(center, new Date(since)))) io.stdout(chunk);
        await store.close();
        return 0;
      }
      default:
        io.stderr(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`intake-chat ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

/** The server package's version, from src/cli or dist/cli alike. */
function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** A store for a one-off command, migrated first so it works on a fresh data folder too. */
async function openStore(dataDir: string, databaseUrl: string | undefined, env: Record<string, string | undefined>) {
  const key = resolveDataKey(env, dataDir);
  const database = openDatabase({ url: databaseUrl, dataDir });
  await migrate(database);
  return createLeadStore(database, createSealer(key.key));
}
