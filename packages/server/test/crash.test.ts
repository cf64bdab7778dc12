import { dirname } from 'node:path';
import { createLeadStore, createSealer, migrate } from '@intake-chat/server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildServerIfStale,
  type ChildServer,
  createDataDir,
  removeDataDir,
  startChildServer,
  TEST_DATA_KEY,
} from './support/childServer.js';
import { storageBackends, type TestDatabase } from './support/testDatabases.js';
import { validLead } from './support/validLead.js';

const CLIENTS = 8;
const MAX_REQUESTS = 5_000;
/** The kill lands after this long or this many acknowledgements, whichever comes first. */
const KILL_AFTER_MS = 2_000;
const KILL_AFTER_ACKS = 2_500;
const CLIENT_DEADLINE_MS = 6_000;

interface Acknowledged {
  readonly body: string;
  readonly id: string;
  readonly name: string;
}

/** A valid lead for the demo center; the name tells which request it was. */
function leadBody(sequence: number): { body: string; name: string } {
  const name = `Crash ${sequence}`;
  return { body: JSON.stringify(validLead({ contact: { name } })), name };
}

function postLead(url: string, body: string): Promise<Response> {
  return fetch(`${url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
}

let server: ChildServer | undefined;
let opened: TestDatabase | undefined;
let ownDataDir: string | undefined;

beforeAll(buildServerIfStale);
afterEach(async () => {
  await server?.stop('SIGKILL');
  await opened?.dispose();
  if (ownDataDir !== undefined) removeDataDir(ownDataDir);
  server = opened = ownDataDir = undefined;
});

/**
 * Where the child server keeps its leads: the SQLite file of the test database's folder, or the test
 * database's PostgreSQL schema (named in the URL's connection options, as an operator could).
 */
function childStorage(test: TestDatabase): { dataDir: string; env: Record<string, string> } {
  const { database } = test;
  if (database.dialect === 'sqlite') return { dataDir: dirname(database.where), env: {} };
  ownDataDir = createDataDir();
  const url = new URL(database.where);
  url.searchParams.set('options', `-c search_path=${database.schema}`);
  return { dataDir: ownDataDir, env: { DATABASE_URL: url.href } };
}

describe.each(await storageBackends())('a lead server on $name killed under load', (backend) => {
  it.skipIf(backend.skipped)('keeps every lead it acknowledged, and a retry finds it', async () => {
    opened = await backend.open();
    await migrate(opened.database);
    const storage = childStorage(opened);
    const first = await startChildServer(storage);
    server = first;
    const acknowledged: Acknowledged[] = [];
    const refused: string[] = [];
    let sent = 0;
    let inFlightAtKill = 0;
    let killedWhileSending = false;
    let inFlight = 0;
    const started = Date.now();

    const client = async () => {
      while (sent < MAX_REQUESTS && Date.now() - started < CLIENT_DEADLINE_MS) {
        const { body, name } = leadBody(sent++);
        inFlight += 1;
        try {
          const response = await postLead(first.url, body);
          const reply = (await response.json()) as { id?: string };
          if (response.status === 201 && typeof reply.id === 'string') acknowledged.push({ body, id: reply.id, name });
          else refused.push(`${response.status} ${JSON.stringify(reply)}`);
        } catch {
          // The connection died with the server: this request was in flight, never acknowledged.
          return;
        } finally {
          inFlight -= 1;
        }
      }
    };
    const kill = async () => {
      while (Date.now() - started < KILL_AFTER_MS && acknowledged.length < KILL_AFTER_ACKS) {
        await new Promise((done) => setTimeout(done, 10));
      }
      killedWhileSending = sent < MAX_REQUESTS;
      inFlightAtKill = inFlight;
      await first.stop('SIGKILL');
    };
    await Promise.all([kill(), ...Array.from({ length: CLIENTS }, client)]);

    const restarted = await startChildServer(storage);
    server = restarted;
    const store = createLeadStore(opened.database, createSealer(Buffer.from(TEST_DATA_KEY, 'base64')));
    const missing: string[] = [];
    for (const lead of acknowledged) {
      const found = await store.find('riverbend', lead.id);
      if (found?.contact.name !== lead.name)
        missing.push(`${lead.id} (${lead.name}): ${found ? found.contact.name : 'absent'}`);
    }
    const present = await store.count();
    console.log(
      `crash under load on ${backend.name}: ${sent} sent, ${acknowledged.length} acknowledged, ${inFlightAtKill} in flight when killed, ` +
        `${present} present after restart, ${missing.length} acknowledged but missing`,
    );

    expect(refused).toEqual([]);
    expect(killedWhileSending).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
    // Leads committed while their reply was lost are kept too, so the count may exceed the acknowledged.
    expect(present).toBeGreaterThanOrEqual(acknowledged.length);
    expect(present).toBeLessThanOrEqual(acknowledged.length + inFlightAtKill);

    // The widget retries with the same idempotency key after a failure; the retry must find the lead.
    const replays = await mapBounded(acknowledged, CLIENTS, async (lead) => {
      const response = await postLead(restarted.url, lead.body);
      const reply = (await response.json()) as { id?: string };
      return response.status === 201 && reply.id === lead.id && response.headers.get('idempotent-replayed') === 'true'
        ? null
        : `${lead.id}: ${response.status} ${JSON.stringify(reply)}`;
    });
    expect(replays.filter((problem) => problem !== null)).toEqual([]);
    expect(await store.count()).toBe(present);
  });
});

/** `map` with at most `limit` calls running at once. */
async function mapBounded<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}
