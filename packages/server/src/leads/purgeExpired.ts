import type { Config } from '../config/loadConfig.js';
import type { LeadStore } from '../store/createLeadStore.js';

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
export async function purgeExpired(config: Config, store: LeadStore, now: Date): Promise<Purged[]> {
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
