import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CenterConfig,
  createDataKeys,
  createSealer,
  loadConfig,
  openDatabase,
  purgeExpired,
  resolveDataKey,
  rotateKeys,
  runCli,
  startServer,
} from '@intake-chat/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type Browser, twoCenters, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';
import { visitor } from './support/validLead.js';

interface Row {
  id: string;
  name: string;
  unreadable?: true;
}

const inboxOf = async (session: Browser) =>
  (await session.get<{ leads: Row[]; total: number }>('/admin/api/leads?view=all')).body;
const searchFor = async (session: Browser, q: string) =>
  (await session.post<{ leads: Row[] }>('/admin/api/leads/search', { q, view: 'all' })).body.leads.map((row) => row.id);

describe.each(await storageBackends())('data keys on $name', (backend) => {
  describe.skipIf(backend.skipped)('the keyring', () => {
    const server = useConsoleApp(backend);

    it('a restart with a different valid key is refused with the key the leads need, and back on the first key the inbox reads', async () => {
      await server.addStaff('sam@riverbend.example');
      const lead = await server.submit();
      const wrongKey = randomBytes(32);
      const storedKey = createSealer(server.dataKey).currentKeyId;

      // The operator pastes the wrong key: the server will not start on it.
      await expect(server.restartWith([wrongKey])).rejects.toThrow(
        new RegExp(`data key ${storedKey}.*INTAKE_OLD_DATA_KEYS.*keys rotate`),
      );
      // Nothing was recorded under the wrong key, so the first key still starts and reads everything.
      const keys = await server.database.db.selectFrom('data_keys').select('id').execute();
      expect(keys.map((key) => key.id)).toEqual([storedKey]);
      await server.restartWith([server.dataKey]);
      const sam = await server.signIn('sam@riverbend.example');
      expect((await inboxOf(sam)).leads.map((row) => [row.id, row.name])).toEqual([[lead, visitor.name]]);
    });

    it('a new key with the old one kept reads old and new leads and finds both by phone; rotate re-seals, re-indexes and retires the old key', async () => {
      await server.addStaff('sam@riverbend.example');
      const sam = await server.signIn('sam@riverbend.example');
      const before = await server.submit();
      expect((await sam.post(`/admin/api/leads/${before}/notes`, { note: 'Asked for an evening call' })).status).toBe(
        200,
      );
      const oldKey = server.dataKey;
      const newKey = randomBytes(32);
      // Sam's two-step sign-in secret, sealed under the old key as enrolment seals it.
      const samId = (await server.services.staff.findByEmail('sam@riverbend.example'))?.id as string;
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      await server.database.db
        .updateTable('staff')
        .set({ totp_secret: createSealer(oldKey).seal(secret, `totp:${samId}`) })
        .where('id', '=', samId)
        .execute();

      await server.restartWith([newKey, oldKey]);
      const after = await server.submit();
      const sam2 = await server.signIn('sam@riverbend.example');
      expect((await inboxOf(sam2)).leads.map((row) => row.name)).toEqual([visitor.name, visitor.name]);
      // Indexed under two keys, found by one search.
      expect((await searchFor(sam2, visitor.phone)).sort()).toEqual([before, after].sort());

      const sealer = createSealer([newKey, oldKey]);
      const rotation = await rotateKeys(
        server.database.db,
        sealer,
        createDataKeys(server.database.db, sealer, server.now),
        {
          batch: 1,
          now: server.now,
        },
      );
      expect(rotation.unreadable).toBe(0);
      expect(rotation.resealed.get('riverbend')).toEqual({ leads: 1, notes: 1, evidence: 0, secrets: 1 });
      expect(rotation.retired).toEqual([createSealer(oldKey).currentKeyId]);
      expect(await server.auditEntries({ action: 'keys.rotate' })).toEqual([
        expect.objectContaining({ staffEmail: 'cli', detail: expect.objectContaining({ leads: 1, notes: 1 }) }),
      ]);

      const sealedSecret = await server.database.db
        .selectFrom('staff')
        .select('totp_secret')
        .where('id', '=', samId)
        .executeTakeFirstOrThrow();
      expect(createSealer(newKey).open(sealedSecret.totp_secret ?? '', `totp:${samId}`)).toBe(secret);

      // The old key can go: everything opens, is found and shows its note under the new key alone.
      await server.restartWith([newKey]);
      const sam3 = await server.signIn('sam@riverbend.example');
      expect((await inboxOf(sam3)).leads.every((row) => row.name === visitor.name)).toBe(true);
      expect((await searchFor(sam3, visitor.phone)).sort()).toEqual([before, after].sort());
      const detail = await sam3.get<{ history: { note: string | null }[] }>(`/admin/api/leads/${before}`);
      expect(detail.body.history.map((entry) => entry.note)).toContain('Asked for an evening call');
      // Run again, it finds nothing left to do.
      const again = await rotateKeys(
        server.database.db,
        createSealer([newKey]),
        createDataKeys(server.database.db, createSealer([newKey]), server.now),
        { now: server.now },
      );
      expect(again.resealed.size).toBe(0);
    });

    it('one lead sealed under a key this server lacks never fails the inbox; its detail says why; the export reports it and is audited', async () => {
      await server.addStaff('ada@riverbend.example', 'riverbend', 'admin');
      const readable = await server.submit();
      const stranger = await server.submit({ contact: { name: 'Jo' } });
      // Another server, started with a key this one was never given, wrote this lead.
      const other = createSealer(randomBytes(32));
      await server.database.db
        .updateTable('leads')
        .set({ contact: other.seal({ name: 'Jo' }, stranger) })
        .where('id', '=', stranger)
        .execute();
      const ada = await server.signIn('ada@riverbend.example');

      const inbox = await inboxOf(ada);
      expect(inbox.total).toBe(2);
      expect(inbox.leads.find((row) => row.id === readable)).toMatchObject({ name: visitor.name });
      expect(inbox.leads.find((row) => row.id === stranger)).toMatchObject({ name: '', unreadable: true });

      const detail = await ada.get(`/admin/api/leads/${stranger}`);
      expect(detail.status).toBe(409);
      expect(detail.body).toMatchObject({ error: { code: 'lead_unreadable' } });
      expect(detail.text).toContain(other.currentKeyId);

      const exported = await ada.get<string>('/admin/api/export.csv?since=2026-01-01');
      expect(exported.status).toBe(200);
      expect(exported.text).toContain(readable);
      expect(exported.text).toContain(stranger);
      expect(exported.text).toContain('cannot be read with the current data keys');
      expect(exported.text).not.toContain('Jo,');
      const json = await ada.get<{ leads: { id: string; name: string }[] }>('/admin/api/export.json?since=2026-01-01');
      expect(json.body.leads.map((lead) => [lead.id, lead.name])).toEqual([
        [readable, visitor.name],
        [stranger, ''],
      ]);
      expect(await server.auditEntries({ actionPrefix: 'leads.export' })).toEqual([
        expect.objectContaining({ action: 'leads.export' }),
        expect.objectContaining({
          action: 'leads.export.unreadable',
          detail: expect.objectContaining({ ids: [stranger] }),
        }),
        expect.objectContaining({ action: 'leads.export' }),
        expect.objectContaining({
          action: 'leads.export.unreadable',
          detail: expect.objectContaining({ ids: [stranger] }),
        }),
      ]);
    });

    it('the retention purge keeps a lead whose phone no key opens, rather than lose its consent evidence', async () => {
      const readable = await server.submit();
      const stranger = await server.submit();
      await server.database.db
        .updateTable('leads')
        .set({ contact: createSealer(randomBytes(32)).seal({ phone: '+13125550100' }, stranger) })
        .where('id', '=', stranger)
        .execute();
      const riverbend = twoCenters().centers.get('riverbend') as CenterConfig;
      const centers = new Map([['riverbend', { ...riverbend, retentionDays: 1, consentEvidenceDays: 365 }]]);
      const purged = await purgeExpired(
        { ...twoCenters(), centers },
        server.services.retention,
        new Date('2027-01-01'),
      );
      expect(purged).toEqual([{ center: 'riverbend', retentionDays: 1, leads: 1, evidence: 0, unreadable: 1 }]);
      const left = await server.database.db.selectFrom('leads').select('id').execute();
      expect(left.map((row) => row.id)).toEqual([stranger]);
      const evidence = await server.database.db.selectFrom('consent_evidence').select('lead_id').execute();
      expect(evidence.map((row) => row.lead_id)).toEqual([readable]);
    });

    it('a server whose database another server has started sealing with a key it lacks stops answering ready', async () => {
      expect((await server.request('/readyz')).status).toBe(200);
      const newcomer = createSealer(randomBytes(32));
      await server.database.db
        .insertInto('data_keys')
        .values({
          id: newcomer.currentKeyId,
          check_value: 'x',
          created_at: server.now().toISOString(),
          retired_at: null,
        })
        .execute();
      const ready = await server.request('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ error: { code: 'data_key_missing' } });
      expect(ready.text).toContain(newcomer.currentKeyId);
    });

    it('values sealed before key ids, and reasons kept in clear, still read; the key is recorded; rotate brings them up to date', async () => {
      await server.addStaff('sam@riverbend.example');
      const id = await server.submit();
      const row = await server.database.db
        .selectFrom('leads')
        .select(['contact', 'answers', 'reasons'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      // Reasons are sealed now; the lead's triage says nothing in clear.
      expect(row.reasons).toMatch(/^v2\./);
      // The same lead as a server before key ids would have stored it.
      const keyless = (sealed: string) => `v1.${sealed.split('.')[2]}`;
      const reasons = createSealer(server.dataKey).open<string[]>(row.reasons, id);
      await server.database.db
        .updateTable('leads')
        .set({ contact: keyless(row.contact), answers: keyless(row.answers), reasons: JSON.stringify(reasons) })
        .where('id', '=', id)
        .execute();
      await server.database.db.deleteFrom('data_keys').execute();

      await server.restartWith([server.dataKey]);
      const sam = await server.signIn('sam@riverbend.example');
      const detail = await sam.get<{ name: string; reasons: { key: string }[] }>(`/admin/api/leads/${id}`);
      expect(detail.body.name).toBe(visitor.name);
      expect(detail.body.reasons.map((reason) => reason.key)).toEqual(reasons);
      // The key that opens them was recorded: a restart without it is refused, though the values name none.
      const keyId = createSealer(server.dataKey).currentKeyId;
      await expect(server.restartWith([randomBytes(32)])).rejects.toThrow(new RegExp(`data key ${keyId}`));

      const sealer = createSealer(server.dataKey);
      await rotateKeys(server.database.db, sealer, createDataKeys(server.database.db, sealer, server.now), {
        now: server.now,
      });
      const rotated = await server.database.db
        .selectFrom('leads')
        .select(['contact', 'answers', 'reasons'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      for (const value of Object.values(rotated)) expect(value.startsWith(`v2.${sealer.currentKeyId}.`)).toBe(true);
    });
  });
});

describe('the server on disk', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  const freshFolder = () => {
    const parent = mkdtempSync(join(tmpdir(), 'intake-keys-'));
    folders.push(parent);
    return join(parent, 'data');
  };

  it('makes the data folder, the database and the development key for its user alone, even under umask 000', async () => {
    const dataDir = freshFolder();
    const umask = process.umask(0);
    try {
      resolveDataKey({}, dataDir);
      const { db } = openDatabase({ dataDir });
      await db.destroy();
    } finally {
      process.umask(umask);
    }
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'intake-chat.sqlite'))).toBe(0o600);
    expect(mode(join(dataDir, 'dev-data-key'))).toBe(0o600);
  });

  it('refuses to start on a key that does not open the stored leads, and says which key and how to supply it', async () => {
    const dataDir = freshFolder();
    const config = loadConfig(undefined, {});
    const first = randomBytes(32).toString('base64');
    const log = () => {};
    const running = await startServer({ config, port: 0, dataDir, env: { INTAKE_DATA_KEY: first }, log });
    const taken = await fetch(`${running.url}/readyz`);
    expect(taken.status).toBe(200);
    await running.services.leads.count();
    await running.close();

    const lines: string[] = [];
    const code = await runCli(['serve', '--port', '0', '--data', dataDir], {
      env: { INTAKE_DATA_KEY: randomBytes(32).toString('base64') },
      stdout: (text) => lines.push(text),
      stderr: (text) => lines.push(text),
      stopped: new Promise(() => {}),
    });
    expect(code).toBe(1);
    expect(lines.join('')).toContain(`data key ${createSealer(Buffer.from(first, 'base64')).currentKeyId}`);
    expect(lines.join('')).toContain('INTAKE_OLD_DATA_KEYS');
  });

  it('`keys status` names each key and whether this environment holds it; `keys rotate` re-seals under the new key', async () => {
    const dataDir = freshFolder();
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const run = async (args: string[], env: Record<string, string>) => {
      const out: string[] = [];
      const code = await runCli(args, {
        env,
        stdout: (text) => out.push(text),
        stderr: (text) => out.push(text),
        stopped: Promise.resolve(),
      });
      return { code, text: out.join('') };
    };
    const oldId = createSealer(Buffer.from(oldKey, 'base64')).currentKeyId;
    const newId = createSealer(Buffer.from(newKey, 'base64')).currentKeyId;
    const config = loadConfig(undefined, {});
    const first = await startServer({ config, port: 0, dataDir, env: { INTAKE_DATA_KEY: oldKey }, log: () => {} });
    await first.close();

    const missing = await run(['keys', 'status', '--data', dataDir], { INTAKE_DATA_KEY: newKey });
    expect(missing.code).toBe(1);
    expect(missing.text).toMatch(new RegExp(`${oldId}.*MISSING`));
    const both = { INTAKE_DATA_KEY: newKey, INTAKE_OLD_DATA_KEYS: oldKey };
    const held = await run(['keys', 'status', '--data', dataDir], both);
    expect(held).toMatchObject({ code: 0 });
    expect(held.text).toMatch(new RegExp(`${oldId}.*held \\(INTAKE_OLD_DATA_KEYS\\)`));
    expect(held.text).toMatch(new RegExp(`${newId}.*held \\(INTAKE_DATA_KEY\\)`));
    const rotated = await run(['keys', 'rotate', '--data', dataDir], both);
    expect(rotated.code).toBe(0);
    expect(rotated.text).toContain(`Key ${oldId} seals nothing any more`);
    expect((await run(['keys', 'rotate', '--batch', 'lots', '--data', dataDir], both)).code).toBe(2);
  });
});
