import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import {
  type CenterConfig,
  type Config,
  createLeadStore,
  createSealer,
  type LeadStore,
  loadConfig,
  migrate,
  openDatabase,
} from '@intake-chat/server';
import {
  createDeliveryWorker,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
} from '../../src/delivery/createDeliveryWorker.js';
import { createOutbox, type Outbox } from '../../src/delivery/createOutbox.js';
import { acceptLead } from '../../src/leads/acceptLead.js';
import type { OpenDatabase, StorageBackend } from './testDatabases.js';
import { type LeadOverrides, validLead } from './validLead.js';

export const PUBLIC_URL = 'https://intake.riverbend.example';

/** A Standard Webhooks signing secret: "whsec_" and the base64 of 24 random bytes. */
export function webhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface CenterSetup {
  readonly webhooks?: readonly { url: string; secret: string }[];
  readonly alertEmails?: readonly string[];
  /** Lakeside's webhooks (it has none unless given): another center, for fairness between them. */
  readonly lakesideWebhooks?: readonly { url: string; secret: string }[];
}

/** The demo config: riverbend with the given webhooks and alert addresses, and lakeside beside it. */
export function deliveryConfig(setup: CenterSetup = {}): Config {
  const demo = loadConfig(undefined, {});
  const riverbend = demo.centers.get('riverbend') as CenterConfig;
  const configured: CenterConfig = {
    ...riverbend,
    webhooks: [...(setup.webhooks ?? [])],
    alertEmails: [...(setup.alertEmails ?? [])],
  };
  return {
    ...demo,
    centers: new Map([
      ['riverbend', configured],
      [
        'lakeside',
        {
          ...configured,
          id: 'lakeside',
          name: 'Lakeside Recovery',
          webhooks: [...(setup.lakesideWebhooks ?? [])],
          alertEmails: [],
        },
      ],
    ]),
  };
}

/** A clock the test moves by hand; it starts at the real time, which receivers check signatures against. */
export interface Clock {
  now(): Date;
  advance(ms: number): void;
}

function createClock(): Clock {
  let at = Date.now();
  return {
    now: () => new Date(at),
    advance(ms) {
      at += ms;
    },
  };
}

/** Everything a delivery test needs on one storage backend: a store, a center, a clock, workers. */
export interface DeliveryBench {
  readonly database: OpenDatabase;
  readonly store: LeadStore;
  readonly outbox: Outbox;
  readonly config: Config;
  readonly clock: Clock;
  /** Each worker's log lines, in order. */
  readonly logs: Record<string, unknown>[];
  /** Submits a lead as the widget would, through the server's own acceptLead; returns its id. */
  submit(overrides?: LeadOverrides): Promise<string>;
  /** A worker on this bench's database, store, config and clock, with no SMTP unless given. */
  worker(options?: Partial<DeliveryWorkerOptions>): DeliveryWorker;
  /** A second, separate connection (pool) to the same database and a store on it, as another server has. */
  connectAgain(): { database: OpenDatabase; store: LeadStore };
  /** Stops the workers and deletes the database; again, it does nothing. */
  dispose(): Promise<void>;
}

export async function openDeliveryBench(backend: StorageBackend, setup: CenterSetup = {}): Promise<DeliveryBench> {
  const testDatabase = await backend.open();
  const { database } = testDatabase;
  try {
    await migrate(database);
  } catch (error) {
    await testDatabase.dispose();
    throw error;
  }
  const clock = createClock();
  const sealer = createSealer(randomBytes(32));
  const store = createLeadStore(database, sealer, clock.now);
  const config = deliveryConfig(setup);
  const logs: Record<string, unknown>[] = [];
  const workers: DeliveryWorker[] = [];
  const connections: OpenDatabase[] = [];
  let disposed = false;

  return {
    database,
    store,
    outbox: createOutbox(database, clock.now),
    config,
    clock,
    logs,
    async submit(overrides = {}) {
      const accepted = await acceptLead(validLead(overrides), config.centers, store, clock.now());
      if (!accepted.ok) throw new Error(`the test lead was refused: ${accepted.message}`);
      return accepted.id;
    },
    worker(options = {}) {
      const worker = createDeliveryWorker({
        database,
        store,
        config,
        env: {},
        publicUrl: PUBLIC_URL,
        log: (line) => logs.push(line),
        now: clock.now,
        version: '9.9.9-test',
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    connectAgain() {
      // An SQLite file is served by one process through one connection. A second connection in the
      // same process would wait, synchronously, on the first's open transaction while blocking the
      // event loop that has to finish it; so on SQLite the "other server" shares the connection, and
      // the claim's atomicity is what keeps two workers apart.
      if (database.dialect === 'sqlite') return { database, store: createLeadStore(database, sealer, clock.now) };
      const again = openDatabase({
        url: database.where,
        dataDir: tmpdir(),
        ...(database.schema === undefined ? {} : { schema: database.schema }),
      });
      connections.push(again);
      return { database: again, store: createLeadStore(again, sealer, clock.now) };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.all(workers.map((worker) => worker.stop()));
      await Promise.all(connections.map((connection) => connection.db.destroy()));
      await testDatabase.dispose();
    },
  };
}
