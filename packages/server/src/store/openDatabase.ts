import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Generated, Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import { ownerOnlyFile, ownerOnlyFolder } from './ownerOnly.js';
import { createSqliteWriter, type SqliteWriter } from './sqliteWriter.js';

export interface LeadsTable {
  id: string;
  center: string;
  idempotency_key: string;
  flow_id: string;
  flow_version: number;
  locale: string;
  route: string;
  urgency: string;
  /** 0 emergency ... 3 normal, so the inbox sorts by urgency with an index. */
  urgency_rank: number;
  /**
   * Sealed JSON list of reason keys: which answers led to the route, so as telling as the answers.
   * Rows stored before reasons were sealed hold the plain JSON list until `keys rotate` seals them.
   */
  reasons: string;
  /** Sealed (AES-256-GCM) JSON of the contact details. */
  contact: string;
  /** Sealed JSON of the answers by step id. */
  answers: string;
  /** JSON consent evidence: each box, text version, time, page path. Kept in clear for audits. */
  consent: string;
  utm: string | null;
  status: string;
  callback_window: string;
  created_at: string;
  status_changed_at: string | null;
  contacted_at: string | null;
  /** The assigned staff member's address, lower-cased; null while no one has the lead. */
  assigned_to: string | null;
  /** Blind index (keyed hash) of the phone's digits; null for leads stored before it existed, until backfilled. */
  search_phone: string | null;
  /** Blind index of the first name, normalised (lower case, no accents, single spaces). */
  search_name: string | null;
  /** Keyed hash (the blind index) of the request's canonical body (migration 0009); null before it. */
  request_hash: string | null;
  /** The widget's random id for the conversation the request came from; null before 0009 or if none was sent. */
  conversation_id: string | null;
  /** The host name of the site the visit came from (migration 0010); null when none was known. */
  referrer: string | null;
}

/** Conversion insight: one number per center, day, event and what it concerns (docs/insight.md). */
export interface InsightCountsTable {
  center: string;
  /** YYYY-MM-DD in the center's time zone. */
  day: string;
  event: string;
  detail: string;
  source: string;
  medium: string;
  campaign: string;
  referrer: string;
  count: number;
}

export interface OutboxTable {
  id: string;
  lead_id: string;
  center: string;
  kind: string;
  target: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  /** While a worker holds the job: until when. A job whose lease has passed may be claimed again. */
  locked_until: string | null;
  delivered_at: string | null;
}

export interface StaffTable {
  id: string;
  center: string;
  email: string;
  role: string;
  locale: string;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: string | null;
  created_at: string;
  last_login_at: string | null;
  /** JSON of the person's console settings, such as alerts. */
  preferences: string | null;
  /** Sealed TOTP secret (migration 0007): waiting for its first code while `mfa_enabled_at` is null. */
  totp_secret: string | null;
  /** When two-step sign-in was turned on; null while it is off. */
  mfa_enabled_at: string | null;
  /** The last TOTP time step a code was taken for: a code is never taken twice. */
  totp_last_step: number | null;
}

/** A one-time link to set a password: an invitation, or a reset by an admin. */
export interface StaffLinksTable {
  /** SHA-256 (hex) of the link's token. */
  id: string;
  staff_id: string;
  purpose: string;
  /** The admin who made it. */
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session cookie's token. */
  id: string;
  staff_id: string;
  csrf: string;
  created_at: string;
  expires_at: string;
  /** When this session's inbox view was last written to the audit log. */
  inbox_seen_at: string | null;
  /** A hash of the inbox view last written (migration 0003), so a polled view is not written again. */
  inbox_view: string | null;
}

export interface AuditTable {
  id: string;
  center: string;
  staff_email: string;
  action: string;
  lead_id: string | null;
  /** JSON, never contact details or answers. */
  detail: string | null;
  at: string;
}

export interface LeadEventsTable {
  id: string;
  lead_id: string;
  staff_email: string;
  from_status: string | null;
  to_status: string | null;
  /** Sealed text of a note. */
  note: string | null;
  at: string;
}

export interface ConsentEvidenceTable {
  lead_id: string;
  center: string;
  /** Sealed E.164 phone number the consent covers. */
  phone: string;
  consent: string;
  lead_created_at: string;
  purged_at: string;
}

/** Failed sign-ins for addresses that have no account (migration 0004). */
export interface SigninFailuresTable {
  /** SHA-256 (hex) of the lower-cased address. */
  key: string;
  failures: number;
  locked_until: string | null;
  updated_at: string;
}

/** The data keys that have sealed values here (migration 0005); see crypto/keyring.ts. */
export interface DataKeysTable {
  /** The key's id, as sealed values name it: a keyed hash of the key, never the key. */
  id: string;
  /** A fixed text sealed under the key: opening it proves the key is the one that id names. */
  check_value: string;
  created_at: string;
  /** When `keys rotate` found no value left sealed under the key; a retired key is no longer needed. */
  retired_at: string | null;
}

/** Recovery codes for two-step sign-in (migration 0007), each usable once. */
export interface RecoveryCodesTable {
  /** SHA-256 (hex) of the normalised code. */
  code_hash: string;
  staff_id: string;
  created_at: string;
  used_at: string | null;
}

/** A right password waiting for its second step (migration 0007). */
export interface MfaTicketsTable {
  /** SHA-256 (hex) of the ticket the browser holds. */
  id: string;
  staff_id: string;
  created_at: string;
  expires_at: string;
}

/** What an admin sets for the whole center from the console (migration 0007). */
export interface CenterSettingsTable {
  center: string;
  /** 1: everyone signs in with a code from an app. */
  mfa_required: number;
  updated_by: string;
  updated_at: string;
}

/** Shared request counts per key and fixed window (migration 0008); see http/createSharedRateLimiter.ts. */
export interface RateWindowsTable {
  /** What is counted, such as `center:riverbend`; never a client address. */
  key: string;
  /** The window's start (ISO 8601). */
  window_start: string;
  hits: number;
}

export interface Schema {
  leads: LeadsTable;
  outbox: OutboxTable;
  staff: StaffTable;
  sessions: SessionsTable;
  audit: AuditTable;
  lead_events: LeadEventsTable;
  consent_evidence: ConsentEvidenceTable;
  staff_links: StaffLinksTable;
  signin_failures: SigninFailuresTable;
  data_keys: DataKeysTable;
  rate_windows: RateWindowsTable;
  recovery_codes: RecoveryCodesTable;
  mfa_tickets: MfaTicketsTable;
  center_settings: CenterSettingsTable;
  insight_counts: InsightCountsTable;
}

export type Dialect = 'sqlite' | 'postgres';

export interface OpenDatabase {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  /** The PostgreSQL schema in use, if not the default. */
  readonly schema?: string;
  /** Where the data lives, for start-up messages: a file path, or the PostgreSQL URL without password. */
  readonly where: string;
  /** SQLite: the thread that writes incoming leads (`createSqliteWriter`), ended with the database. */
  readonly writer?: SqliteWriter;
}

export interface DatabaseOptions {
  /** A `postgres://` URL; without one, an SQLite file in `dataDir`. */
  readonly url?: string | undefined;
  readonly dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests run each in its own. */
  readonly schema?: string;
  /**
   * SQLite only, for measuring: `normal` skips the fsync per commit, so a power cut (not a crash of
   * the process) can lose the last acknowledged leads. `INTAKE_SQLITE_SYNC=normal` sets it.
   */
  readonly synchronous?: 'full' | 'normal';
}

/**
 * One query layer for both stores. SQLite runs in WAL mode with `synchronous=FULL`: a 201 is sent
 * only after the commit has reached the disk, so even a power cut keeps every acknowledged lead.
 */
export function openDatabase(options: DatabaseOptions): OpenDatabase {
  if (options.url) {
    const { schema } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
    // The search path is a connection parameter, set by the server as each connection starts: no
    // query can run before it, and a bad value fails the connection instead of passing silently.
    const pool = new pg.Pool({
      connectionString: options.url,
      max: 10,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    const where = new URL(options.url);
    where.password = '';
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', where: where.href, ...(schema === undefined ? {} : { schema }) };
  }
  ownerOnlyFolder(options.dataDir);
  const file = join(options.dataDir, 'intake-chat.sqlite');
  ownerOnlyFile(file);
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma(options.synchronous === 'normal' ? 'synchronous = NORMAL' : 'synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const writer = createSqliteWriter(file, options.synchronous);
  return {
    db: new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(database, writer) }) }),
    dialect: 'sqlite',
    where: file,
    writer,
  };
}

/**
 * Kysely prepares every query anew; the same few statements run for every lead, so keep them
 * prepared (better-sqlite3 statements are reusable). The cache is bounded: queries with a varying
 * number of values make new texts.
 */
function withStatementCache(database: Database.Database, writer: SqliteWriter): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    // Destroying the Kysely instance ends the writer's thread too, once its writes are done, and
    // closes this connection after them: a batch just committed may still look a lead up here.
    close: () => {
      void writer.close().then(() => database.close());
    },
    prepare(text) {
      let statement = statements.get(text);
      if (statement === undefined) {
        if (statements.size >= 256) statements.clear();
        // Kysely begins every transaction with a plain BEGIN, which takes the write lock only at the
        // first write. With the writer's thread committing on its own connection, a transaction here
        // that read first would then find its snapshot stale and fail at once (SQLITE_BUSY_SNAPSHOT,
        // which busy_timeout does not wait out): it takes the lock at the start instead.
        statement = database.prepare(text === 'begin' ? 'begin immediate' : text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}
