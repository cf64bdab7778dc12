import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type RunningServer, type StoredLead, startServer } from '@intake-chat/server';
// @ts-expect-error: the demo site's server is plain JavaScript, typed by its use here.
import { startDemoSite } from '../../../demo/serveDemoSite.js';

const widgetDir = fileURLToPath(new URL('../../../packages/widget/dist/', import.meta.url));
const storyFlow = fileURLToPath(new URL('../fixtures/story-flow.json', import.meta.url));
/** A fixed key, so a test can read what the server sealed. Never used outside tests. */
const TEST_DATA_KEY = Buffer.alloc(32, 9).toString('base64');

export interface StackOptions {
  /** Fields added to the riverbend center's config (webhooks, alertEmails...). */
  readonly riverbend?: Record<string, unknown>;
  /** Environment of the lead server beyond the data key (SMTP_URL, webhook secrets...). */
  readonly env?: Record<string, string>;
  /** The lead server's clock, for a test that moves to another day. */
  readonly now?: () => Date;
}

export const widgetBuilt = existsSync(join(widgetDir, 'widget.js')) && existsSync(join(widgetDir, 'frame.js'));

export interface Stack {
  /** The demo center's site, on its own origin. */
  readonly site: string;
  /** The lead server: widget.js, the frame and the lead API. */
  readonly api: string;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  leads(center?: string): Promise<StoredLead[]>;
  /** Gives someone a console account at riverbend; resolves to the password. */
  addStaff(email: string, role?: 'admin' | 'staff'): Promise<string>;
  close(): Promise<void>;
}

/**
 * The lead server (SQLite in a temporary folder) and the demo site, each on a free port, set up as
 * a center would: the site's origin is the center's only allowed origin. `pages` adds host pages to
 * the site (hostile ones, in the isolation tests).
 */
export async function startStack(
  pages: Record<string, string | { html: string; csp: boolean }> = {},
  options: StackOptions = {},
): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'intake-e2e-'));
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const siteServer = await startDemoSite({ port: 0, widgetOrigin: api, pages });
  const site: string = siteServer.origin;

  const center = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: 'Riverbend Recovery',
    phone: '(555) 201-0100',
    timeZone: 'America/Chicago',
    staffedHours: '24/7',
    allowedOrigins: [site],
    locales: ['en', 'es'],
    consent: {
      call: {
        version: '2026-12-riverbend-call-v1',
        text: {
          en: 'I agree that Riverbend Recovery may call me at the number I gave about my request. This consent is not a condition of treatment. You can ask us to stop calling at any time.',
          es: 'Acepto que Riverbend Recovery me llame al número que di sobre mi solicitud. Este consentimiento no es una condición para recibir tratamiento. Puede pedirnos que dejemos de llamarle en cualquier momento.',
        },
      },
      callAndText: {
        version: '2026-12-riverbend-text-v1',
        text: {
          en: 'I agree that Riverbend Recovery may call me and text me at the number I gave about my request. This consent is not a condition of treatment. Msg & data rates may apply. Reply STOP to opt out of texts.',
          es: 'Acepto que Riverbend Recovery me llame y me envíe mensajes de texto al número que di sobre mi solicitud. Este consentimiento no es una condición para recibir tratamiento. Pueden aplicarse tarifas por mensajes y datos. Responda STOP para dejar de recibir mensajes.',
        },
      },
    },
    callbackTargetMinutes: 15,
    ...extra,
  });
  mkdirSync(join(dataDir, 'config'));
  copyFileSync(storyFlow, join(dataDir, 'config', 'story-flow.json'));
  const configFile = join(dataDir, 'config', 'centers.json');
  // "riverbend" runs the default flow; "riverbend-story" a flow with a free-text question.
  writeFileSync(
    configFile,
    JSON.stringify({
      centers: [center('riverbend', options.riverbend), center('riverbend-story', { flow: 'story-flow.json' })],
    }),
  );
  const env = { INTAKE_DATA_KEY: TEST_DATA_KEY, INTAKE_RATE_LIMIT: 'off', ...options.env };
  const config = loadConfig(configFile, env);

  let server: RunningServer | null = null;
  const stack: Stack = {
    site,
    api,
    async startServer() {
      server = await startServer({
        config,
        port,
        dataDir,
        env,
        log: () => {},
        widgetDir,
        ...(options.now === undefined ? {} : { now: options.now }),
      });
    },
    async stopServer() {
      await server?.close();
      server = null;
    },
    async leads(centerId = 'riverbend') {
      if (!server) throw new Error('the lead server is stopped');
      const found: StoredLead[] = [];
      for await (const lead of server.store.list(centerId, new Date(0))) {
        // The stack seals with one key throughout: every lead it stored opens.
        if ('unreadable' in lead) throw new Error(`lead ${lead.id} cannot be read with the stack's data key`);
        found.push(lead);
      }
      return found;
    },
    async addStaff(email, role = 'staff') {
      if (!server) throw new Error('the lead server is stopped');
      const password = 'a long test passphrase';
      await server.staff.add({ center: 'riverbend', email, role, password, cost: 10 });
      return password;
    },
    async close() {
      await stack.stopServer();
      await siteServer.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await stack.startServer();
  return stack;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
