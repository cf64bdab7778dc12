import type { Lead } from '@intake-chat/engine/schema';
import type { Config } from '../config/loadConfig.js';
import type { Sealer } from '../crypto/createSealer.js';
import type { InsightStore } from '../insight/createInsightStore.js';
import { dayIn } from '../insight/readBeacon.js';
import type { OpenDatabase } from '../store/openDatabase.js';

/** Statuses that mean the person became a patient: their records are kept past retention. */
const CONVERTED = ['admitted'];

/** Retention: deleting what is past its time, and the `consent_evidence` table's one owner. */
export interface Retention {
  /**
   * Deletes a center's unconverted leads created before `before`, with their jobs and history;
   * returns how many. With `keepConsentEvidence`, each lead's consent evidence and the phone number
   * it covers are kept (sealed) in `consent_evidence` first; a lead whose phone the data keys cannot
   * open is then kept rather than deleted without its evidence, and counted as `unreadable`.
   */
  purge(center: string, before: Date, keepConsentEvidence?: boolean): Promise<{ leads: number; unreadable: number }>;
  /** Deletes kept consent evidence of leads created before `before`; returns how many. */
  purgeConsentEvidence(center: string, before: Date): Promise<number>;
}

export function createRetention(database: OpenDatabase, sealer: Sealer, now: () => Date = () => new Date()): Retention {
  const { db } = database;
  return {
    async purge(center, before, keepConsentEvidence = false) {
      let purged = 0;
      let unreadable = 0;
      // In batches by id, each its own transaction: a purge of years of leads neither holds one long
      // lock nor needs them all in memory, and a kept lead is passed over rather than read again.
      for (let after = ''; ; ) {
        const batch = await db.transaction().execute(async (trx) => {
          const stale = await trx
            .selectFrom('leads')
            .select(['id', 'contact', 'consent', 'created_at'])
            .where('center', '=', center)
            .where('created_at', '<', before.toISOString())
            .where('status', 'not in', CONVERTED)
            .where('id', '>', after)
            .orderBy('id')
            .limit(500)
            .execute();
          const phones = new Map<string, string>();
          if (keepConsentEvidence) {
            for (const row of stale) {
              try {
                phones.set(row.id, sealer.open<Lead['contact']>(row.contact, row.id).phone);
              } catch {
                // Its key was not supplied: deleting it now would lose its consent evidence for good.
              }
            }
          }
          const deletable = keepConsentEvidence ? stale.filter((row) => phones.has(row.id)) : stale;
          // The same conditions again on the delete: a lead admitted since the select is kept. Its
          // history and jobs go with it (foreign keys cascade).
          const deletedIds =
            deletable.length === 0
              ? []
              : await trx
                  .deleteFrom('leads')
                  .where(
                    'id',
                    'in',
                    deletable.map((row) => row.id),
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
                deletable
                  .filter((row) => deleted.has(row.id))
                  .map((row) => ({
                    lead_id: row.id,
                    center,
                    phone: sealer.seal(phones.get(row.id), row.id),
                    consent: row.consent,
                    lead_created_at: row.created_at,
                    purged_at: purgedAt,
                  })),
              )
              .onConflict((conflict) => conflict.column('lead_id').doNothing())
              .execute();
          }
          return {
            looked: stale.length,
            last: stale.at(-1)?.id,
            deleted: deleted.size,
            kept: stale.length - deletable.length,
          };
        });
        purged += batch.deleted;
        unreadable += batch.kept;
        if (batch.last === undefined || batch.looked < 500) return { leads: purged, unreadable };
        after = batch.last;
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
  };
}

export interface Purged {
  readonly center: string;
  readonly retentionDays: number;
  /** Unconverted leads deleted. */
  readonly leads: number;
  /** Kept consent evidence deleted because it outlived `consentEvidenceDays`. */
  readonly evidence: number;
  /** Day counts of conversion insight deleted because they outlived `insight.retentionDays`. */
  readonly counts?: number;
  /** Leads past retention kept because the data keys cannot open the phone their consent covers. */
  readonly unreadable?: number;
  /** Why this center's purge stopped part-way, if it did; the other centers are purged regardless. */
  readonly error?: string;
}

const DAY_MS = 86_400_000;

/**
 * Applies each center's retention (docs/conversation.md, "Data rules"): unconverted leads older than
 * `retentionDays` are deleted, their consent evidence kept while `consentEvidenceDays` allows.
 * Run by `intake-chat purge` and daily by `serve`.
 */
export async function purgeExpired(
  config: Config,
  store: Retention,
  now: Date,
  insight?: Pick<InsightStore, 'purge'>,
): Promise<Purged[]> {
  const results: Purged[] = [];
  for (const center of config.centers.values()) {
    const before = new Date(now.getTime() - center.retentionDays * DAY_MS);
    const evidenceBefore = new Date(now.getTime() - center.consentEvidenceDays * DAY_MS);
    // Evidence that would be deleted at once is not worth writing.
    const keep = center.consentEvidenceDays > 0 && evidenceBefore < before;
    try {
      const { leads, unreadable } = await store.purge(center.id, before, keep);
      const evidence = await store.purgeConsentEvidence(center.id, evidenceBefore);
      // Kept `insight.retentionDays` days, today included, in the center's time zone.
      const counts =
        insight === undefined
          ? 0
          : await insight.purge(
              center.id,
              dayIn(center.timeZone, new Date(now.getTime() - (center.insight.retentionDays - 1) * DAY_MS)),
            );
      results.push({
        center: center.id,
        retentionDays: center.retentionDays,
        leads,
        evidence,
        ...(counts > 0 ? { counts } : {}),
        ...(unreadable > 0 ? { unreadable } : {}),
      });
    } catch (error) {
      results.push({
        center: center.id,
        retentionDays: center.retentionDays,
        leads: 0,
        evidence: 0,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return results;
}
