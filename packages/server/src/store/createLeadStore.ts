import type { Lead, Urgency } from '@intake-chat/engine/schema';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Sealer } from '../crypto/createSealer.js';
import type { LeadsTable, OpenDatabase, Schema } from './openDatabase.js';
import { timeOrderedId } from './timeOrderedId.js';

const URGENCY_RANK: Readonly<Record<Urgency, number>> = { emergency: 0, urgent: 1, high: 2, normal: 3 };

/** A lead as the server decided it: the visitor's lead plus the server's own triage. */
export interface LeadToStore {
  readonly lead: Lead;
  readonly route: string;
  readonly urgency: Urgency;
  readonly reasons: readonly string[];
  readonly callbackWindow: string;
  /** Delivery jobs written in the same transaction (webhooks, alert e-mails). */
  readonly jobs: readonly { kind: 'webhook' | 'email'; target: string }[];
}

export interface StoredLead {
  readonly id: string;
  readonly center: string;
  readonly createdAt: string;
  readonly flow: { id: string; version: number };
  readonly locale: string;
  readonly route: string;
  readonly urgency: Urgency;
  readonly reasons: readonly string[];
  readonly contact: Lead['contact'];
  readonly answers: Lead['answers'];
  readonly consent: Lead['consent'];
  readonly utm: Lead['utm'] | null;
  readonly status: string;
  readonly callbackWindow: string;
  readonly statusChangedAt: string | null;
  /** When staff first reached or tried the person: the end of the wait the callback target measures. */
  readonly contactedAt: string | null;
}

export interface LeadStore {
  /**
   * Stores a lead and its delivery jobs in one transaction, once per (center, idempotency key):
   * the same key again returns the lead already stored, with `created: false`.
   */
  save(lead: LeadToStore): Promise<{ id: string; callbackWindow: string; created: boolean }>;
  find(center: string, id: string): Promise<StoredLead | null>;
  /** Leads of a center created at or after `since`, oldest first. */
  list(center: string, since: Date): AsyncGenerator<StoredLead>;
  count(center?: string): Promise<number>;
  /**
   * Deletes a center's unconverted leads created before `before`, with their jobs and history;
   * returns how many. With `keepConsentEvidence`, each lead's consent evidence and the phone number
   * it covers are kept (sealed) in `consent_evidence` first.
   */
  purge(center: string, before: Date, keepConsentEvidence?: boolean): Promise<number>;
  /** Deletes kept consent evidence of leads created before `before`; returns how many. */
  purgeConsentEvidence(center: string, before: Date): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Statuses that mean the person became a patient: their records are kept past retention. */
const CONVERTED = ['admitted'];

type Saved = Awaited<ReturnType<LeadStore['save']>>;

export function createLeadStore(database: OpenDatabase, sealer: Sealer, now: () => Date = () => new Date()): LeadStore {
  const { db } = database;

  /** Writes one lead and its jobs inside `trx`; idempotent per (center, key). */
  async function write(trx: Transaction<Schema>, toStore: LeadToStore): Promise<Saved> {
    const { lead } = toStore;
    const id = timeOrderedId();
    const createdAt = now().toISOString();
    const inserted = await trx
      .insertInto('leads')
      .values({
        id,
        center: lead.center,
        idempotency_key: lead.idempotencyKey,
        flow_id: lead.flow.id,
        flow_version: lead.flow.version,
        locale: lead.locale,
        route: toStore.route,
        urgency: toStore.urgency,
        urgency_rank: URGENCY_RANK[toStore.urgency],
        reasons: JSON.stringify(toStore.reasons),
        contact: sealer.seal(lead.contact, id),
        answers: sealer.seal(lead.answers, id),
        consent: JSON.stringify(lead.consent),
        utm: lead.utm ? JSON.stringify(lead.utm) : null,
        status: 'new',
        callback_window: toStore.callbackWindow,
        created_at: createdAt,
      })
      .onConflict((conflict) => conflict.columns(['center', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const existing = await trx
        .selectFrom('leads')
        .select(['id', 'callback_window'])
        .where('center', '=', lead.center)
        .where('idempotency_key', '=', lead.idempotencyKey)
        .executeTakeFirstOrThrow();
      return { id: existing.id, callbackWindow: existing.callback_window, created: false };
    }
    if (toStore.jobs.length > 0) {
      await trx
        .insertInto('outbox')
        .values(
          toStore.jobs.map((job) => ({
            id: timeOrderedId(),
            lead_id: id,
            center: lead.center,
            kind: job.kind,
            target: job.target,
            status: 'pending',
            next_attempt_at: createdAt,
            last_error: null,
            created_at: createdAt,
          })),
        )
        .execute();
    }
    return { id, callbackWindow: toStore.callbackWindow, created: true };
  }

  return {
    // PostgreSQL commits concurrent transactions on its own. SQLite has one writer and one fsync per
    // commit, so leads that arrive together are committed together (group commit): each is still
    // acknowledged only after the commit that holds it.
    save:
      database.dialect === 'sqlite'
        ? groupCommit(db, write)
        : (toStore) => db.transaction().execute((trx) => write(trx, toStore)),

    async find(center, id) {
      const row = await db
        .selectFrom('leads')
        .selectAll()
        .where('center', '=', center)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toStored(row, sealer) : null;
    },

    async *list(center, since) {
      // Pages by (created_at, id) so an export of any size streams in constant memory.
      let after = { createdAt: since.toISOString(), id: '' };
      for (;;) {
        const rows = await db
          .selectFrom('leads')
          .selectAll()
          .where('center', '=', center)
          .where((eb) =>
            eb.or([
              eb('created_at', '>', after.createdAt),
              eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
            ]),
          )
          .orderBy('created_at')
          .orderBy('id')
          .limit(500)
          .execute();
        for (const row of rows) yield toStored(row, sealer);
        const last = rows.at(-1);
        if (last === undefined || rows.length < 500) return;
        after = { createdAt: last.created_at, id: last.id };
      }
    },

    async count(center) {
      let query = db.selectFrom('leads').select((eb) => eb.fn.countAll<string | number>().as('n'));
      if (center !== undefined) query = query.where('center', '=', center);
      const { n } = await query.executeTakeFirstOrThrow();
      return Number(n);
    },

    async purge(center, before, keepConsentEvidence = false) {
      let purged = 0;
      // In batches, each its own transaction: a purge of years of leads neither holds one long lock
      // nor needs them all in memory.
      for (;;) {
        const deleted = await db.transaction().execute(async (trx) => {
          const stale = await trx
            .selectFrom('leads')
            .select(['id', 'contact', 'consent', 'created_at'])
            .where('center', '=', center)
            .where('created_at', '<', before.toISOString())
            .where('status', 'not in', CONVERTED)
            .limit(500)
            .execute();
          if (stale.length === 0) return 0;
          // The same conditions again on the delete: a lead admitted since the select is kept. Its
          // history and jobs go with it (foreign keys cascade).
          const deletedIds = await trx
            .deleteFrom('leads')
            .where(
              'id',
              'in',
              stale.map((row) => row.id),
            )
            .where('created_at', '<', before.toISOString())
            .where('status', 'not in', CONVERTED)
            .returning('id')
            .execute();
          const deleted = new Set(deletedIds.map((row) => row.id));
          if (keepConsentEvidence && deleted.size > 0) {
            const purgedAt = now().toISOString();
            await trx
              .insertInto('consent_evidence')
              .values(
                stale
                  .filter((row) => deleted.has(row.id))
                  .map((row) => ({
                    lead_id: row.id,
                    center,
                    phone: sealer.seal(sealer.open<Lead['contact']>(row.contact, row.id).phone, row.id),
                    consent: row.consent,
                    lead_created_at: row.created_at,
                    purged_at: purgedAt,
                  })),
              )
              .onConflict((conflict) => conflict.column('lead_id').doNothing())
              .execute();
          }
          // Nothing deleted from a non-empty batch would loop for ever: stop instead.
          return deleted.size === 0 ? -1 : deleted.size;
        });
        if (deleted < 0) return purged;
        purged += deleted;
        if (deleted === 0) return purged;
      }
    },

    async purgeConsentEvidence(center, before) {
      const result = await db
        .deleteFrom('consent_evidence')
        .where('center', '=', center)
        .where('lead_created_at', '<', before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    async close() {
      await db.destroy();
    },
  };
}

export function toStored(row: LeadsTable, sealer: Sealer): StoredLead {
  return {
    id: row.id,
    center: row.center,
    createdAt: row.created_at,
    flow: { id: row.flow_id, version: Number(row.flow_version) },
    locale: row.locale,
    route: row.route,
    urgency: row.urgency as Urgency,
    reasons: JSON.parse(row.reasons),
    contact: sealer.open(row.contact, row.id),
    answers: sealer.open(row.answers, row.id),
    consent: JSON.parse(row.consent),
    utm: row.utm === null ? null : JSON.parse(row.utm),
    status: row.status,
    callbackWindow: row.callback_window,
    statusChangedAt: row.status_changed_at ?? null,
    contactedAt: row.contacted_at ?? null,
  };
}

/**
 * Queues saves and writes each batch in one transaction: whatever arrived while the previous batch
 * was being written, up to 256 leads. If the batch fails, each of its leads is written again in a
 * transaction of its own, so one bad lead cannot take the others with it.
 */
function groupCommit(
  db: Kysely<Schema>,
  write: (trx: Transaction<Schema>, toStore: LeadToStore) => Promise<Saved>,
): (toStore: LeadToStore) => Promise<Saved> {
  type Waiting = { toStore: LeadToStore; resolve: (saved: Saved) => void; reject: (error: unknown) => void };
  const queue: Waiting[] = [];
  let writing = false;

  async function flush() {
    writing = true;
    const batch = queue.splice(0, 256);
    try {
      const saved = await db.transaction().execute(async (trx) => {
        const results: Saved[] = [];
        for (const waiting of batch) results.push(await write(trx, waiting.toStore));
        return results;
      });
      batch.forEach((waiting, i) => {
        waiting.resolve(saved[i] as Saved);
      });
    } catch {
      for (const waiting of batch) {
        await db
          .transaction()
          .execute((trx) => write(trx, waiting.toStore))
          .then(waiting.resolve, waiting.reject);
      }
    } finally {
      writing = false;
      if (queue.length > 0) setImmediate(flush);
    }
  }

  return (toStore) =>
    new Promise<Saved>((resolve, reject) => {
      queue.push({ toStore, resolve, reject });
      if (!writing && queue.length === 1) setImmediate(flush);
    });
}
