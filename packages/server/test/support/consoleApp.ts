import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CenterConfig, Config, Services, Staff } from '@intake-chat/server';
import { createApp, createSealer, createServices, createStaffStore, loadConfig, migrate } from '@intake-chat/server';
import { afterEach, beforeEach, expect } from 'vitest';
import type { OpenDatabase, StorageBackend, TestDatabase } from './testDatabases.js';
import { type LeadOverrides, validLead } from './validLead.js';

/** The password of every account `addStaff` makes. */
export const PASSWORD = 'correct horse battery staple';

/** The console's own origin, which a browser sends with what the console's pages post. */
export const ORIGIN = 'http://localhost';

/** The time on the app's clock when each test starts. */
export const START = '2026-11-20T15:00:00.000Z';

/** The demo center riverbend, with `riverbendExtra` over it, and a copy of it, lakeside, on the same server. */
export function twoCenters(riverbendExtra: Partial<CenterConfig> = {}): Config {
  const demo = loadConfig(undefined, {});
  const riverbend = demo.centers.get('riverbend') as CenterConfig;
  return {
    ...demo,
    centers: new Map([
      ['riverbend', { ...riverbend, ...riverbendExtra }],
      ['lakeside', { ...riverbend, id: 'lakeside', name: 'Lakeside Recovery' }],
    ]),
  };
}

export type ConsoleServer = ReturnType<typeof createApp>;

/** What the API answers when it refuses. */
export interface Failure {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

/** A response, read: the body parsed when it is JSON, else the text (which `text` always holds). */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T & Partial<Failure>;
  headers: Headers;
  text: string;
}

/** A browser with a session: its cookie and token, and calls made with them from the console's pages. */
export interface Browser {
  readonly cookie: string;
  readonly csrf: string;
  /** A GET with the session cookie, to this test's app or to `on`. */
  get<T = Record<string, unknown>>(path: string, on?: ConsoleServer): Promise<Answer<T>>;
  /** A same-origin JSON POST with the cookie and the CSRF token; `headers` go over those. */
  post<T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>>;
}

export interface ConsoleAppOptions {
  /** The server's config; by default `twoCenters()`. */
  readonly config?: Config;
  /** Sign-ins one address may try in 15 minutes (default 50). */
  readonly loginLimit?: number;
  /** The scrypt cost of the passwords the staff store hashes itself (invites, resets); by default the real one. */
  readonly staffCost?: number;
}

/** A fresh console app for the running test: its database, services and app, the clock they read, and calls. */
export interface ConsoleApp {
  readonly database: OpenDatabase;
  readonly services: Services;
  readonly app: ConsoleServer;
  now(): Date;
  setClock(at: string | Date): void;
  later(ms: number): void;
  minutesLater(minutes: number): void;
  /** Another app with `config` on this test's database, services and clock, so a session works in each. */
  appWith(config: Config): ConsoleServer;
  request<T = Record<string, unknown>>(path: string, init?: RequestInit, on?: ConsoleServer): Promise<Answer<T>>;
  /** A sign-in as the console's page posts it; `headers` go over the same-origin ones. */
  tryLogin(email: string, password?: string, headers?: Record<string, string>): Promise<Answer<LoginBody>>;
  /** A sign-in that must succeed, and the browser it leaves. */
  signIn(email: string, password?: string): Promise<Browser>;
  browser(cookie: string, csrf: string): Browser;
  /** An account with `PASSWORD`. */
  addStaff(email: string, center?: string, role?: 'admin' | 'staff', locale?: 'en' | 'es'): Promise<Staff>;
  /** A lead submitted through the public API at the current clock; returns its id. */
  submit(overrides?: LeadOverrides): Promise<string>;
  /** The audit log, oldest first: all of it, or one center's, one action's or those starting with `actionPrefix`. */
  auditEntries(where?: AuditFilter): Promise<AuditRow[]>;
  /** The lines the server logged during this test, as it would write them to stdout. */
  logged(): string;
  /** The data key the test's server started with. */
  readonly dataKey: Buffer;
  /**
   * Starts the server again on this test's database with another keyring (the current key first), as a
   * restart with new `INTAKE_DATA_KEY`/`INTAKE_OLD_DATA_KEYS` would: the keys are proven first, and a
   * refused start throws and leaves the running server as it was.
   */
  restartWith(keys: readonly Buffer[]): Promise<void>;
}

export interface AuditFilter {
  readonly center?: string;
  readonly action?: string;
  readonly actionPrefix?: string;
}

/** An audit log entry as stored, with its detail parsed. */
export interface AuditRow {
  action: string;
  staffEmail: string;
  leadId: string | null;
  detail: unknown;
}

export type LoginBody = { csrf: string } & Failure;

/** The session cookie a response sets, as a browser sends it back. */
export const sessionCookie = (headers: Headers) => (headers.get('set-cookie') ?? '').split(';')[0] ?? '';

interface Current {
  database: OpenDatabase;
  services: Services;
  app: ConsoleServer;
  dataKey: Buffer;
}

/**
 * Opens a fresh database on `backend` before each test of the enclosing `describe` and builds the
 * console's app on it, as `startServer` does, with a clock the test sets; after the test, deletes the
 * database and the app's folders. The calls and getters of the answer are the running test's.
 */
export function useConsoleApp(backend: StorageBackend, options: ConsoleAppOptions = {}): ConsoleApp {
  let opened: TestDatabase | undefined;
  let current: Current | undefined;
  const folders: string[] = [];
  let logLines: string[] = [];
  // Not torn down with the test: anything that reads the time after it still gets one.
  let clock = new Date(START);
  const now = () => clock;
  const the = (): Current => {
    if (current === undefined) throw new Error('the console app exists only while a test runs');
    return current;
  };

  function serve(config: Config, services: Services): ConsoleServer {
    const consoleDir = mkdtempSync(join(tmpdir(), 'intake-console-'));
    folders.push(consoleDir);
    return createApp({
      config,
      services,
      now,
      log: (line) => logLines.push(JSON.stringify(line)),
      widgetDir: consoleDir,
      admin: {
        secureCookies: true,
        consoleDir,
        loginLimit: { limit: options.loginLimit ?? 50, windowMs: 15 * 60_000 },
      },
    });
  }

  beforeEach(async () => {
    clock = new Date(START);
    logLines = [];
    opened = await backend.open();
    const { database } = opened;
    await migrate(database);
    const dataKey = randomBytes(32);
    const services = await startServices(database, [dataKey]);
    current = { database, services, dataKey, app: serve(options.config ?? twoCenters(), services) };
  });

  /** The services as `startServer` makes them: the keys proven before anything is served. */
  async function startServices(database: OpenDatabase, keys: readonly Buffer[]): Promise<Services> {
    let services = createServices(database, createSealer(keys), now);
    if (options.staffCost !== undefined) {
      // A low scrypt cost keeps the tests fast, for the passwords the server hashes itself too.
      services = { ...services, staff: createStaffStore(database, now, { cost: options.staffCost }) };
    }
    await services.dataKeys.prove();
    return services;
  }

  // Vitest runs it after a beforeEach that failed too, whatever that had made by then.
  afterEach(async () => {
    current = undefined;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    const done = opened;
    opened = undefined;
    await done?.dispose();
  });

  async function request<T = Record<string, unknown>>(
    path: string,
    init: RequestInit = {},
    on: ConsoleServer = the().app,
  ): Promise<Answer<T>> {
    const response = await on.request(path, init);
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      body: (type.includes('json') && text !== '' ? JSON.parse(text) : text) as T & Partial<Failure>,
      headers: response.headers,
      text,
    };
  }

  const tryLogin = (email: string, password = PASSWORD, headers: Record<string, string> = {}) =>
    request<LoginBody>('/admin/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, host: 'localhost', ...headers },
      body: JSON.stringify({ email, password }),
    });

  const browser = (cookie: string, csrf: string): Browser => ({
    cookie,
    csrf,
    get: <T>(path: string, on?: ConsoleServer) => request<T>(path, { headers: { cookie } }, on),
    post: <T>(path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
      request<T>(path, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          'x-csrf-token': csrf,
          origin: ORIGIN,
          host: 'localhost',
          ...headers,
        },
        body: JSON.stringify(body),
      }),
  });

  return {
    get database() {
      return the().database;
    },
    get services() {
      return the().services;
    },
    get app() {
      return the().app;
    },
    now,
    setClock(at) {
      clock = new Date(at);
    },
    later(ms) {
      clock = new Date(clock.getTime() + ms);
    },
    minutesLater(minutes) {
      clock = new Date(clock.getTime() + minutes * 60_000);
    },
    get dataKey() {
      return the().dataKey;
    },
    async restartWith(keys) {
      const running = the();
      const services = await startServices(running.database, keys);
      current = { ...running, services, app: serve(options.config ?? twoCenters(), services) };
    },
    appWith: (config) => serve(config, the().services),
    logged: () => logLines.join('\n'),
    request,
    tryLogin,
    async signIn(email, password = PASSWORD) {
      const answer = await tryLogin(email, password);
      expect(answer.status).toBe(200);
      return browser(sessionCookie(answer.headers), answer.body.csrf);
    },
    browser,
    addStaff: (email, center = 'riverbend', role = 'staff', locale = 'en') =>
      // A low scrypt cost keeps the tests fast; the cost is stored with each hash.
      the().services.staff.add({ center, email, role, locale, password: PASSWORD, cost: 10 }),
    async submit(overrides = {}) {
      const answer = await request<{ id: string }>('/v1/leads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validLead(overrides)),
      });
      expect(answer.status, answer.text).toBe(201);
      return answer.body.id;
    },
    async auditEntries(where = {}) {
      let query = the().database.db.selectFrom('audit').select(['action', 'staff_email', 'lead_id', 'detail']);
      if (where.center !== undefined) query = query.where('center', '=', where.center);
      if (where.action !== undefined) query = query.where('action', '=', where.action);
      if (where.actionPrefix !== undefined) query = query.where('action', 'like', `${where.actionPrefix}%`);
      return (await query.orderBy('id').execute()).map((row) => ({
        action: row.action,
        staffEmail: row.staff_email,
        leadId: row.lead_id,
        detail: row.detail === null ? null : JSON.parse(row.detail),
      }));
    },
  };
}
