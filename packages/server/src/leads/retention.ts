import type { Lead } from '@intake-chat/engine/schema';
import type { Config } from '../config/loadConfig.js';
import type { Sealer } from '../crypto/createSealer.js';
import type { OpenDatabase } from '../store/openDatabase.js';

/** Statuses that mean the person became a patient: their records are kept past retention. */
const CONVERTED = ['admitted'];

/** Retention: deleting what is past its time, and the `consent_evidence` table's one owner. */
export interface Retention {
  /**
   * Deletes a center's unconverted leads created before `before`, with their jobs and history;
   * returns how many. With `keepConsentEvidence`, each lead's consent evidence and the phone number
   * it covers are kept (sealed) in `consent_evidence` first.
   */
  purge(center: string, before: Date, keepConsentEvidence?: boolean): Promise<number>;
  /** Deletes kept consent evidence of leads created before `before`; returns how many. */
  purgeConsentEvidence(center: string, before: Date): Promise<number>;
}

export function createRetention(database: OpenDatabase, sealer: Sealer, now: () => Date = () => new Date()): Retention {
  const { db } = database;
  return {
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
  };
}

export interface Purged {
  readonly center: string;
  readonly retentionDays: number;
  /** Unconverted leads deleted. */
  readonly leads: number;
  /** Kept consent evidence deleted because it outlived `consentEvidenceDays`. */
  readonly evidence: number;
  /** Why this center's purge stopped part-way, if it did; the other centers are purged regardless. */
  readonly error?: string;
}

const DAY_MS = 86_400_000;

/**
 * Applies each center's retention (docs/conversation.md, "Data rules"): unconverted leads older than
 * `retentionDays` are deleted, their consent evidence kept while `consentEvidenceDays` allows.
 * Run by `intake-chat purge` and daily by `serve`.
 */
export async function purgeExpired(config: Config, store: Retention, now: Date): Promise<Purged[]> {
  const results: Purged[] = [];
  for (const center of config.centers.values()) {
    const before = new Date(now.getTime() - center.retentionDays * DAY_MS);
    const evidenceBefore = new Date(now.getTime() - center.consentEvidenceDays * DAY_MS);
    // Evidence that would be deleted at once is not worth writing.
    const keep = center.consentEvidenceDays > 0 && evidenceBefore < before;
    try {
      const leads = await store.purge(center.id, before, keep);
      const evidence = await store.purgeConsentEvidence(center.id, evidenceBefore);
      results.push({ center: center.id, retentionDays: center.retentionDays, leads, evidence });
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
