import type { Sealer } from '../crypto/createSealer.js';
import { type StoredLead, toStored } from '../store/createLeadStore.js';
import type { OpenDatabase } from '../store/openDatabase.js';
import { timeOrderedId } from '../store/timeOrderedId.js';
import { type LeadStatus, nextStatuses, openStatuses } from './leadStatuses.js';

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly staffEmail: string;
  readonly action: string;
  readonly leadId: string | null;
  readonly detail: Record<string, unknown> | null;
}

export interface NewAuditEntry {
  readonly center: string;
  readonly staffEmail: string;
  readonly action: string;
  readonly leadId?: string;
  /** Never contact details or answers: ids, statuses, counts, dates. */
  readonly detail?: Record<string, unknown>;
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

export interface ConsoleStore {
  /** `open`: leads still being worked; `all`: the latest 500. New leads first, by urgency, oldest first. */
  inbox(center: string, view: 'open' | 'all'): Promise<StoredLead[]>;
  /** Moves a lead from `from` to `to` (only if it is still at `from`), with an optional note, audited. */
  changeStatus(
    center: string,
    id: string,
    change: { from: LeadStatus; to: LeadStatus; note?: string | undefined },
    by: string,
  ): Promise<StatusChange>;
  /** Adds a note, audited; false when the center has no such lead. */
  addNote(center: string, id: string, note: string, by: string): Promise<boolean>;
  history(center: string, id: string): Promise<HistoryEntry[]>;
  audit(entry: NewAuditEntry): Promise<void>;
  /** A center's audit log, newest first, `limit` entries before the entry `before` (an id). */
  auditPage(center: string, before: string | undefined, limit: number): Promise<AuditEntry[]>;
}

const INBOX_LIMIT = 500;

/** What the console reads and writes: the inbox, a lead's workflow and history, and the audit log. */
export function createConsoleStore(
  database: OpenDatabase,
  sealer: Sealer,
  now: () => Date = () => new Date(),
): ConsoleStore {
  const { db } = database;

  return {
    async inbox(center, view) {
      let query = db
        .selectFrom('leads')
        .selectAll()
        .where('center', '=', center)
        // New leads first (they are waiting for a call), each group by urgency, the longest wait first.
        .orderBy((eb) => eb.case().when('status', '=', 'new').then(0).else(1).end())
        .orderBy((eb) => eb.case().when('status', '=', 'new').then(eb.ref('urgency_rank')).else(0).end())
        .orderBy((eb) => eb.case().when('status', '=', 'new').then(eb.ref('created_at')).else('').end())
        .orderBy((eb) => eb.fn.coalesce('status_changed_at', 'created_at'), 'desc')
        .orderBy('id')
        .limit(INBOX_LIMIT);
      if (view === 'open') query = query.where('status', 'in', openStatuses);
      return (await query.execute()).map((row) => toStored(row, sealer));
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
        await trx
          .insertInto('audit')
          .values(
            auditRow(
              {
                center,
                staffEmail: by,
                action: 'lead.status',
                leadId: id,
                detail: { from: change.from, to: change.to },
              },
              at,
            ),
          )
          .execute();
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
        await trx
          .insertInto('audit')
          .values(auditRow({ center, staffEmail: by, action: 'lead.note', leadId: id }, at))
          .execute();
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

    async audit(entry) {
      await writeAudit(database, entry, now());
    },

    async auditPage(center, before, limit) {
      let query = db.selectFrom('audit').selectAll().where('center', '=', center).orderBy('id', 'desc').limit(limit);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query.execute();
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        staffEmail: row.staff_email,
        action: row.action,
        leadId: row.lead_id,
        detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
      }));
    },
  };
}

/** Writes one audit entry; for the console's routes and for the `intake-chat staff` commands. */
export async function writeAudit(database: OpenDatabase, entry: NewAuditEntry, at: Date): Promise<void> {
  await database.db.insertInto('audit').values(auditRow(entry, at.toISOString())).execute();
}

function auditRow(entry: NewAuditEntry, at: string) {
  return {
    // Time-ordered ids: the log pages by id, newest first.
    id: timeOrderedId(),
    center: entry.center,
    staff_email: entry.staffEmail,
    action: entry.action,
    lead_id: entry.leadId ?? null,
    detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    at,
  };
}
