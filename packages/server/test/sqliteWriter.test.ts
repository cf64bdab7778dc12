import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/openDatabase.js';

// The thread that writes incoming leads on SQLite: its transactions are all or nothing, what it
// commits is there for the main connection at once, and closing waits for what is under way.
describe('the SQLite writer thread', () => {
  let dataDir: string;
  let database: ReturnType<typeof openDatabase>;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'intake-writer-'));
    database = openDatabase({ dataDir });
    await sql`create table notes (id text primary key, body text not null)`.execute(database.db);
  });
  afterEach(async () => {
    await database.db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const insert = (id: string, body: string) =>
    sql`insert into notes (id, body) values (${id}, ${body}) returning id`.compile(database.db);
  const count = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from notes`.execute(database.db)).rows[0]?.n);

  it('commits every statement or none, and says which constraint failed', async () => {
    const writer = database.writer;
    if (!writer) throw new Error('SQLite has a writer');
    expect(await writer.transaction([insert('a', 'first'), insert('b', 'second')])).toEqual([
      [{ id: 'a' }],
      [{ id: 'b' }],
    ]);
    expect(await count()).toBe(2);

    await expect(writer.transaction([insert('c', 'third'), insert('a', 'again')])).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    });
    // 'c' went with the failed statement: nothing of that transaction is kept.
    expect(await count()).toBe(2);
  });

  it('lets a transaction here read and then write while the writer commits beside it', async () => {
    const writer = database.writer;
    if (!writer) throw new Error('SQLite has a writer');
    let written: Promise<unknown> = Promise.resolve();
    await database.db.transaction().execute(async (trx) => {
      expect(Number((await sql<{ n: number }>`select count(*) as n from notes`.execute(trx)).rows[0]?.n)).toBe(0);
      // The writer's thread tries to commit between this transaction's read and its write.
      written = writer.transaction([insert('from-writer', 'a lead batch')]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sql`insert into notes (id, body) values (${'from-main'}, ${'a status change'})`.execute(trx);
    });
    await written;
    expect(await count()).toBe(2);
  });

  it('finishes the writes under way when the database closes, then refuses new ones', async () => {
    const writer = database.writer;
    if (!writer) throw new Error('SQLite has a writer');
    const underWay = writer.transaction([insert('a', 'written before the close')]);
    const closing = writer.close();
    await expect(underWay).resolves.toEqual([[{ id: 'a' }]]);
    await closing;
    await expect(writer.transaction([insert('b', 'too late')])).rejects.toThrow(/closed/);
    expect(await count()).toBe(1);
  });
});
