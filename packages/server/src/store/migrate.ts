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
};

/** Applies every migration not yet applied; returns the names applied now. */
export async function migrate({ db, schema }: OpenDatabase): Promise<string[]> {
  if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
