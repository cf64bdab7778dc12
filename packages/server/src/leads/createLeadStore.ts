import type { Lead, Urgency } from '@intake-chat/engine/schema';
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { INBOX_LIMIT } from '../admin/consoleApi.js';
import { writeAuditEntry } from '../audit/createAuditLog.js';
import type { Sealer } from '../crypto/createSealer.js';
import { deliveryRows, type NewDelivery } from '../delivery/createOutbox.js';
import type { LeadsTable, OpenDatabase, Schema } from '../store/openDatabase.js';
import type { SqliteWriter } from '../store/sqliteWriter.js';
import { timeOrderedId } from '../store/timeOrderedId.js';
import { type LeadStatus, nextStatuses } from './leadStatuses.js';
import { requestIndexValue } from './requestIndexValue.js';
import { contactIndex, inCenter, type SearchKey, searchKeyOf } from './searchKeys.js';

const URGENCY_RANK: Readonly<Record<Urgency, number>> = { emergency: 0, urgent: 1, high: 2, normal: 3 };

/** A lead as the server decided it: the visitor's lead plus the server's own triage. */
export interface LeadToStore {
  readonly lead: Lead;
  readonly route: string;
  readonly urgency: Urgency;
  readonly reasons: readonly string[];
  readonly callbackWindow: string;
  /** Delivery jobs written in the same transaction (webhooks, alert e-mails). */
  readonly jobs: readonly NewDelivery[];
}

/** One request as conversion insight sees it (`LeadStore.outcomes`). */
export interface LeadOutcome {
  readonly route: string;
  readonly urgency: Urgency;
  readonly createdAt: string;
  readonly contactedAt: string | null;
  /** Every status the request has had, the current one included. */
  readonly reached: readonly string[];
  readonly utm: Readonly<Record<string, string>> | null;
  readonly referrer: string | null;
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
  /** The host name of the site the visit came from, or null. */
  readonly referrer: string | null;
  readonly status: string;
  readonly callbackWindow: string;
  readonly statusChangedAt: string | null;
  /** When staff first reached or tried the person: the end of the wait the callback target measures. */
  readonly contactedAt: string | null;
  /** The address of the staff member who has the lead (lower-cased), or null while no one has it. */
  readonly assignedTo: string | null;
}

/** Which leads the inbox shows; every field left out matches every lead. */
export interface InboxFilter {
  /** The statuses to show; an empty list shows nothing. */
  readonly statuses?: readonly LeadStatus[] | undefined;
  readonly urgency?: Urgency | undefined;
  readonly route?: string | undefined;
  /** The visitor's language: `es` also matches a regional tag such as `es-MX`. */
  readonly locale?: string | undefined;
  /** A staff member's address, or null for leads no one has. */
  readonly assignee?: string | null | undefined;
  /** Created at or after this instant (ISO 8601). */
  readonly createdFrom?: string | undefined;
  /** Created before this instant (ISO 8601). */
  readonly createdBefore?: string | undefined;
  /** The blind indexes of a phone number under each data key (`searchKey`), any matched whole. */
  readonly phoneKeys?: readonly string[] | undefined;
  /** The blind indexes of a first name under each data key (`searchKey`), any matched whole. */
  readonly nameKeys?: readonly string[] | undefined;
}

export interface LeadStore {
  /**
   * Stores a lead and its delivery jobs in one transaction, once per (center, idempotency key): the
   * same key with the same request again returns the lead already stored, with `created: false`; the
   * same key with another request stores nothing and rejects with `KeyReusedError`.
   */
  save(lead: LeadToStore): Promise<Saved>;
  /** The other leads of the center sent from the same conversation as this one, oldest first. */
  sameConversation(center: string, id: string): Promise<{ id: string; createdAt: string }[]>;
  find(center: string, id: string): Promise<StoredLead | null>;
  /** Leads of a center created at or after `since`, oldest first; one the keys cannot open comes as `UnreadableLead`. */
  list(center: string, since: Date): AsyncGenerator<ListedLead>;
  /** Leads stored, of one center if given, created at or after `since` if given: what `list` would yield. */
  count(center?: string, since?: Date): Promise<number>;
  /**
   * What conversion insight reads of each request made in [from, to): clear columns only, never the
   * person, the answers or a note, with every status the request ever reached.
   */
  outcomes(center: string, from: Date, to: Date): Promise<LeadOutcome[]>;
  /**
   * One page (from 1) of `INBOX_LIMIT` leads that match the filter, and how many match in all. New
   * leads first, by urgency, the longest wait first; then the rest, the most recently changed first.
   */
  inbox(center: string, filter: InboxFilter, page: number): Promise<{ leads: ListedLead[]; total: number }>;
  /**
   * The hashed key for what a center's staff typed in the search box (see searchKeys.ts), in that
   * center's index; null when nothing is left.
   */
  searchKey(center: string, words: string): SearchKey | null;
  /**
   * Indexes for search the leads stored before the index existed, 500 at a time, decrypting each
   * contact once; returns how many it indexed.
   */
  indexForSearch(): Promise<number>;
  /** Gives a lead to a staff member (an address), or back to no one (null), audited as `lead.assign`. */
  assign(center: string, id: string, to: string | null, by: string): Promise<'not_found' | 'unknown_staff' | Assigned>;
  /** Gives back every lead of the center that this address has (the account is being removed); how many. */
  unassignAll(center: string, email: string): Promise<number>;
  /** Moves a lead from `from` to `to` (only if it is still at `from`), with an optional note, audited. */
  changeStatus(
    center: string,
    id: string,
    change: { from: LeadStatus; to: LeadStatus; note?: string | undefined },
    by: string,
  ): Promise<StatusChange>;
  /** Adds a note, audited; false when the center has no such lead. */
  addNote(center: string, id: string, note: string, by: string): Promise<boolean>;
  /** A lead's status changes and notes, oldest first. */
  history(center: string, id: string): Promise<HistoryEntry[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface HistoryEntry {
  readonly at: string;
  readonly by: string;
  readonly from: LeadStatus | null;
  readonly to: LeadStatus | null;
  readonly note: string | null;
}

export type StatusChange =
  | { readonly outcome: 'changed' }
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'conflict'; readonly current: string }
  | { readonly outcome: 'not_allowed'; readonly current: string; readonly allowed: readonly LeadStatus[] };

export interface Assigned {
  readonly from: string | null;
  readonly to: string | null;
}

/** Leads indexed per batch by `indexForSearch`. */
const INDEX_BATCH = 500;

/** What `save` did: stored the lead, or found it stored already. */
export type Saved = { id: string; callbackWindow: string; created: boolean };

/** The idempotency key was used by another request, which is kept as it was; nothing was stored. */
export class KeyReusedError extends Error {
  constructor() {
    super('this idempotency key was used for a different request');
    this.name = 'KeyReusedError';
  }
}

export function createLeadStore(database: OpenDatabase, sealer: Sealer, now: () => Date = () => new Date()): LeadStore {
  const { db } = database;
  const indexOf = (center: string) => inCenter(center, sealer.blindIndex);

  /** The row of a lead as stored: sealed where personal, with its blind indexes. */
  function rowOf(toStore: LeadToStore, id: string, createdAt: string) {
    const { lead } = toStore;
    return {
      id,
      center: lead.center,
      idempotency_key: lead.idempotencyKey,
      flow_id: lead.flow.id,
      flow_version: lead.flow.version,
      locale: lead.locale,
      route: toStore.route,
      urgency: toStore.urgency,
      urgency_rank: URGENCY_RANK[toStore.urgency],
      reasons: sealer.seal(toStore.reasons, id),
      contact: sealer.seal(lead.contact, id),
      answers: sealer.seal(lead.answers, id),
      consent: JSON.stringify(lead.consent),
      utm: lead.utm ? JSON.stringify(lead.utm) : null,
      referrer: lead.referrer ?? null,
      ...contactIndex(lead.contact, indexOf(lead.center)),
      request_hash: indexOf(lead.center)(requestIndexValue(lead)),
      conversation_id: lead.conversationId ?? null,
      status: 'new',
      callback_window: toStore.callbackWindow,
      created_at: createdAt,
    };
  }

  /** The leads of a batch as rows, each with its delivery jobs. */
  function rowsOf(batch: readonly LeadToStore[]) {
    const rows = batch.map((toStore) => rowOf(toStore, timeOrderedId(), now().toISOString()));
    const jobs = batch.map((toStore, i) => {
      const row = rows[i] as (typeof rows)[number];
      return deliveryRows(row, toStore.jobs, row.created_at);
    });
    return { rows, jobs };
  }

  const insertLeads = (executor: Kysely<Schema>, rows: ReturnType<typeof rowsOf>['rows']) =>
    executor
      .insertInto('leads')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['center', 'idempotency_key']).doNothing())
      .returning('id');

  /**
   * Writes a batch of leads and their jobs inside `trx`, idempotent per (center, key): one INSERT for
   * the leads and one for the jobs, however many leads (a statement per lead was most of a lead's cost).
   * A lead whose key is taken is answered from the row already stored, if it is the same request;
   * another request under a used key is answered with `KeyReusedError`, and the others are stored.
   */
  async function writeAll(trx: Transaction<Schema>, batch: readonly LeadToStore[]): Promise<Outcome[]> {
    const { rows, jobs } = rowsOf(batch);
    const inserted = new Set((await insertLeads(trx, rows).execute()).map((row) => row.id));
    const outcomes: Outcome[] = [];
    const toQueue: (typeof jobs)[number] = [];
    for (const [i, toStore] of batch.entries()) {
      const row = rows[i] as (typeof rows)[number];
      if (inserted.has(row.id)) {
        toQueue.push(...(jobs[i] ?? []));
        outcomes.push({ id: row.id, callbackWindow: toStore.callbackWindow, created: true });
      } else outcomes.push(await storedAlready(trx, toStore.lead));
    }
    if (toQueue.length > 0) await trx.insertInto('outbox').values(toQueue).execute();
    return outcomes;
  }

  /**
   * The same on SQLite, on the writer's thread (`createSqliteWriter`): the leads and their jobs in
   * one transaction there, while this thread goes on. The jobs are inserted only for the leads that
   * were (their ids are new, so a row with one was inserted just now); a lead whose key was taken is
   * looked up afterwards, committed by then.
   */
  async function writeAllOffThread(writer: SqliteWriter, batch: readonly LeadToStore[]): Promise<Outcome[]> {
    const { rows, jobs } = rowsOf(batch);
    const queued = jobs.flat();
    const statements = [insertLeads(db, rows).compile()];
    if (queued.length > 0) {
      const columns = Object.keys(queued[0] as object) as (keyof (typeof queued)[number])[];
      statements.push(
        sql`insert into outbox (${sql.join(columns.map((column) => sql.ref(column)))}) select * from (values ${sql.join(
          queued.map((job) => sql`(${sql.join(columns.map((column) => job[column]))})`),
        )}) where ${sql.raw(`column${columns.indexOf('lead_id') + 1}`)} in (select id from leads where id in (${sql.join(rows.map((row) => row.id))}))`.compile(
          db,
        ),
      );
    }
    const [inserted] = (await writer.transaction(statements)) as [{ id: string }[]];
    const ids = new Set(inserted.map((row) => row.id));
    // Committed: from here each lead has its own outcome, and a failed lookup fails only its own lead.
    return Promise.all(
      batch.map((toStore, i) => {
        const row = rows[i] as (typeof rows)[number];
        return ids.has(row.id)
          ? { id: row.id, callbackWindow: toStore.callbackWindow, created: true }
          : storedAlready(db, toStore.lead).catch((error: unknown) =>
              error instanceof Error ? error : new Error(String(error)),
            );
      }),
    );
  }

  /** The lead stored under this one's key, if this is the same request again (a retry). */
  async function storedAlready(executor: Kysely<Schema>, lead: Lead): Promise<Outcome> {
    const existing = await executor
      .selectFrom('leads')
      .select(['id', 'callback_window', 'request_hash'])
      .where('center', '=', lead.center)
      .where('idempotency_key', '=', lead.idempotencyKey)
      .executeTakeFirstOrThrow();
    // A retry is the same request; another request under a used key would be lost if answered as one.
    const same =
      existing.request_hash === null ||
      inCenter(lead.center, sealer.blindIndexes)(requestIndexValue(lead)).includes(existing.request_hash);
    if (!same) return new KeyReusedError();
    return { id: existing.id, callbackWindow: existing.callback_window, created: false };
  }

  const { writer } = database;
  return {
    // Leads that arrive together are committed together (group commit): each is still acknowledged
    // only after the commit that holds it. SQLite has one writer, so one batch at a time; PostgreSQL
    // takes several transactions side by side, so a few batches at once, each on its own connection
    // (one commit's WAL flush, and its round trips, shared by every lead in it).
    save: groupCommit(
      writer === undefined
        ? (batch) => db.transaction().execute((trx) => writeAll(trx, batch))
        : (batch) => writeAllOffThread(writer, batch),
      database.dialect === 'sqlite' ? 1 : POSTGRES_LANES,
    ),

    async sameConversation(center, id) {
      const rows = await db
        .selectFrom('leads as other')
        .innerJoin('leads as this', (join) =>
          join.onRef('this.center', '=', 'other.center').onRef('this.conversation_id', '=', 'other.conversation_id'),
        )
        .select(['other.id as id', 'other.created_at as createdAt'])
        .where('this.center', '=', center)
        .where('this.id', '=', id)
        .where('other.id', '!=', id)
        .orderBy('other.created_at')
        .execute();
      return rows;
    },

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
        for (const row of rows) yield toListed(row, sealer);
        const last = rows.at(-1);
        if (last === undefined || rows.length < 500) return;
        after = { createdAt: last.created_at, id: last.id };
      }
    },

    async count(center, since) {
      let query = db.selectFrom('leads').select((eb) => eb.fn.countAll<string | number>().as('n'));
      if (center !== undefined) query = query.where('center', '=', center);
      if (since !== undefined) query = query.where('created_at', '>=', since.toISOString());
      const { n } = await query.executeTakeFirstOrThrow();
      return Number(n);
    },

    async outcomes(center, from, to) {
      const inRange = (eb: ExpressionBuilder<Schema, 'leads'>) =>
        eb.and([
          eb('leads.center', '=', center),
          eb('leads.created_at', '>=', from.toISOString()),
          eb('leads.created_at', '<', to.toISOString()),
        ]);
      const [rows, reached] = await Promise.all([
        db
          .selectFrom('leads')
          .select(['id', 'route', 'urgency', 'status', 'created_at', 'contacted_at', 'utm', 'referrer'])
          .where(inRange)
          .execute(),
        db
          .selectFrom('lead_events')
          .innerJoin('leads', 'leads.id', 'lead_events.lead_id')
          .select(['lead_events.lead_id as id', 'lead_events.to_status as status'])
          .where(inRange)
          .where('lead_events.to_status', 'is not', null)
          .execute(),
      ]);
      const statuses = new Map<string, Set<string>>();
      for (const { id, status } of reached) {
        const set = statuses.get(id) ?? new Set<string>();
        set.add(status as string);
        statuses.set(id, set);
      }
      return rows.map((row) => ({
        route: row.route,
        urgency: row.urgency as Urgency,
        createdAt: row.created_at,
        contactedAt: row.contacted_at ?? null,
        reached: [...new Set([row.status, ...(statuses.get(row.id) ?? [])])],
        utm: row.utm === null ? null : (JSON.parse(row.utm) as Record<string, string>),
        referrer: row.referrer ?? null,
      }));
    },

    async inbox(center, filter, page) {
      if (filter.statuses?.length === 0) return { leads: [], total: 0 };
      const matching = (eb: ExpressionBuilder<Schema, 'leads'>) => matches(eb, center, filter);
      const [rows, counted] = await Promise.all([
        db
          .selectFrom('leads')
          .selectAll()
          .where(matching)
          // New leads first (they are waiting for a call), each group by urgency, the longest wait first.
          .orderBy((eb) => eb.case().when('status', '=', 'new').then(0).else(1).end())
          .orderBy((eb) => eb.case().when('status', '=', 'new').then(eb.ref('urgency_rank')).else(0).end())
          .orderBy((eb) => eb.case().when('status', '=', 'new').then(eb.ref('created_at')).else('').end())
          .orderBy((eb) => eb.fn.coalesce('status_changed_at', 'created_at'), 'desc')
          // The id last: a total order, so that no lead is on two pages or on none.
          .orderBy('id')
          .limit(INBOX_LIMIT)
          .offset((Math.max(1, Math.floor(page)) - 1) * INBOX_LIMIT)
          .execute(),
        db
          .selectFrom('leads')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where(matching)
          .executeTakeFirstOrThrow(),
      ]);
      // One row the keys cannot open is shown as such; it never fails the page.
      return { leads: rows.map((row) => toListed(row, sealer)), total: Number(counted.n) };
    },

    searchKey(center, words) {
      return searchKeyOf(words, inCenter(center, sealer.blindIndexes));
    },

    async indexForSearch() {
      let indexed = 0;
      // By id, so that a row that cannot be indexed is passed over rather than read again forever.
      let after = '';
      for (;;) {
        const rows = await db
          .selectFrom('leads')
          .select(['id', 'center', 'contact'])
          .where((eb) => eb.or([eb('search_phone', 'is', null), eb('search_name', 'is', null)]))
          .where('id', '>', after)
          .orderBy('id')
          .limit(INDEX_BATCH)
          .execute();
        const last = rows.at(-1);
        if (last === undefined) return indexed;
        await db.transaction().execute(async (trx) => {
          for (const row of rows) {
            let contact: Lead['contact'];
            try {
              contact = sealer.open<Lead['contact']>(row.contact, row.id);
            } catch {
              // A row this key cannot open stays unindexed (and unfound by search) rather than stop the start.
              continue;
            }
            await trx
              .updateTable('leads')
              .set(contactIndex(contact, indexOf(row.center)))
              .where('id', '=', row.id)
              .execute();
            indexed += 1;
          }
        });
        if (rows.length < INDEX_BATCH) return indexed;
        after = last.id;
      }
    },

    async assign(center, id, to, by) {
      const address = to === null ? null : to.trim().toLowerCase();
      return db.transaction().execute(async (trx): Promise<'not_found' | 'unknown_staff' | Assigned> => {
        let current = trx.selectFrom('leads').select('assigned_to').where('center', '=', center).where('id', '=', id);
        // Two assignments at once: the second waits for the first, so its audit entry says the right "from".
        if (database.dialect === 'postgres') current = current.forUpdate();
        const lead = await current.executeTakeFirst();
        if (lead === undefined) return 'not_found';
        const assigned = { from: lead.assigned_to ?? null, to: address };
        let update = trx.updateTable('leads').set({ assigned_to: address }).where('id', '=', id);
        // Only to an account of this center that exists as the lead is written: a colleague removed a
        // moment before is not given leads that no one would ever see.
        if (address !== null) {
          update = update.where((eb) =>
            eb.exists(
              eb
                .selectFrom('staff')
                .select('staff.id')
                .where('staff.center', '=', center)
                .where('staff.email', '=', address),
            ),
          );
        }
        const written = await update.executeTakeFirst();
        if (Number(written.numUpdatedRows) === 0) return 'unknown_staff';
        await writeAuditEntry(
          trx,
          { center, staffEmail: by, action: 'lead.assign', leadId: id, detail: { ...assigned } },
          now().toISOString(),
        );
        return assigned;
      });
    },

    async unassignAll(center, email) {
      const result = await db
        .updateTable('leads')
        .set({ assigned_to: null })
        .where('center', '=', center)
        .where('assigned_to', '=', email.trim().toLowerCase())
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async changeStatus(center, id, change, by) {
      return db.transaction().execute(async (trx): Promise<StatusChange> => {
        const current = await trx
          .selectFrom('leads')
          .select('status')
          .where('center', '=', center)
          .where('id', '=', id)
          .executeTakeFirst();
        if (current === undefined) return { outcome: 'not_found' };
        if (current.status !== change.from) return { outcome: 'conflict', current: current.status };
        const allowed = nextStatuses[change.from];
        if (!allowed.includes(change.to)) return { outcome: 'not_allowed', current: current.status, allowed };
        const at = now().toISOString();
        // Compare-and-set on the status: of two staff changing the same lead, the second gets a conflict.
        const updated = await trx
          .updateTable('leads')
          .set((eb) => ({
            status: change.to,
            status_changed_at: at,
            contacted_at: eb.fn.coalesce('contacted_at', eb.val(at)),
          }))
          .where('id', '=', id)
          .where('status', '=', change.from)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) {
          const again = await trx.selectFrom('leads').select('status').where('id', '=', id).executeTakeFirst();
          return { outcome: 'conflict', current: again?.status ?? 'deleted' };
        }
        await trx
          .insertInto('lead_events')
          .values({
            id: timeOrderedId(),
            lead_id: id,
            staff_email: by,
            from_status: change.from,
            to_status: change.to,
            note: change.note ? sealer.seal(change.note, id) : null,
            at,
          })
          .execute();
        await writeAuditEntry(
          trx,
          { center, staffEmail: by, action: 'lead.status', leadId: id, detail: { from: change.from, to: change.to } },
          at,
        );
        return { outcome: 'changed' };
      });
    },

    async addNote(center, id, note, by) {
      return db.transaction().execute(async (trx) => {
        const lead = await trx
          .selectFrom('leads')
          .select('id')
          .where('center', '=', center)
          .where('id', '=', id)
          .executeTakeFirst();
        if (lead === undefined) return false;
        const at = now().toISOString();
        await trx
          .insertInto('lead_events')
          .values({ id: timeOrderedId(), lead_id: id, staff_email: by, note: sealer.seal(note, id), at })
          .execute();
        await writeAuditEntry(trx, { center, staffEmail: by, action: 'lead.note', leadId: id }, at);
        return true;
      });
    },

    async history(center, id) {
      const rows = await db
        .selectFrom('lead_events')
        .innerJoin('leads', 'leads.id', 'lead_events.lead_id')
        .select([
          'lead_events.id',
          'lead_events.at',
          'lead_events.staff_email',
          'lead_events.from_status',
          'lead_events.to_status',
          'lead_events.note',
        ])
        .where('leads.center', '=', center)
        .where('lead_events.lead_id', '=', id)
        .orderBy('lead_events.at')
        .orderBy('lead_events.id')
        .execute();
      return rows.map((row) => ({
        at: row.at,
        by: row.staff_email,
        from: row.from_status as LeadStatus | null,
        to: row.to_status as LeadStatus | null,
        note: row.note === null ? null : sealer.open<string>(row.note, id),
      }));
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    async close() {
      await db.destroy();
    },
  };
}

/**
 * A lead the server's keys cannot open (its key was not supplied, or the value was changed): what the
 * inbox can still show of it, from the columns kept in clear for sorting. Never sent anywhere.
 */
export interface UnreadableLead extends Omit<StoredLead, 'contact' | 'answers' | 'reasons'> {
  /** The key its values are sealed with, if they name one. */
  readonly unreadable: { readonly keyId: string | null };
}

/** A row of the inbox or the export: a lead, or what is left of one the current keys cannot open. */
export type ListedLead = StoredLead | UnreadableLead;

export const isUnreadable = (lead: ListedLead): lead is UnreadableLead => 'unreadable' in lead;

/** A lead's sealed values do not open with the server's keys. The message names no lead data. */
export class UnreadableLeadError extends Error {
  constructor(
    readonly leadId: string,
    readonly keyId: string | null,
    options: { cause: unknown },
  ) {
    super(
      `lead ${leadId} cannot be read with the current keys${keyId === null ? '' : ` (it is sealed with data key ${keyId})`}`,
      options,
    );
    this.name = 'UnreadableLeadError';
  }
}

/** A stored row as a lead, decrypted; throws `UnreadableLeadError` when the keys do not open it. */
export function toStored(row: LeadsTable, sealer: Sealer): StoredLead {
  let opened: Pick<StoredLead, 'contact' | 'answers' | 'reasons'>;
  try {
    opened = {
      contact: sealer.open(row.contact, row.id),
      answers: sealer.open(row.answers, row.id),
      // Reasons were kept in clear until they were sealed: such a row holds the plain JSON list until `keys rotate`.
      reasons: row.reasons.startsWith('[') ? JSON.parse(row.reasons) : sealer.open(row.reasons, row.id),
    };
  } catch (error) {
    throw new UnreadableLeadError(row.id, sealer.keyIdOf(row.contact), { cause: error });
  }
  return { ...clearColumns(row), ...opened };
}

/** A stored row as a lead, or as what the inbox can show of it when the keys do not open it. */
export function toListed(row: LeadsTable, sealer: Sealer): ListedLead {
  try {
    return toStored(row, sealer);
  } catch (error) {
    if (!(error instanceof UnreadableLeadError)) throw error;
    return { ...clearColumns(row), unreadable: { keyId: error.keyId } };
  }
}

/** What a row keeps in clear: enough to sort, count and route, nothing about the person. */
function clearColumns(row: LeadsTable): Omit<UnreadableLead, 'unreadable'> {
  return {
    id: row.id,
    center: row.center,
    createdAt: row.created_at,
    flow: { id: row.flow_id, version: Number(row.flow_version) },
    locale: row.locale,
    route: row.route,
    urgency: row.urgency as Urgency,
    status: row.status,
    callbackWindow: row.callback_window,
    statusChangedAt: row.status_changed_at ?? null,
    contactedAt: row.contacted_at ?? null,
    assignedTo: row.assigned_to ?? null,
    consent: JSON.parse(row.consent),
    utm: row.utm === null ? null : JSON.parse(row.utm),
    referrer: row.referrer ?? null,
  };
}

/** The inbox filter as one condition on `leads`. */
function matches(eb: ExpressionBuilder<Schema, 'leads'>, center: string, filter: InboxFilter) {
  const conditions = [eb('center', '=', center)];
  if (filter.statuses !== undefined) conditions.push(eb('status', 'in', [...filter.statuses]));
  if (filter.urgency !== undefined) conditions.push(eb('urgency', '=', filter.urgency));
  if (filter.route !== undefined) conditions.push(eb('route', '=', filter.route));
  if (filter.locale !== undefined) {
    conditions.push(eb.or([eb('locale', '=', filter.locale), eb('locale', 'like', `${filter.locale}-%`)]));
  }
  if (filter.assignee === null) conditions.push(eb('assigned_to', 'is', null));
  else if (filter.assignee !== undefined) conditions.push(eb('assigned_to', '=', filter.assignee.toLowerCase()));
  if (filter.createdFrom !== undefined) conditions.push(eb('created_at', '>=', filter.createdFrom));
  if (filter.createdBefore !== undefined) conditions.push(eb('created_at', '<', filter.createdBefore));
  if (filter.phoneKeys !== undefined) conditions.push(eb('search_phone', 'in', [...filter.phoneKeys]));
  if (filter.nameKeys !== undefined) conditions.push(eb('search_name', 'in', [...filter.nameKeys]));
  return eb.and(conditions);
}

/** Batches written at once on PostgreSQL: fewer than the pool's 10 connections, which reads need too. */
const POSTGRES_LANES = 4;

/** What saving one lead of a batch came to: stored or found, or why not (`KeyReusedError` among others). */
type Outcome = Saved | Error;

/**
 * Queues saves and writes each batch in one transaction: whatever arrived while the batches under way
 * were being written, up to 256 leads, with at most `lanes` batches at once. If a batch fails, each of
 * its leads is written again in a transaction of its own, so one bad lead cannot take the others with it.
 */
function groupCommit(
  writeBatch: (batch: readonly LeadToStore[]) => Promise<Outcome[]>,
  lanes: number,
): (toStore: LeadToStore) => Promise<Saved> {
  type Waiting = { toStore: LeadToStore; resolve: (saved: Saved) => void; reject: (error: unknown) => void };
  const queue: Waiting[] = [];
  let writing = 0;
  let scheduled = false;

  const soon = () => {
    if (scheduled || writing >= lanes || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  };
  const settle = (waiting: Waiting, outcome: Outcome | undefined) => {
    if (outcome === undefined || outcome instanceof Error) waiting.reject(outcome ?? new Error('no outcome'));
    else waiting.resolve(outcome);
  };

  async function flush() {
    if (queue.length === 0) return;
    writing += 1;
    const batch = queue.splice(0, 256);
    try {
      const outcomes = await writeBatch(batch.map((waiting) => waiting.toStore));
      batch.forEach((waiting, i) => {
        settle(waiting, outcomes[i]);
      });
    } catch {
      for (const waiting of batch) {
        await writeBatch([waiting.toStore]).then((outcomes) => settle(waiting, outcomes[0]), waiting.reject);
      }
    } finally {
      writing -= 1;
      soon();
    }
  }

  return (toStore) =>
    new Promise<Saved>((resolve, reject) => {
      queue.push({ toStore, resolve, reject });
      soon();
    });
}
