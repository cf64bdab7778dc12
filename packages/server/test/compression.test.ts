import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createApp, createSealer, createServices, migrate, type Services } from '@intake-chat/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseEncoding } from '../src/http/compression.js';
import { twoCenters } from './support/consoleApp.js';
import { openSqliteTestDatabase, type TestDatabase } from './support/testDatabases.js';

let testDatabase: TestDatabase;
let services: Services;
const folders: string[] = [];

beforeEach(async () => {
  testDatabase = openSqliteTestDatabase();
  await migrate(testDatabase.database);
  services = createServices(testDatabase.database, createSealer(randomBytes(32)));
});

afterEach(async () => {
  await testDatabase.dispose();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A built widget of some size, as the build leaves it, and the app serving it. */
function appWith(files: Record<string, string | Buffer> = {}) {
  const widgetDir = mkdtempSync(join(tmpdir(), 'intake-widget-'));
  folders.push(widgetDir);
  const script = `customElements.define("intake-chat", class extends HTMLElement {});\n${'/* launcher */ '.repeat(400)}`;
  writeFileSync(join(widgetDir, 'widget.js'), script);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(widgetDir, name), body);
  return { app: createApp({ config: twoCenters(), services, widgetDir }), script };
}

const get = (app: ReturnType<typeof createApp>, path: string, encoding?: string, extra: Record<string, string> = {}) =>
  app.request(path, { headers: { ...(encoding === undefined ? {} : { 'accept-encoding': encoding }), ...extra } });

describe('Accept-Encoding', () => {
  it('picks brotli, then gzip, then the body as it is, honouring q-values and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('br;q=0.1, gzip;q=0.9')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0')).toBe('identity');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding('x-gzip')).toBe('gzip');
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('')).toBe('identity');
  });
});

describe('the widget’s files on the wire', () => {
  it('go in brotli or gzip to browsers that take them, with Vary and one ETag per encoding', async () => {
    const { app, script } = appWith();
    const br = await get(app, '/widget.js', 'gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const brBody = Buffer.from(await br.arrayBuffer());
    expect(brotliDecompressSync(brBody).toString()).toBe(script);
    expect(brBody.length).toBeLessThan(script.length / 10);

    const gzip = await get(app, '/widget.js', 'gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(script);

    const plain = await get(app, '/widget.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);

    // A cache holding the brotli copy revalidates it as that copy; the plain tag does not match it.
    const tags = [br, gzip, plain].map((response) => response.headers.get('etag'));
    expect(new Set(tags).size).toBe(3);
    const again = await get(app, '/widget.js', 'br', { 'if-none-match': tags[0] ?? '' });
    expect([again.status, again.headers.get('etag'), again.headers.get('vary')]).toEqual([
      304,
      tags[0],
      'Accept-Encoding',
    ]);
    expect((await get(app, '/widget.js', 'br', { 'if-none-match': tags[2] ?? '' })).status).toBe(200);
  });

  it('uses the build’s compressed copy when it holds the file, and not one left from another build', async () => {
    const stale = brotliCompressSync('an older widget');
    const { app, script } = appWith({ 'widget.js.br': stale });
    const body = Buffer.from(await (await get(app, '/widget.js', 'br')).arrayBuffer());
    expect(brotliDecompressSync(body).toString()).toBe(script);
  });

  it('sends the frame page compressed, and JSON answers over 1 KB, but not small ones or downloads', async () => {
    const { app } = appWith();
    const frame = await get(app, '/frame?center=riverbend&locale=es', 'br');
    expect(frame.headers.get('content-encoding')).toBe('br');
    expect(frame.headers.get('content-type')).toMatch(/^text\/html/);
    const html = brotliDecompressSync(Buffer.from(await frame.arrayBuffer())).toString();
    expect(html).toContain('<html lang="es">');
    expect(frame.headers.get('content-security-policy')).toContain('frame-ancestors');

    const document = await get(app, '/openapi.json', 'gzip, br');
    expect(document.headers.get('content-encoding')).toBe('br');
    expect(JSON.parse(brotliDecompressSync(Buffer.from(await document.arrayBuffer())).toString()).openapi).toBe(
      '3.1.0',
    );
    expect(document.headers.get('vary')).toBe('Accept-Encoding');
    // The lead API's small answers are never negotiated: nothing to vary on, nothing rebuilt per lead.
    const small = await get(app, '/healthz', 'br');
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(small.headers.get('vary')).toBeNull();
    expect(await small.json()).toMatchObject({ status: 'ok' });
  });
});
