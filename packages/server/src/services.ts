import { type AuditLog, createAuditLog } from './audit/createAuditLog.js';
import type { Sealer } from './crypto/createSealer.js';
import { createDataKeys, type DataKeys } from './crypto/dataKeys.js';
import { createOutbox, type Outbox } from './delivery/createOutbox.js';
import { createInsightStore, type InsightStore } from './insight/createInsightStore.js';
import { createLeadStore, type LeadStore } from './leads/createLeadStore.js';
import { createRetention, type Retention } from './leads/retention.js';
import { createStaffStore, type StaffStore } from './staff/createStaffStore.js';
import type { OpenDatabase } from './store/openDatabase.js';

/** The modules that own the tables, one each, over one database. */
export interface Services {
  readonly database: OpenDatabase;
  /** `leads` and `lead_events`: taking leads, the workflow, notes and history. */
  readonly leads: LeadStore;
  /** `outbox`: delivery jobs. */
  readonly outbox: Outbox;
  /** `audit`: who viewed, changed or exported what. */
  readonly audit: AuditLog;
  /** `staff`, `sessions`, `recovery_codes`, `mfa_tickets` and `center_settings`: console accounts and sign-ins. */
  readonly staff: StaffStore;
  /** `consent_evidence` and the deleting of what is past its time. */
  readonly retention: Retention;
  /** `data_keys`: which keys sealed what is stored, and the proof that this server holds them. */
  readonly dataKeys: DataKeys;
  /** `insight_counts`: the anonymous day counts of the conversation (docs/insight.md). */
  readonly insight: InsightStore;
}

/** Wires the services for `startServer`, the CLI and the tests alike. */
export function createServices(database: OpenDatabase, sealer: Sealer, now: () => Date = () => new Date()): Services {
  return {
    database,
    leads: createLeadStore(database, sealer, now),
    outbox: createOutbox(database, now),
    audit: createAuditLog(database, now),
    staff: createStaffStore(database, now, { sealer }),
    retention: createRetention(database, sealer, now),
    dataKeys: createDataKeys(database.db, sealer, now),
    insight: createInsightStore(database),
  };
}
