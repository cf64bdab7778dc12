import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';

/**
 * A second connection to the SQLite file, on a thread of its own, for the writes of incoming leads.
 * better-sqlite3 runs each statement on the thread that calls it, and a commit with
 * `synchronous=FULL` waits for the disk: on the main thread, every request stopped for it. Here the
 * main thread goes on with HTTP, validation and sealing while a batch is written and committed.
 * WAL lets the main connection read meanwhile; writes on the two connections take turns on the
 * file's one write lock (busy_timeout waits for it).
 */
export interface SqliteWriter {
  /**
   * Runs the statements, compiled on the main thread, in one transaction (BEGIN IMMEDIATE ... COMMIT):
   * all or none. Resolves once committed, with each statement's rows (RETURNING), in order.
   */
  transaction(statements: readonly CompiledQuery[]): Promise<unknown[][]>;
  /** Waits for the writes under way, then ends the thread. */
  close(): Promise<void>;
}

/** The thread's whole program: plain CommonJS, so that it runs from the sources in tests as from the build. */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma(workerData.synchronous === 'normal' ? 'synchronous = NORMAL' : 'synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
const prepared = new Map();
const prepare = (text) => {
  let statement = prepared.get(text);
  if (statement === undefined) {
    if (prepared.size >= 256) prepared.clear();
    statement = db.prepare(text);
    prepared.set(text, statement);
  }
  return statement;
};
const run = db.transaction((statements) =>
  statements.map(({ sql, parameters }) => {
    const statement = prepare(sql);
    if (statement.reader) return statement.all(parameters);
    statement.run(parameters);
    return [];
  }),
);
parentPort.on('message', ({ id, statements }) => {
  try {
    parentPort.postMessage({ id, rows: run.immediate(JSON.parse(statements)) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

export function createSqliteWriter(file: string, synchronous: 'full' | 'normal' = 'full'): SqliteWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  type Waiting = { resolve: (rows: unknown[][]) => void; reject: (error: Error) => void };
  /** The thread in use, with the writes it has been given and not yet answered. */
  let current: { thread: Worker; waiting: Map<number, Waiting> } | null = null;
  let next = 0;
  let closed = false;
  /** Whoever waits for the writes under way to end (`close`). */
  const drains: (() => void)[] = [];
  const drained = () => {
    for (const done of drains.splice(0)) done();
  };

  const start = () => {
    const thread = new Worker(THREAD, { eval: true, workerData: { file, synchronous, driver } });
    const waiting = new Map<number, Waiting>();
    const own = { thread, waiting };
    // A thread that failed is let go at once; its late events must not touch the one after it.
    const failAll = (error: Error) => {
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
      if (current === own) current = null;
      drained();
    };
    thread.on(
      'message',
      ({ id, rows, error }: { id: number; rows?: unknown[][]; error?: { message: string; code?: string } }) => {
        const pending = waiting.get(id);
        waiting.delete(id);
        // Idle, the thread does not keep the process alive; a write under way does.
        if (waiting.size === 0) {
          thread.unref();
          drained();
        }
        if (error) pending?.reject(Object.assign(new Error(error.message), { code: error.code }));
        else pending?.resolve(rows ?? []);
      },
    );
    thread.on('error', (error) => failAll(error));
    thread.on('exit', (code) => failAll(new Error(`the SQLite writer thread stopped (exit code ${code})`)));
    return own;
  };

  return {
    transaction(statements) {
      if (closed) return Promise.reject(new Error('the SQLite database is closed'));
      current ??= start();
      const { thread, waiting } = current;
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.ref();
        // As one string: copying one string to the thread costs a fraction of cloning each value.
        thread.postMessage({
          id,
          statements: JSON.stringify(statements.map(({ sql, parameters }) => ({ sql, parameters }))),
        });
      });
    },
    async close() {
      closed = true;
      if (current !== null && current.waiting.size > 0) await new Promise<void>((done) => drains.push(done));
      const thread = current?.thread;
      current = null;
      await thread?.terminate();
    },
  };
}
