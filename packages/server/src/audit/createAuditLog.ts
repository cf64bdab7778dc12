import type { Kysely, Transaction } from 'kysely';
import type { OpenDatabase, Schema } from '../store/openDatabase.js';
import { timeOrderedId } from '../store/timeOrderedId.js';

/** One line of the audit log as the console shows it (packages/console/API.md, `AuditEntry`). */
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
  /** Who did it: a staff member's address, or "cli" for the terminal. */
  readonly staffEmail: string;
  readonly action: string;
  readonly leadId?: string;
  /** Never contact details or answers: ids, statuses, counts, dates. */
  readonly detail?: Record<string, unknown>;
}

/** Who viewed, changed or exported what: the `audit` table's one owner. */
export interface AuditLog {
  write(entry: NewAuditEntry): Promise<void>;
  /** A center's entries, newest first, `limit` of them before the entry `before` (an id). */
  page(center: string, before: string | undefined, limit: number): Promise<AuditEntry[]>;
}

export function createAuditLog(database: OpenDatabase, now: () => Date = () => new Date()): AuditLog {
  const { db } = database;
  return {
    async write(entry) {
      await writeAuditEntry(db, entry, now().toISOString());
    },

    async page(center, before, limit) {
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

/**
 * Writes one entry with `db`, which may be a transaction: a change and its record of who made it
 * are committed together (a lead's status change, say).
 */
export async function writeAuditEntry(
  db: Kysely<Schema> | Transaction<Schema>,
  entry: NewAuditEntry,
  at: string,
): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      // Time-ordered ids: the log pages by id, newest first.
      id: timeOrderedId(),
      center: entry.center,
      staff_email: entry.staffEmail,
      action: entry.action,
      lead_id: entry.leadId ?? null,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      at,
    })
    .execute();
}
