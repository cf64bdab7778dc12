import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStaffStore, LOCK_AFTER, migrate } from '@intake-chat/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildServerIfStale,
  type ChildServer,
  createDataDir,
  removeDataDir,
  startChildServer,
} from './support/childServer.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/deliveryReceivers.js';
import { storageBackends, type TestDatabase } from './support/testDatabases.js';
import { validLead } from './support/validLead.js';

const postgres = (await storageBackends()).find((backend) => backend.name === 'PostgreSQL');
const CENTER_LIMIT = 100;
const PASSWORD = 'correct horse battery staple';

/** A lead sent from its own client address (through the one proxy the servers trust). */
function send(server: ChildServer, body: string, address: string): Promise<Response> {
  return fetch(`${server.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body,
    signal: AbortSignal.timeout(10_000),
  });
}

const addressOf = (n: number) => `198.51.100.${(n % 250) + 1}`;

/**
 * Two `intake-chat serve` processes on one PostgreSQL database, as two instances behind a load
 * balancer: what one does, the other must see.
 */
describe.skipIf(postgres?.skipped !== undefined)('two servers on one PostgreSQL database', () => {
  let opened: TestDatabase;
  let receiver: WebhookReceiver;
  let servers: ChildServer[] = [];
  const dataDir = createDataDir();

  beforeAll(async () => {
    await buildServerIfStale();
    if (postgres === undefined) throw new Error('no PostgreSQL backend');
    opened = await postgres.open();
    await migrate(opened.database);
    receiver = await startWebhookReceiver();
    const config = JSON.parse(readFileSync('packages/server/config/demo.json', 'utf8'));
    const [riverbend] = config.centers;
    riverbend.webhooks = [{ url: receiver.url, secretEnv: 'RIVERBEND_WEBHOOK_SECRET' }];
    // A second center with no webhook, for the intake budget.
    config.centers.push({ ...riverbend, id: 'lakeside', name: 'Lakeside Recovery', webhooks: undefined });
    writeFileSync(join(dataDir, 'centers.json'), JSON.stringify(config));
    const url = new URL(opened.database.where);
    url.searchParams.set('options', `-c search_path=${opened.database.schema}`);
    const env = {
      DATABASE_URL: url.href,
      INTAKE_CONFIG: join(dataDir, 'centers.json'),
      RIVERBEND_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
      INTAKE_RATE_LIMIT: 'on',
      INTAKE_CENTER_LEADS_PER_MINUTE: String(CENTER_LIMIT),
      INTAKE_TRUST_PROXY: '1',
    };
    servers = await Promise.all([0, 1].map(() => startChildServer({ dataDir: createDataDir(), env })));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    for (const server of servers) removeDataDir(server.dataDir);
    removeDataDir(dataDir);
    await receiver?.close();
    await opened?.dispose();
  });

  it('stores each lead once, whichever server takes it or its retry, and delivers each webhook once', async () => {
    const bodies = Array.from({ length: 20 }, () => JSON.stringify(validLead()));
    // Each lead to one server and its retry (the same body and key) to the other, all at once.
    const answers = await Promise.all(
      bodies.flatMap((body, i) => [
        send(servers[i % 2] as ChildServer, body, addressOf(i)),
        send(servers[(i + 1) % 2] as ChildServer, body, addressOf(i)),
      ]),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    const ids = await Promise.all(answers.map(async (answer) => ((await answer.json()) as { id: string }).id));
    for (let i = 0; i < bodies.length; i++) expect(ids[2 * i + 1]).toBe(ids[2 * i]);
    const stored = await opened.database.db
      .selectFrom('leads')
      .select('id')
      .where('center', '=', 'riverbend')
      .execute();
    expect(new Set(stored.map((row) => row.id))).toEqual(new Set(ids));

    // Every lead's webhook arrives, each delivery id accepted exactly once, though both workers run.
    const deadline = Date.now() + 20_000;
    while (receiver.successesById().size < stored.length && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
    }
    await new Promise((done) => setTimeout(done, 1_000));
    const successes = receiver.successesById();
    expect(successes.size).toBe(bodies.length);
    expect([...successes.values()].every((count) => count === 1)).toBe(true);
  }, 60_000);

  it("holds one center's intake budget across both servers, from many addresses at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: CENTER_LIMIT + 50 }, (_, i) =>
        send(servers[i % 2] as ChildServer, JSON.stringify(validLead({ center: 'lakeside' })), addressOf(i)),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201).length).toBe(CENTER_LIMIT);
    expect(statuses.filter((status) => status === 429).length).toBe(50);
    expect(answers.find((answer) => answer.status === 429)?.headers.get('retry-after')).toMatch(/^\d+$/);
    const stored = await opened.database.db.selectFrom('leads').select('id').where('center', '=', 'lakeside').execute();
    expect(stored.length).toBe(CENTER_LIMIT);
  }, 60_000);

  it('a lock set by wrong passwords on one server holds on the other', async () => {
    const staff = createStaffStore(opened.database);
    await staff.add({
      center: 'riverbend',
      email: 'sam@riverbend.example',
      role: 'staff',
      locale: 'en',
      password: PASSWORD,
      cost: 10,
    });
    const signIn = (server: ChildServer, password: string) =>
      fetch(`${server.url}/admin/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url, 'x-forwarded-for': '203.0.113.9' },
        body: JSON.stringify({ email: 'sam@riverbend.example', password }),
      });
    for (let i = 1; i < LOCK_AFTER; i++)
      expect((await signIn(servers[0] as ChildServer, 'wrong guess')).status).toBe(401);
    // The last wrong guess locks the account, on this server and, through the database, on the other.
    expect((await signIn(servers[0] as ChildServer, 'wrong guess')).status).toBe(423);
    const other = await signIn(servers[1] as ChildServer, PASSWORD);
    expect(other.status).toBe(423);
  });
});
