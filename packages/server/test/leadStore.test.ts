import { randomBytes } from 'node:crypto';
import { type Lead, leadSchema } from '@intake-chat/engine/schema';
import {
  type CenterConfig,
  createLeadStore,
  createRetention,
  createSealer,
  KeyReusedError,
  type LeadStore,
  loadConfig,
  migrate,
  purgeExpired,
  type Retention,
} from '@intake-chat/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenDatabase, storageBackends, type TestDatabase } from './support/testDatabases.js';
import { type LeadOverrides, validLead, visitor } from './support/validLead.js';

type Job = { kind: 'webhook' | 'email'; target: string };

const dataKey = randomBytes(32);
const jobs: Job[] = [
  { kind: 'webhook', target: 'https://crm.riverbend.example/hooks/intake' },
  { kind: 'webhook', target: 'https://backup.riverbend.example/hooks/intake' },
  { kind: 'email', target: 'admissions@riverbend.example' },
];

/** A lead as the server stores it after its own triage. */
function decided(overrides: LeadOverrides = {}, jobsToWrite: Job[] = jobs) {
  const lead: Lead = leadSchema.parse(validLead(overrides));
  return {
    lead,
    route: 'withdrawal-first',
    urgency: 'urgent' as const,
    reasons: ['daily-alcohol', 'withdrawal-signs'],
    callbackWindow: 'within 15 minutes',
    jobs: jobsToWrite,
  };
}

const backends = await storageBackends();

for (const backend of backends) {
  // PostgreSQL is skipped only outside CI when no server answers; storageBackends() has warned loudly.
  describe.skipIf(backend.skipped !== undefined)(`the lead store on ${backend.name}`, () => {
    let testDatabase: TestDatabase;
    let database: OpenDatabase;
    let store: LeadStore;
    let retention: Retention;
    let applied: string[];
    let clock: Date;

    beforeEach(async () => {
      testDatabase = await backend.open();
      database = testDatabase.database;
      applied = await migrate(database);
      clock = new Date('2026-03-16T15:00:00.000Z');
      store = createLeadStore(database, createSealer(dataKey), () => clock);
      retention = createRetention(database, createSealer(dataKey), () => clock);
    });

    afterEach(async () => {
      await testDatabase.dispose();
    });

    const outboxOf = (leadId: string) =>
      database.db.selectFrom('outbox').select(['kind', 'target', 'status']).where('lead_id', '=', leadId).execute();

    it('applies its migrations to an empty database, and nothing the second time', async () => {
      expect(applied).not.toHaveLength(0);
      expect(await migrate(database)).toEqual([]);
      expect(await store.count()).toBe(0);
    });

    it('reads a saved lead back with its contact and answers decrypted and its triage as given', async () => {
      const toStore = decided();
      const saved = await store.save(toStore);
      expect(saved).toEqual({ id: expect.any(String), callbackWindow: 'within 15 minutes', created: true });

      const found = await store.find('riverbend', saved.id);
      expect(found).toMatchObject({
        id: saved.id,
        center: 'riverbend',
        createdAt: '2026-03-16T15:00:00.000Z',
        flow: { id: 'iop-intake', version: 1 },
        locale: 'en',
        route: 'withdrawal-first',
        urgency: 'urgent',
        reasons: ['daily-alcohol', 'withdrawal-signs'],
        status: 'new',
        callbackWindow: 'within 15 minutes',
      });
      expect(found?.contact).toEqual(toStore.lead.contact);
      expect(found?.contact.phone).toBe(visitor.phoneE164);
      expect(found?.answers).toEqual(toStore.lead.answers);
      expect(found?.consent).toEqual({
        call: true,
        text: false,
        textVersion: '2026-12-riverbend-call-v1',
        at: '2026-03-16T15:00:00.000Z',
        page: '/admissions',
      });
    });

    it('finds a lead only under its own center', async () => {
      const { id } = await store.save(decided());
      expect(await store.find('lakeside', id)).toBeNull();
      expect(await store.find('riverbend', crypto.randomUUID())).toBeNull();
    });

    it('keeps contact details and answers unreadable in the table itself', async () => {
      const { id } = await store.save(decided({ answers: { substances: ['opioids'], coverage: 'military' } }));
      const row = await database.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const raw = JSON.stringify(row);
      for (const secret of [visitor.name, visitor.phone, visitor.phoneE164, '5550142']) {
        expect(raw).not.toContain(secret);
      }
      // Each value names the key that sealed it, and the triage reasons are sealed like the answers.
      for (const sealed of [row.contact, row.answers, row.reasons]) expect(sealed).toMatch(/^v2\.k[\w-]{10}\./);
      for (const answer of ['opioids', 'military', 'caregiving']) expect(row.answers).not.toContain(answer);
      expect(row.reasons).not.toMatch(/alcohol|withdrawal/);
    });

    it('refuses to open contact details moved from another lead', async () => {
      const first = await store.save(decided());
      const second = await store.save(decided({ contact: { name: 'Dana' } }));
      const { contact } = await database.db
        .selectFrom('leads')
        .select('contact')
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow();
      await database.db.updateTable('leads').set({ contact }).where('id', '=', second.id).execute();

      await expect(store.find('riverbend', second.id)).rejects.toThrow(/cannot be read/);
      expect((await store.find('riverbend', first.id))?.contact.name).toBe(visitor.name);
    });

    it('stores a lead once per idempotency key and answers a retry with the same id', async () => {
      const toStore = decided();
      const first = await store.save(toStore);
      clock = new Date('2026-03-16T15:05:00.000Z');
      const retry = await store.save({ ...toStore, callbackWindow: 'after 8:00 AM tomorrow (Central Time)' });

      expect(retry).toEqual({ id: first.id, callbackWindow: 'within 15 minutes', created: false });
      expect(await store.count()).toBe(1);
      expect(await outboxOf(first.id)).toHaveLength(jobs.length);
      expect(await database.db.selectFrom('outbox').selectAll().execute()).toHaveLength(jobs.length);
    });

    it('stores a lead once when the same key arrives twice at the same moment', async () => {
      const toStore = decided();
      const results = await Promise.all([store.save(toStore), store.save(toStore)]);

      expect(new Set(results.map((result) => result.id)).size).toBe(1);
      expect(results.map((result) => result.created).sort()).toEqual([false, true]);
      expect(await store.count()).toBe(1);
      expect(await database.db.selectFrom('outbox').selectAll().execute()).toHaveLength(jobs.length);
    });

    it('answers each of many leads arriving together on its own: new ones stored, a retry found, a reused key refused', async () => {
      const earlier = decided();
      const { id: earlierId } = await store.save(earlier);
      const fresh = Array.from({ length: 20 }, () => decided());
      const reused = decided({ idempotencyKey: earlier.lead.idempotencyKey, contact: { name: 'Someone else' } });

      // Saved in the same turn of the event loop, so written as one batch.
      const results = await Promise.allSettled([
        ...fresh.map((toStore) => store.save(toStore)),
        store.save(earlier),
        store.save(reused),
      ]);

      const values = results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason));
      const stored = values.slice(0, 20);
      expect(stored.every((saved) => saved.created === true)).toBe(true);
      expect(new Set(stored.map((saved) => saved.id)).size).toBe(20);
      expect(values[20]).toEqual({ id: earlierId, callbackWindow: 'within 15 minutes', created: false });
      expect(values[21]).toBeInstanceOf(KeyReusedError);
      expect(await store.count()).toBe(21);
      // The jobs of each lead stored, and none for the retry or the refused request.
      expect(await database.db.selectFrom('outbox').selectAll().execute()).toHaveLength(21 * jobs.length);
      for (const saved of stored) expect(await outboxOf(saved.id)).toHaveLength(jobs.length);
    });

    it('lets another center use the same idempotency key for its own lead', async () => {
      const idempotencyKey = crypto.randomUUID();
      const riverbend = await store.save(decided({ idempotencyKey }));
      const lakeside = await store.save(decided({ idempotencyKey, center: 'lakeside' }));

      expect(lakeside.created).toBe(true);
      expect(lakeside.id).not.toBe(riverbend.id);
      expect(await store.count('riverbend')).toBe(1);
      expect(await store.count('lakeside')).toBe(1);
    });

    it('writes one pending delivery job per webhook and alert e-mail with the lead', async () => {
      const { id } = await store.save(decided());
      const written = await outboxOf(id);

      expect(written.filter((job) => job.kind === 'webhook')).toHaveLength(2);
      expect(written.filter((job) => job.kind === 'email')).toHaveLength(1);
      expect(written.map((job) => job.target).sort()).toEqual(jobs.map((job) => job.target).sort());
      expect(written.every((job) => job.status === 'pending')).toBe(true);
    });

    it('stores a lead without jobs when the center has no webhook or e-mail', async () => {
      const { id } = await store.save(decided({}, []));
      expect(await outboxOf(id)).toEqual([]);
      expect(await store.find('riverbend', id)).not.toBeNull();
    });

    it('lists more than one page of leads, oldest first, from the given time on', async () => {
      clock = new Date('2026-03-01T00:00:00.000Z');
      await store.save(decided()); // before `since`
      await store.save(decided({ center: 'lakeside' }));
      const since = new Date('2026-03-02T00:00:00.000Z');
      const saved: { id: string; createdAt: string }[] = [];
      for (let i = 0; i < 1100; i++) {
        // Several leads share each millisecond, so pages also break inside a run of equal times.
        clock = new Date(since.getTime() + Math.floor(i / 7));
        const { id } = await store.save(decided({}, []));
        saved.push({ id, createdAt: clock.toISOString() });
      }

      const listed: { id: string; createdAt: string }[] = [];
      for await (const lead of store.list('riverbend', since)) listed.push({ id: lead.id, createdAt: lead.createdAt });

      const expected = [...saved].sort((a, b) =>
        a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
      );
      expect(listed).toHaveLength(1100);
      expect(listed).toEqual(expected);
    });

    it('purges only unconverted leads older than the cutoff, with their delivery jobs', async () => {
      clock = new Date('2025-11-01T00:00:00.000Z');
      const stale = await store.save(decided());
      const admitted = await store.save(decided());
      const otherCenter = await store.save(decided({ center: 'lakeside' }));
      await database.db.updateTable('leads').set({ status: 'admitted' }).where('id', '=', admitted.id).execute();
      clock = new Date('2026-03-16T15:00:00.000Z');
      const recent = await store.save(decided());

      expect(await retention.purge('riverbend', new Date('2026-01-01T00:00:00.000Z'))).toEqual({
        leads: 1,
        unreadable: 0,
      });

      expect(await store.find('riverbend', stale.id)).toBeNull();
      expect(await outboxOf(stale.id)).toEqual([]);
      for (const kept of [admitted, recent]) {
        expect(await store.find('riverbend', kept.id)).not.toBeNull();
        expect(await outboxOf(kept.id)).toHaveLength(jobs.length);
      }
      expect(await store.find('lakeside', otherCenter.id)).not.toBeNull();
      expect(await store.count()).toBe(3);
    });

    it('keeps sealed consent evidence of purged leads for as long as the center says, then deletes it', async () => {
      const config = loadConfig(undefined, {});
      const riverbend = config.centers.get('riverbend') as CenterConfig;
      const centers = new Map([['riverbend', { ...riverbend, retentionDays: 90, consentEvidenceDays: 365 }]]);
      clock = new Date('2026-01-10T09:00:00.000Z');
      const old = await store.save(decided());
      await database.db
        .insertInto('lead_events')
        .values({
          id: 'e1',
          lead_id: old.id,
          staff_email: 'sam@riverbend.example',
          note: 'sealed',
          at: clock.toISOString(),
        })
        .execute();
      clock = new Date('2026-06-01T09:00:00.000Z');
      const fresh = await store.save(decided());

      const purged = await purgeExpired({ ...config, centers }, retention, clock);
      expect(purged).toEqual([{ center: 'riverbend', retentionDays: 90, leads: 1, evidence: 0 }]);
      expect(await store.find('riverbend', old.id)).toBeNull();
      expect(await store.find('riverbend', fresh.id)).not.toBeNull();
      expect(await database.db.selectFrom('lead_events').selectAll().execute()).toEqual([]);
      const [evidence, ...more] = await database.db.selectFrom('consent_evidence').selectAll().execute();
      expect(more).toEqual([]);
      expect(evidence).toMatchObject({
        lead_id: old.id,
        center: 'riverbend',
        lead_created_at: '2026-01-10T09:00:00.000Z',
      });
      expect(JSON.parse(evidence?.consent ?? '{}')).toMatchObject({ call: true, textVersion: expect.any(String) });
      // The number the consent covers is kept sealed, never in clear.
      expect(evidence?.phone).not.toContain(visitor.phoneE164.slice(2));
      expect(createSealer(dataKey).open(evidence?.phone ?? '', old.id)).toBe(visitor.phoneE164);

      // A year after the old lead was submitted its evidence goes too.
      const later = await purgeExpired({ ...config, centers }, retention, new Date('2027-01-11T00:00:00.000Z'));
      expect(later[0]).toMatchObject({ leads: 1, evidence: 1 });
      expect(await database.db.selectFrom('consent_evidence').select('lead_id').execute()).toEqual([
        { lead_id: fresh.id },
      ]);

      // consentEvidenceDays 0 keeps none.
      clock = new Date('2026-01-10T09:00:00.000Z');
      await store.save(decided());
      const none = new Map([['riverbend', { ...riverbend, consentEvidenceDays: 0 }]]);
      await purgeExpired({ ...config, centers: none }, retention, new Date('2027-02-01T00:00:00.000Z'));
      expect(await database.db.selectFrom('consent_evidence').select('lead_id').execute()).toEqual([]);
    });

    it('counts leads per center and in all', async () => {
      await store.save(decided());
      await store.save(decided());
      await store.save(decided({ center: 'lakeside' }));

      expect(await store.count('riverbend')).toBe(2);
      expect(await store.count('lakeside')).toBe(1);
      expect(await store.count('nowhere')).toBe(0);
      expect(await store.count()).toBe(3);
    });

    it('answers a ping while open, and not after closing', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toThrow();
    });
  });
}
