import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@intake-chat/server';
import pg from 'pg';

export type OpenDatabase = ReturnType<typeof openDatabase>;

/** A fresh, empty database (not yet migrated) that nothing else uses. */
export interface TestDatabase {
  readonly database: OpenDatabase;
  /** Closes the connection (again, if a test closed it) and deletes the data: the folder or the schema. */
  dispose(): Promise<void>;
}

export interface StorageBackend {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Why this backend's tests are skipped, or undefined when they run. */
  readonly skipped: string | undefined;
  open(): Promise<TestDatabase>;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const START_HINT = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

let backends: Promise<StorageBackend[]> | undefined;

/**
 * The stores every storage test runs against: SQLite always, and PostgreSQL at TEST_DATABASE_URL
 * (default: the local server, trust auth). In CI a missing PostgreSQL fails the run, because a
 * silently skipped backend is an untested one; on a laptop the tests are skipped with one warning.
 */
export function storageBackends(): Promise<StorageBackend[]> {
  backends ??= findBackends();
  return backends;
}

async function findBackends(): Promise<StorageBackend[]> {
  const sqlite: StorageBackend = { name: 'SQLite', skipped: undefined, open: async () => openSqliteTestDatabase() };
  const found = await findPostgres(process.env.TEST_DATABASE_URL);
  if ('url' in found) {
    const { url } = found;
    return [sqlite, { name: 'PostgreSQL', skipped: undefined, open: () => openPostgres(url) }];
  }
  const message = `PostgreSQL at ${found.where} is not reachable (${found.reason})`;
  if (process.env.CI)
    throw new Error(`${message}: CI must run the PostgreSQL storage tests. Start it with: ${START_HINT}`);
  console.warn(`!!! ${message}: the PostgreSQL storage tests were SKIPPED. Start it with: ${START_HINT}`);
  const skipped = `${message}; start it with: ${START_HINT}`;
  return [
    sqlite,
    { name: 'PostgreSQL', skipped, open: () => Promise.reject(new Error(`PostgreSQL is skipped: ${skipped}`)) },
  ];
}

/** A fresh SQLite database in its own temporary folder, removed by `dispose`. */
export function openSqliteTestDatabase(): TestDatabase {
  const dataDir = mkdtempSync(join(tmpdir(), 'intake-'));
  const database = openDatabase({ dataDir });
  return {
    database,
    async dispose() {
      await database.db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(url: string): Promise<TestDatabase> {
  // Each test gets its own schema, so test files can run at the same time on one server.
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const database = openDatabase({ url, dataDir: tmpdir(), schema });
  return {
    database,
    async dispose() {
      await database.db.destroy();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * The URL of a PostgreSQL server that answers, or where none did and why. Without TEST_DATABASE_URL,
 * a local server may know the superuser as `postgres` (Debian) or as the login user `root`
 * (containers), so a rejected role is retried as `root`.
 */
async function findPostgres(
  configured: string | undefined,
): Promise<{ url: string } | { where: string; reason: string }> {
  const candidates =
    configured === undefined ? [DEFAULT_URL, DEFAULT_URL.replace('//postgres@', '//root@')] : [configured];
  let reason = '';
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return { url };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // Node reports a refused connection to several addresses as an AggregateError with no message.
      reason = (error instanceof Error && error.message) || (typeof code === 'string' ? code : String(error));
      // Only a rejected login is worth another user name; a server that is down stays down.
      if (code !== '28000' && code !== '28P01') break;
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { where: withoutPassword(candidates[0] ?? DEFAULT_URL), reason };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.href;
  } catch {
    return 'an unreadable TEST_DATABASE_URL';
  }
}
