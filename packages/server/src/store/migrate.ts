import { type Migration, Migrator, sql } from 'kysely';
import type { OpenDatabase } from './openDatabase.js';

/**
 * Numbered migrations, the same for SQLite and PostgreSQL: only column types both understand
 * (text, integer), timestamps as ISO-8601 text, which sorts correctly in both.
 */
const migrations: Record<string, Migration> = {
  '0001-leads-and-outbox': {
    async up(db) {
      await db.schema
        .createTable('leads')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('center', 'text', (column) => column.notNull())
        .addColumn('idempotency_key', 'text', (column) => column.notNull())
        .addColumn('flow_id', 'text', (column) => column.notNull())
        .addColumn('flow_version', 'integer', (column) => column.notNull())
        .addColumn('locale', 'text', (column) => column.notNull())
        .addColumn('route', 'text', (column) => column.notNull())
        .addColumn('urgency', 'text', (column) => column.notNull())
        .addColumn('urgency_rank', 'integer', (column) => column.notNull())
        .addColumn('reasons', 'text', (column) => column.notNull())
        .addColumn('contact', 'text', (column) => column.notNull())
        .addColumn('answers', 'text', (column) => column.notNull())
        .addColumn('consent', 'text', (column) => column.notNull())
        .addColumn('utm', 'text')
        .addColumn('status', 'text', (column) => column.notNull().defaultTo('new'))
        .addColumn('callback_window', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        // The idempotency key is unique per center: a retried submission finds the lead it made.
        .addUniqueConstraint('leads_center_key', ['center', 'idempotency_key'])
        .execute();
      await db.schema
        .createIndex('leads_inbox')
        .on('leads')
        .columns(['center', 'status', 'urgency_rank', 'created_at'])
        .execute();
      await db.schema.createIndex('leads_age').on('leads').columns(['center', 'created_at']).execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('lead_id', 'text', (column) => column.notNull().references('leads.id').onDelete('cascade'))
        .addColumn('center', 'text', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('target', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull().defaultTo('pending'))
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (column) => column.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbox_lead').on('outbox').column('lead_id').execute();
    },
  },
  '0002-staff-audit-delivery': {
    async up(db) {
      await db.schema
        .createTable('staff')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('center', 'text', (column) => column.notNull())
        // Lower-cased; one account per address across all centers, so sign-in needs only the address.
        .addColumn('email', 'text', (column) => column.notNull().unique())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('locale', 'text', (column) => column.notNull().defaultTo('en'))
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('failed_logins', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        // The SHA-256 of the cookie's token: a copy of the table signs no one in.
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('staff_id', 'text', (column) => column.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('csrf', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('inbox_seen_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_staff').on('sessions').column('staff_id').execute();

      // Who viewed, changed or exported what. Lead ids only, never contact details or answers; kept
      // when leads are purged, since the record of access outlives the record accessed.
      await db.schema
        .createTable('audit')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('center', 'text', (column) => column.notNull())
        .addColumn('staff_email', 'text', (column) => column.notNull())
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('lead_id', 'text')
        .addColumn('detail', 'text')
        .addColumn('at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('audit_center_at').on('audit').columns(['center', 'at']).execute();

      // The lead's history: status changes and notes. Notes may hold health information: sealed.
      await db.schema
        .createTable('lead_events')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('lead_id', 'text', (column) => column.notNull().references('leads.id').onDelete('cascade'))
        .addColumn('staff_email', 'text', (column) => column.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text')
        .addColumn('note', 'text')
        .addColumn('at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('lead_events_lead').on('lead_events').columns(['lead_id', 'at']).execute();

      await db.schema.alterTable('leads').addColumn('status_changed_at', 'text').execute();
      // The first time anyone reached or tried the person: what the callback target is measured against.
      await db.schema.alterTable('leads').addColumn('contacted_at', 'text').execute();

      // A claimed job is leased: a worker that dies mid-send gives it back when the lease ends.
      await db.schema.alterTable('outbox').addColumn('locked_until', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('delivered_at', 'text').execute();

      // Consent evidence kept after a lead is purged (retention), for as long as the center configures.
      await db.schema
        .createTable('consent_evidence')
        .addColumn('lead_id', 'text', (column) => column.primaryKey())
        .addColumn('center', 'text', (column) => column.notNull())
        // Sealed: the number the consent covers, without which the evidence proves nothing.
        .addColumn('phone', 'text', (column) => column.notNull())
        .addColumn('consent', 'text', (column) => column.notNull())
        .addColumn('lead_created_at', 'text', (column) => column.notNull())
        .addColumn('purged_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('consent_evidence_age')
        .on('consent_evidence')
        .columns(['center', 'lead_created_at'])
        .execute();
    },
  },
  '0003-console-daily-work': {
    async up(db) {
      // Who is calling this person back: a staff member's address (lower-cased), or null.
      await db.schema.alterTable('leads').addColumn('assigned_to', 'text').execute();
      // Blind indexes for search: keyed hashes of the normalised phone digits and first name, so a
      // lead is found without decrypting every row, and a copy of the table reveals neither.
      await db.schema.alterTable('leads').addColumn('search_phone', 'text').execute();
      await db.schema.alterTable('leads').addColumn('search_name', 'text').execute();
      await db.schema.createIndex('leads_search_phone').on('leads').columns(['center', 'search_phone']).execute();
      await db.schema.createIndex('leads_search_name').on('leads').columns(['center', 'search_name']).execute();
      await db.schema.createIndex('leads_assigned').on('leads').columns(['center', 'assigned_to']).execute();

      // A hash of the inbox view this session last wrote to the audit log: the console polls the view on
      // screen, which is written once and then every 15 minutes, not on every poll.
      await db.schema.alterTable('sessions').addColumn('inbox_view', 'text').execute();

      await db.schema.alterTable('staff').addColumn('last_login_at', 'text').execute();
      // JSON of the person's own console settings (alerts); null for the defaults.
      await db.schema.alterTable('staff').addColumn('preferences', 'text').execute();

      // One-time links: an invitation to set a first password, or a reset. Only the token's hash is kept.
      await db.schema
        .createTable('staff_links')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('staff_id', 'text', (column) => column.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('staff_links_staff').on('staff_links').column('staff_id').execute();
    },
  },
  '0004-signin-failures': {
    async up(db) {
      // Failed sign-ins for addresses with no account, counted and locked like an account's, and kept
      // in the database like them: after a restart, or on another server of the same database, an
      // unknown address answers as a known one would. Keyed by the SHA-256 of the address.
      await db.schema
        .createTable('signin_failures')
        .addColumn('key', 'text', (column) => column.primaryKey())
        .addColumn('failures', 'integer', (column) => column.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
    },
  },
  '0005-data-keys': {
    async up(db) {
      // Every data key that has sealed anything here, by its id, with a check value sealed under it:
      // at start-up the server proves it holds each key still in use before it takes or shows a lead.
      // A key is retired once `keys rotate` has re-sealed every value it sealed.
      await db.schema
        .createTable('data_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('check_value', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('retired_at', 'text')
        .execute();
    },
  },
  '0007-staff-mfa': {
    async up(db) {
      // Two-step sign-in: the TOTP secret sealed under the data key (context `totp:<staff id>`), kept
      // while enrolment is waiting for its first code; `mfa_enabled_at` is set once a code proved it.
      // The last time step a code was taken for, so that no code signs in twice.
      await db.schema.alterTable('staff').addColumn('totp_secret', 'text').execute();
      await db.schema.alterTable('staff').addColumn('mfa_enabled_at', 'text').execute();
      await db.schema.alterTable('staff').addColumn('totp_last_step', 'integer').execute();
      // Recovery codes, shown once: only the SHA-256 of each (80 random bits) is kept.
      await db.schema
        .createTable('recovery_codes')
        .addColumn('code_hash', 'text', (column) => column.primaryKey())
        .addColumn('staff_id', 'text', (column) => column.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('recovery_codes_staff').on('recovery_codes').column('staff_id').execute();
      // A right password waiting for its code: the SHA-256 of the ticket the browser holds, for minutes.
      await db.schema
        .createTable('mfa_tickets')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('staff_id', 'text', (column) => column.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('mfa_tickets_staff').on('mfa_tickets').column('staff_id').execute();
      // What an admin sets for the whole center from the console (the config file is the operator's).
      await db.schema
        .createTable('center_settings')
        .addColumn('center', 'text', (column) => column.primaryKey())
        .addColumn('mfa_required', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('updated_by', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
    },
  },
  '0008-shared-limits': {
    async up(db) {
      // Request counts that every server of one database shares (a center's intake budget): one row per
      // key and fixed window, counted up in the row itself, deleted once the window has passed.
      await db.schema
        .createTable('rate_windows')
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('window_start', 'text', (column) => column.notNull())
        .addColumn('hits', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint('rate_windows_key', ['key', 'window_start'])
        .execute();
    },
  },
  '0009-lead-requests': {
    async up(db) {
      // A keyed hash of the request a lead was stored from: the same idempotency key with another body
      // is refused rather than answered with the first lead. Null for leads stored before.
      await db.schema.alterTable('leads').addColumn('request_hash', 'text').execute();
      // The widget's id for the conversation a request came from: staff see a correction beside the
      // request it corrects. A random token, never a cookie; null for leads stored before.
      await db.schema.alterTable('leads').addColumn('conversation_id', 'text').execute();
      await db.schema.createIndex('leads_conversation').on('leads').columns(['center', 'conversation_id']).execute();
    },
  },
  '0010-insight-counts': {
    async up(db) {
      // Conversion insight (docs/insight.md): numbers only, per center, day (in the center's time zone),
      // event and what the event concerns. No visitor, no identifier, no time finer than the day. Every
      // column but `count` is part of the key, '' where an event has no such part.
      await db.schema
        .createTable('insight_counts')
        .addColumn('center', 'text', (column) => column.notNull())
        .addColumn('day', 'text', (column) => column.notNull())
        .addColumn('event', 'text', (column) => column.notNull())
        // The step id (step, answered), the route (result) or the crisis line (crisis-link).
        .addColumn('detail', 'text', (column) => column.notNull())
        .addColumn('source', 'text', (column) => column.notNull())
        .addColumn('medium', 'text', (column) => column.notNull())
        .addColumn('campaign', 'text', (column) => column.notNull())
        .addColumn('referrer', 'text', (column) => column.notNull())
        .addColumn('count', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint('insight_counts_key', [
          'center',
          'day',
          'event',
          'detail',
          'source',
          'medium',
          'campaign',
          'referrer',
        ])
        .execute();
      // The referring site of a request, as a host name alone: requests and admissions by source.
      await db.schema.alterTable('leads').addColumn('referrer', 'text').execute();
    },
  },
};

/** The schema new tables go to: the first of the search path that exists (usually "public"). */
async function currentSchema(db: OpenDatabase['db']): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

/** Applies every migration not yet applied; returns the names applied now. */
export async function migrate({ db, schema, dialect }: OpenDatabase): Promise<string[]> {
  if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  // Kysely looks for its bookkeeping tables in every schema unless told which: name ours, so another
  // schema's tables (another test, another app on the same database) are never taken for ours.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(dialect === 'postgres' ? { migrationTableSchema: schema ?? (await currentSchema(db)) } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
