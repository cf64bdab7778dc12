import type { Kysely } from 'kysely';
import type { Schema } from '../store/openDatabase.js';
import { MissingKeyError, type Sealer } from './createSealer.js';

/** The text every check value seals: opening it proves the key is the one its id names. */
const CHECK_TEXT = 'intake-chat data key check';
const checkContext = (keyId: string) => `data-key:${keyId}`;

/** The server's keys cannot open what is stored: the message says which key is missing and how to supply it. */
export class DataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyError';
  }
}

/** `data_keys`: which keys have sealed what is stored here, and the proof that this server holds them. */
export interface DataKeys {
  /**
   * Proves, before the server takes or shows a lead, that its keyring opens everything stored: each
   * key that sealed something and is not retired, and the newest lead. Then records the current key
   * as in use. Throws `DataKeyError` (recording nothing) when a key is missing.
   */
  prove(): Promise<void>;
  /** Why this server cannot read what is stored now (for `/readyz`), or null; one small query. */
  problem(): Promise<string | null>;
  /** Every key recorded here, the oldest first, and whether this server holds it. */
  list(): Promise<{ id: string; createdAt: string; retiredAt: string | null; held: boolean }[]>;
  /** Marks retired every key but the current one: `keys rotate` found nothing left sealed under them. */
  retireAllButCurrent(): Promise<string[]>;
}

export function createDataKeys(db: Kysely<Schema>, sealer: Sealer, now: () => Date): DataKeys {
  const held = (id: string) => sealer.keyIds.includes(id);
  const heldKeys = () =>
    sealer.keyIds.map((id, i) => (i === 0 ? `${id} (INTAKE_DATA_KEY)` : `${id} (INTAKE_OLD_DATA_KEYS)`)).join(', ');
  const missing = (what: string) =>
    new DataKeyError(
      `${what}, which this server was not given. Start it with that key as INTAKE_DATA_KEY, or keep that key in ` +
        'INTAKE_OLD_DATA_KEYS (base64 keys separated by commas) beside the new INTAKE_DATA_KEY and run ' +
        `\`intake-chat keys rotate\` to re-seal everything under the new key. This server holds: ${heldKeys()}.`,
    );

  async function proveRecorded(): Promise<Set<string>> {
    const rows = await db.selectFrom('data_keys').selectAll().orderBy('created_at').execute();
    for (const row of rows) {
      if (row.retired_at !== null) continue;
      if (!held(row.id))
        throw missing(`Stored values are sealed with data key ${row.id} (first used ${row.created_at})`);
      let opened: unknown;
      try {
        opened = sealer.open(row.check_value, checkContext(row.id));
      } catch {
        opened = undefined;
      }
      if (opened !== CHECK_TEXT) {
        throw new DataKeyError(
          `The check value of data key ${row.id} does not open with the key of that id: the data_keys table was changed.`,
        );
      }
    }
    return new Set(rows.map((row) => row.id));
  }

  /** The newest lead must open: it was sealed by whichever server wrote last. */
  async function proveNewestLead(): Promise<string | null> {
    const newest = await db
      .selectFrom('leads')
      .select(['id', 'contact'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (newest === undefined) return null;
    try {
      sealer.open(newest.contact, newest.id);
    } catch (error) {
      const keyId = error instanceof MissingKeyError ? sealer.keyIdOf(newest.contact) : null;
      throw missing(
        keyId === null
          ? `The newest lead (${newest.id}) was sealed with a data key from before key ids`
          : `The newest lead (${newest.id}) is sealed with data key ${keyId}`,
      );
    }
    return sealer.keyIdOf(newest.contact);
  }

  async function record(id: string, at: string): Promise<void> {
    await db
      .insertInto('data_keys')
      .values({ id, check_value: sealer.seal(CHECK_TEXT, checkContext(id)), created_at: at, retired_at: null })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ retired_at: null }))
      .execute();
  }

  return {
    async prove() {
      const recorded = await proveRecorded();
      await proveNewestLead();
      const current = sealer.currentKeyId;
      const at = now().toISOString();
      // Values from before key ids name no key: on the first start with key ids (nothing recorded yet),
      // the key that opens the newest of them is recorded as in use, so that removing it before
      // `keys rotate` has re-sealed them is refused like any other. Later starts skip the table scan.
      if (recorded.size === 0) {
        for (const id of await keylessKeyIds(db, sealer)) if (id !== current) await record(id, at);
      }
      await record(current, at);
    },

    async problem() {
      const rows = await db.selectFrom('data_keys').select(['id', 'retired_at']).execute();
      const absent = rows.filter((row) => row.retired_at === null && !held(row.id)).map((row) => row.id);
      if (absent.length > 0) {
        return `Stored values are sealed with data key ${absent.join(', ')}, which this server does not hold (another server may have started with a new key).`;
      }
      if (rows.some((row) => row.id === sealer.currentKeyId && row.retired_at !== null)) {
        return `This server's data key ${sealer.currentKeyId} is no longer in use here (\`keys rotate\` retired it): restart it with the current INTAKE_DATA_KEY.`;
      }
      return null;
    },

    async list() {
      const rows = await db.selectFrom('data_keys').selectAll().orderBy('created_at').execute();
      return rows.map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        retiredAt: row.retired_at,
        held: held(row.id),
      }));
    },

    async retireAllButCurrent() {
      const retired = await db
        .updateTable('data_keys')
        .set({ retired_at: now().toISOString() })
        .where('id', '!=', sealer.currentKeyId)
        .where('retired_at', 'is', null)
        .returning('id')
        .execute();
      return retired.map((row) => row.id);
    },
  };
}

/** Which keys of the ring open the newest lead sealed before key ids (`v1.`); none when there is none. */
async function keylessKeyIds(db: Kysely<Schema>, sealer: Sealer): Promise<string[]> {
  const row = await db
    .selectFrom('leads')
    .select(['id', 'contact'])
    .where('contact', 'like', 'v1.%')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return [];
  const id = sealer.keyIdThatOpens(row.contact, row.id);
  if (id === null)
    throw new DataKeyError(
      `Lead ${row.id} was sealed with a data key from before key ids that this server was not given: start it with that key as INTAKE_DATA_KEY or in INTAKE_OLD_DATA_KEYS.`,
    );
  return [id];
}
