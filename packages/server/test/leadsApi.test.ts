import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CenterConfig,
  createApp,
  createSealer,
  createServices,
  type LeadStore,
  migrate,
  type Services,
} from '@intake-chat/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { twoCenters } from './support/consoleApp.js';
import { openSqliteTestDatabase, type TestDatabase } from './support/testDatabases.js';
import { iopFitAnswers, type LeadOverrides, validLead, visitor } from './support/validLead.js';

type AppOptions = Parameters<typeof createApp>[0];

const WEBHOOK_URL = 'https://crm.riverbend.example/hooks/intake';
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const ALERT_EMAIL = 'admissions@riverbend.example';

/** The demo config, with a webhook for riverbend and a second center, lakeside, beside it. */
const testConfig = () => twoCenters({ webhooks: [{ url: WEBHOOK_URL, secret: WEBHOOK_SECRET }] });

let testDatabase: TestDatabase;
let store: LeadStore;
let services: Services;
const folders: string[] = [];

beforeEach(async () => {
  testDatabase = openSqliteTestDatabase();
  await migrate(testDatabase.database);
  services = createServices(testDatabase.database, createSealer(randomBytes(32)));
  store = services.leads;
});

afterEach(async () => {
  await testDatabase.dispose();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function emptyFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'intake-'));
  folders.push(folder);
  return folder;
}

/** The app as `startServer` builds it, on this test's store, with no widget built. */
function api(options: Partial<AppOptions> = {}) {
  const app = createApp({ config: testConfig(), services, widgetDir: emptyFolder(), ...options });
  return {
    request: (path: string, init?: RequestInit) => app.request(path, init),
    post: (body: unknown, headers: Record<string, string> = {}) =>
      app.request('/v1/leads', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

const submit = (overrides: LeadOverrides = {}) => api().post(validLead(overrides));

interface ErrorBody {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** The error a client receives: JSON `{ error: { code, message, issues? } }`, never a stack trace. */
async function errorOf(response: Response, status: number): Promise<ErrorBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(/(^|\\n|\n)\s*at \S/);
  expect(text).not.toMatch(/\.ts:\d+/);
  const body = JSON.parse(text);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual({
    code: expect.any(String),
    message: expect.stringMatching(/\S/),
    ...(body.error.issues === undefined ? {} : { issues: expect.any(Array) }),
  });
  return body.error;
}

/** The body of a 201: the lead's id and when to expect the call. */
const receiptOf = (response: Response) => response.json() as Promise<{ id: string; callbackWindow: string }>;

const pathsOf = (error: ErrorBody) => (error.issues ?? []).map((issue) => issue.path);

describe('POST /v1/leads', () => {
  it('stores a valid lead and answers 201 with its id and when to expect the call', async () => {
    const lead = validLead();
    const response = await api().post(lead);

    expect(response.status).toBe(201);
    const receipt = await receiptOf(response);
    expect(receipt).toEqual({ id: expect.any(String), callbackWindow: 'within 15 minutes' });
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    const stored = await store.find('riverbend', receipt.id);
    expect(stored).toMatchObject({ route: 'iop-fit', urgency: 'normal', answers: iopFitAnswers });
    expect(stored?.contact).toMatchObject({ name: visitor.name, phone: visitor.phoneE164 });
  });

  it('answers a retry with the same key with the same id, and stores the lead once', async () => {
    const app = api();
    const lead = validLead();
    const first = await (await app.post(lead)).json();
    const retry = await app.post(lead);

    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(first);
    expect(await store.count()).toBe(1);
  });

  it("decides the route itself and ignores the browser's claim", async () => {
    const response = await submit({ route: 'iop-fit', urgency: 'normal', answers: { 'safety-now': 'yes' } });

    expect(response.status).toBe(201);
    const { id } = await receiptOf(response);
    expect(await store.find('riverbend', id)).toMatchObject({ route: 'crisis', urgency: 'emergency' });
  });

  it('tells an emergency "as soon as we can" rather than minutes, in the language of the visitor', async () => {
    const english = await receiptOf(await submit({ answers: { 'safety-now': 'yes' } }));
    expect(english.callbackWindow).toBe('as soon as we can');
    const spanish = await receiptOf(await submit({ locale: 'es', answers: { 'safety-now': 'yes' } }));
    expect(spanish.callbackWindow).toBe('lo antes posible');
    expect((await store.find('riverbend', spanish.id))?.callbackWindow).toBe('lo antes posible');
  });

  it('stores a consent version the center showed before and still lists, as the visitor agreed to it', async () => {
    const riverbend = twoCenters().centers.get('riverbend') as CenterConfig;
    const call = { ...riverbend.consent.call, previousVersions: ['2026-11-riverbend-v1'] };
    const app = api({ config: twoCenters({ consent: { ...riverbend.consent, call } }) });
    const receipt = await receiptOf(await app.post(validLead({ consent: { textVersion: '2026-11-riverbend-v1' } })));
    expect((await store.find('riverbend', receipt.id))?.consent.textVersion).toBe('2026-11-riverbend-v1');
  });

  it('spends the center budget only on what could be a lead: 600 bad bodies from 30 addresses leave room for a real one', async () => {
    const app = api({
      rateLimits: { perAddress: { limit: 20, windowMs: 600_000 }, perCenter: { limit: 600, windowMs: 60_000 } },
      clientAddress: (c) => c.req.header('x-client') ?? 'unknown',
    });
    const bad = validLead({ contact: { phone: '555-0142' } });
    for (let address = 0; address < 30; address++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => app.post(bad, { 'x-client': `203.0.113.${address}` })),
      );
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 400));
    }
    // Each flooding address is held to its own limit ...
    expect((await app.post(bad, { 'x-client': '203.0.113.0' })).status).toBe(429);
    // ... and a visitor from a fresh address gets through.
    expect((await app.post(validLead(), { 'x-client': '198.51.100.7' })).status).toBe(201);
  });

  it('refuses a lead without call consent, pointing at the consent box', async () => {
    for (const call of [undefined, false]) {
      const error = await errorOf(await submit({ consent: { call } }), 400);
      expect(error.code).toBe('invalid_lead');
      expect(pathsOf(error)).toContain('consent.call');
    }
    expect(await store.count()).toBe(0);
  });

  it('refuses a phone number without an area code, saying so', async () => {
    const error = await errorOf(await submit({ contact: { phone: '555-0142' } }), 400);

    expect(error.code).toBe('invalid_lead');
    expect(error.issues).toContainEqual({ path: 'contact.phone', message: expect.stringContaining('area code') });
  });

  it('refuses answers to a question the flow lacks, or with an option it lacks', async () => {
    const error = await errorOf(await submit({ answers: { 'favorite-color': 'blue', coverage: 'gold-plated' } }), 400);

    expect(error.code).toBe('invalid_answers');
    expect(pathsOf(error).sort()).toEqual(['answers.coverage', 'answers.favorite-color']);
    expect(await store.count()).toBe(0);
  });

  it("refuses a lead made with another flow than the center's", async () => {
    const error = await errorOf(await submit({ flow: { id: 'old-intake', version: 1 } }), 400);
    expect(error.code).toBe('unknown_flow');
    expect(error.message).toContain('iop-intake');
  });

  it('refuses a body that is not valid JSON', async () => {
    const error = await errorOf(await api().post('{"center": "riverbend",'), 400);
    expect(error.code).toBe('invalid_json');
  });

  it.each(['text/plain', 'application/json-patch+json', 'application/jsonp'])(
    'refuses a body sent as %s, naming the type to use',
    async (type) => {
      const response = await api().post(JSON.stringify(validLead()), { 'content-type': type });
      const error = await errorOf(response, 415);
      expect(error.message).toContain('application/json');
      expect(await store.count()).toBe(0);
    },
  );

  it('takes JSON with a charset parameter', async () => {
    const response = await api().post(validLead(), { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(201);
  });

  it('refuses a body over 16 KB and stores nothing, whether or not it announces its length', async () => {
    const body = JSON.stringify(validLead({ padding: 'x'.repeat(16 * 1024) }));
    const announced = await api().post(body, { 'content-length': String(Buffer.byteLength(body)) });
    const streamed = await api().post(body);

    expect((await errorOf(announced, 413)).code).toBe('too_large');
    expect((await errorOf(streamed, 413)).code).toBe('too_large');
    expect(await store.count()).toBe(0);
  });

  it('refuses a lead for a center this server does not serve', async () => {
    const error = await errorOf(await submit({ center: 'elsewhere' }), 403);
    expect(error.code).toBe('unknown_center');
    expect(await store.count()).toBe(0);
  });

  it('answers other methods with 405 and the method to use', async () => {
    const response = await api().request('/v1/leads');
    expect(response.headers.get('allow')).toBe('POST');
    expect((await errorOf(response, 405)).message).toContain('POST');
  });

  it('slows down one address after its limit, with a Retry-After, and still serves others', async () => {
    const app = api({
      clientAddress: (c) => c.req.header('x-test-address') ?? 'a',
      rateLimits: { perAddress: { limit: 3, windowMs: 60_000 }, perCenter: { limit: 1000, windowMs: 60_000 } },
    });
    const from = (address: string) => app.post(validLead(), { 'x-test-address': address });
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7')).status).toBe(201);

    const limited = await from('203.0.113.7');
    const error = await errorOf(limited, 429);
    expect(error.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await from('198.51.100.2')).status).toBe(201);
    expect(await store.count()).toBe(4);
  });

  it('slows down a flooded center after its limit, and still serves other centers', async () => {
    const app = api({
      clientAddress: (c) => c.req.header('x-test-address') ?? 'a',
      rateLimits: { perAddress: { limit: 1000, windowMs: 60_000 }, perCenter: { limit: 2, windowMs: 60_000 } },
    });
    const from = (address: string, center = 'riverbend') =>
      app.post(validLead({ center }), { 'x-test-address': address });
    expect((await from('203.0.113.1')).status).toBe(201);
    expect((await from('203.0.113.2')).status).toBe(201);

    const limited = await from('203.0.113.3');
    expect((await errorOf(limited, 429)).code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect((await from('203.0.113.3', 'lakeside')).status).toBe(201);
    expect(await store.count('riverbend')).toBe(2);
  });

  it('tells a bot that fills in the hidden website field that its lead was taken, and keeps nothing', async () => {
    const response = await submit({ website: 'https://cheap-pills.example' });

    expect(response.status).toBe(201);
    // The same answer a person gets, so the bot cannot tell it was caught.
    expect(await response.json()).toEqual({ id: expect.any(String), callbackWindow: 'within 15 minutes' });
    expect(await store.count()).toBe(0);
  });

  it.each([
    ['null', 'null'],
    ['a list', '[]'],
    ['an object without a center', '{}'],
  ])('asks for the missing fields when the body is %s', async (_, body) => {
    const error = await errorOf(await api().post(body), 400);
    expect(error.code).toBe('invalid_lead');
    expect(error.issues?.length).toBeGreaterThan(0);
  });

  it('points at the center when only the center is missing', async () => {
    const error = await errorOf(await submit({ center: undefined }), 400);
    expect(pathsOf(error)).toContain('center');
  });

  it('answers a failing database with a plain 500 and no details', async () => {
    await store.close();
    const error = await errorOf(await submit(), 500);
    expect(error.code).toBe('internal');
    expect(error.message).toContain('call us');
  });
});

describe('the other routes', () => {
  it('answers an unknown path with a JSON 404', async () => {
    expect((await errorOf(await api().request('/v2/leads'), 404)).code).toBe('not_found');
  });

  it('reports the process alive at /healthz', async () => {
    const response = await api().request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('reports ready at /readyz while the database answers, and 503 once it does not', async () => {
    const app = api();
    expect((await app.request('/readyz')).status).toBe(200);
    await store.close();
    expect((await errorOf(await app.request('/readyz'), 503)).code).toBe('not_ready');
  });

  it('publishes the lead API as OpenAPI 3.1 with the fields a lead requires', async () => {
    const response = await api().request('/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, { post?: unknown }>;
      components: { schemas: { Lead: { required: string[] } } };
    };

    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/v1/leads']?.post).toBeDefined();
    expect(document.components.schemas.Lead.required).toEqual(
      expect.arrayContaining(['idempotencyKey', 'center', 'flow', 'locale', 'answers', 'contact', 'consent']),
    );
  });

  it("serves the conversation frame with a strict CSP, embeddable only by the center's sites", async () => {
    const response = await api().request('/frame?center=riverbend');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain('frame-ancestors http://127.0.0.1:5173 http://localhost:5173');
  });

  it('serves a frame made while the page is idle that fetches its script without running it, by a script its CSP allows', async () => {
    const response = await api().request('/frame?center=riverbend&start=intent');
    const html = await response.text();

    // No script element loads frame.js: the page names its versioned address for the waiting script.
    expect(html).not.toMatch(/<script[^>]*\bsrc=/);
    expect(html).toMatch(
      /<html lang="en" data-script="\/frame\.js\?v=[^"]+" data-origins="http:\/\/127\.0\.0\.1:5173 http:\/\/localhost:5173">/,
    );
    // Its one inline script is allowed by hash alone: no 'unsafe-inline'.
    const inline = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(inline).digest('base64');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).not.toContain('unsafe-inline');
    // A browser asking to save data gets the same script, told to fetch nothing before the wake: not
    // even the stylesheet, which it links only then.
    const saving = await api().request('/frame?center=riverbend&start=intent', { headers: { 'Save-Data': 'on' } });
    const saved = await saving.text();
    expect(saved).toMatch(
      /<html lang="en" data-script="\/frame\.js\?v=[^"]+" data-origins="[^"]+" data-style="\/frame\.css\?v=[^"]+">/,
    );
    expect(/<script>(.*?)<\/script>/s.exec(saved)?.[1]).toBe(inline);
    expect(saved).not.toContain('<link rel="stylesheet"');
    expect(html).not.toContain('data-style');
    expect(html).toContain('<link rel="stylesheet" href="/frame.css?v=');
    // A frame asked for without `start=intent` runs at once, as before.
    expect(await (await api().request('/frame?center=riverbend')).text()).toMatch(
      /<script src="\/frame\.js\?v=[^"]+" defer><\/script>/,
    );
  });

  it("embeds the center's flow in the frame, and none of its alert addresses or webhook secrets", async () => {
    const html = await (await api().request('/frame?center=riverbend')).text();
    const json = /<script type="application\/json" id="intake-settings">(.*?)<\/script>/s.exec(html)?.[1];
    expect(json).toBeDefined();

    const settings = JSON.parse(json ?? '');
    expect(settings).toMatchObject({
      center: 'riverbend',
      flow: { id: 'iop-intake' },
      origins: ['http://127.0.0.1:5173', 'http://localhost:5173'],
    });
    for (const secret of [ALERT_EMAIL, WEBHOOK_SECRET, WEBHOOK_URL, 'whsec_']) expect(html).not.toContain(secret);
  });

  it('gives the frame both consent texts with their versions, and the callback target of each urgency', async () => {
    const html = await (await api().request('/frame?center=riverbend')).text();
    const settings = JSON.parse(
      /<script type="application\/json" id="intake-settings">(.*?)<\/script>/s.exec(html)?.[1] ?? '',
    );
    const { consent } = testConfig().centers.get('riverbend') as CenterConfig;

    expect(settings.consent).toEqual({
      call: { version: '2026-12-riverbend-call-v1', text: { en: consent.call.text.en, es: consent.call.text.es } },
      callAndText: {
        version: '2026-12-riverbend-text-v1',
        text: { en: consent.callAndText.text.en, es: consent.callAndText.text.es },
      },
    });
    expect(settings.callbackTargets).toEqual({ emergency: 5, urgent: 15, high: 15, normal: 15 });
    expect(settings.callbackTargetMinutes).toBe(15);
  });

  it('answers a frame for an unknown center with 404', async () => {
    expect((await errorOf(await api().request('/frame?center=nope'), 404)).code).toBe('unknown_center');
  });

  it('says the widget is not built yet when its file is missing', async () => {
    const error = await errorOf(await api().request('/widget.js'), 503);
    expect(error.code).toBe('widget_not_built');
    expect(error.message).toContain('npm run build');
  });

  it('serves the built widget with an ETag, and 304 when the browser has it', async () => {
    const widgetDir = emptyFolder();
    writeFileSync(join(widgetDir, 'widget.js'), 'customElements.define("intake-chat", class extends HTMLElement {});');
    const app = api({ widgetDir });

    const response = await app.request('/widget.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toContain('intake-chat');
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);

    const revalidated = await app.request('/widget.js', { headers: { 'if-none-match': etag ?? '' } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    // RFC 9110: a 304 repeats the validator and caching headers; proxies send weak tags and lists.
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toMatch(/max-age=3600/);
    const weak = await app.request('/widget.js', { headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(weak.status).toBe(304);
    expect((await app.request('/widget.js', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });
});

describe('the request log', () => {
  it('has one line per request with method, path and status, and nothing the visitor typed', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = api({ log: (line) => lines.push(line) });
    await app.post(validLead());
    await app.post(validLead({ contact: { phone: '555-0142' } }));
    await app.request('/frame?center=riverbend&locale=es');
    await app.request(`/missing?name=${visitor.name}`);

    expect(lines.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'POST', path: '/v1/leads', status: 201 },
      { method: 'POST', path: '/v1/leads', status: 400 },
      { method: 'GET', path: '/frame', status: 200 },
      { method: 'GET', path: '/missing', status: 404 },
    ]);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('?');
    expect(logged).not.toContain('riverbend');
    const typed = [visitor.name, visitor.phone, visitor.phoneE164, '555-0142', '5550142'];
    const answers = Object.values(iopFitAnswers).flat();
    for (const line of lines) {
      for (const value of Object.values(line).map(String)) {
        for (const secret of [...typed, ...answers]) expect(value).not.toContain(secret);
      }
    }
  });
});
