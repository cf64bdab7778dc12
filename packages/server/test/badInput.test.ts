import { leadProblems } from '@intake-chat/engine/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerIfStale, type ChildServer, removeDataDir, startChildServer } from './support/childServer.js';
import { validLead as shared } from './support/validLead.js';

/**
 * One malformed request. `reject` cases must get a 4xx whatever the schema says (wrong media type,
 * too large); `schema` cases must get a 4xx exactly when the lead schema rejects the decoded body,
 * since a fuzzed body is sometimes a valid lead after all (an emoji in a name is fine).
 */
interface BadRequest {
  readonly kind: string;
  readonly body: string | Uint8Array<ArrayBuffer>;
  /** null sends no Content-Type at all. */
  readonly contentType?: string | null;
  readonly expect: 'reject' | 'schema';
}

const SEED = 20261122;
const CONCURRENCY = 8;
const MAX_BODY = 16 * 1024;

/** A valid lead as a plain object, for mutating. */
const validLead = () => structuredClone(shared()) as unknown as Record<string, unknown> & ReturnType<typeof shared>;

let server: ChildServer | undefined;
beforeAll(async () => {
  await buildServerIfStale();
  server = await startChildServer();
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

describe('the lead endpoint under malformed input', () => {
  it('answers thousands of malformed bodies with 4xx, never 5xx, and keeps serving', async () => {
    const { url } = running();
    const requests = [...handMadeRequests(), ...generatedRequests()];
    const histogram = new Map<string, number>();
    const failures: string[] = [];
    let validAfterAll = 0;

    await forEachBounded(requests, CONCURRENCY, async (request) => {
      const status = await send(url, request);
      const key = `${status}`;
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
      const mustReject = request.expect === 'reject' || schemaRejects(request.body);
      if (!mustReject && status === 201) validAfterAll += 1;
      if (typeof status !== 'number' || status >= 500 || (mustReject && (status < 400 || status >= 500))) {
        failures.push(`${request.kind}: got ${status} for ${excerpt(request.body)}`);
      }
    });

    const table = [...histogram].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status}: ${n}`);
    console.log(
      `bad input: ${requests.length} requests; status histogram { ${table.join(', ')} }; ` +
        `${validAfterAll} generated bodies were valid leads after all and got 201`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(3_000);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const valid = await send(url, { kind: 'valid', body: JSON.stringify(validLead()), expect: 'schema' });
    expect(valid).toBe(201);
    // Had a "__proto__" body polluted Object.prototype, a lead without the required boxes would pass.
    const { adult: _adult, ...withoutAdult } = validLead().contact;
    const unticked = { ...validLead(), contact: withoutAdult, consent: { text: false, at: '2026-11-22T12:00:00Z' } };
    expect(await send(url, { kind: 'unticked', body: JSON.stringify(unticked), expect: 'reject' })).toBe(400);
  });
});

function running(): ChildServer {
  if (server === undefined) throw new Error('the child server did not start');
  return server;
}

async function send(url: string, request: BadRequest): Promise<number | string> {
  const headers: Record<string, string> = {};
  if (request.contentType !== null) headers['content-type'] = request.contentType ?? 'application/json';
  try {
    const response = await fetch(`${url}/v1/leads`, {
      method: 'POST',
      headers,
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return `network error (${(error as Error).cause ?? (error as Error).message})`;
  }
}

/** What the schema says of the body as the server decodes it (UTF-8, BOM dropped, bad bytes replaced). */
function schemaRejects(body: string | Uint8Array): boolean {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  if (new TextEncoder().encode(text).length > MAX_BODY) return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return true;
  }
  // The honeypot: bots that fill in "website" are told "stored" and nothing is kept.
  const website =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).website : undefined;
  if (typeof website === 'string' && website.trim() !== '') return false;
  return !leadProblems(parsed).ok;
}

function excerpt(body: string | Uint8Array): string {
  const text = typeof body === 'string' ? body : `bytes ${Buffer.from(body).toString('hex')}`;
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}... (${text.length} chars)` : text);
}

const injections = [
  "'; drop table leads; --",
  "Robert'); DROP TABLE leads;--",
  "1' OR '1'='1",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  // Template injection, as a server-side template engine would read it.
  `{{7*7}}\${7*7}`,
  '../../../../etc/passwd',
];
const unicode = [
  'Sam 😀🔥',
  '\u202Eevil\u202C',
  'سام',
  'a\u0000b',
  '\u0000',
  '\uD800',
  'x\uDFFFy',
  '\uFEFF',
  'e\u0301\u200B',
  '𝕊𝕒𝕞',
  '\r\n\t',
];
const sizes = [61, 501, 1_000, 5_000, 15_000, 20_000];

/** Hand-made mutations of a valid lead: every field with wrong types, odd text, huge text and deep nesting. */
function handMadeRequests(): BadRequest[] {
  const requests: BadRequest[] = [];
  const schema = (kind: string, body: string | Uint8Array<ArrayBuffer>): BadRequest => ({
    kind,
    body,
    expect: 'schema',
  });
  const deepObject = JSON.parse(`${'{"a":'.repeat(1_000)}1${'}'.repeat(1_000)}`) as unknown;
  const deepArray = JSON.parse(`${'['.repeat(1_000)}1${']'.repeat(1_000)}`) as unknown;

  for (const path of leafAndObjectPaths(validLead())) {
    const original = getPath(validLead(), path);
    const wrongTypes: unknown[] = [null, 0, -1, 1.5, 1e308, true, false, '', [], {}, [original], { value: original }];
    if (typeof original !== 'string') wrongTypes.push(JSON.stringify(original), String(original));
    if (typeof original === 'object') wrongTypes.push('riverbend', Object.values(original ?? {}));
    for (const value of wrongTypes) requests.push(schema(`wrong type at ${path.join('.')}`, withPath(path, value)));
    for (const value of [...injections, ...unicode])
      requests.push(schema(`odd text at ${path.join('.')}`, withPath(path, value)));
    for (const size of sizes)
      requests.push(schema(`${size} chars at ${path.join('.')}`, withPath(path, 'a'.repeat(size))));
    requests.push(schema(`1,000-deep object at ${path.join('.')}`, withPath(path, deepObject)));
    requests.push(schema(`1,000-deep array at ${path.join('.')}`, withPath(path, deepArray)));
    requests.push(schema(`missing ${path.join('.')}`, withPath(path, undefined)));
    requests.push(schema(`polluting at ${path.join('.')}`, withPath(path, JSON.parse('{"__proto__":{"adult":true}}'))));
    // String(...) of an object whose toString is not a function throws: a trap for error messages.
    requests.push(
      schema(`hostile toString at ${path.join('.')}`, withPath(path, JSON.parse('{"toString":1,"valueOf":1}'))),
    );
  }

  const lead = JSON.stringify(validLead()).slice(1);
  for (const object of [
    '',
    '"contact":{"__proto__":{"adult":true},"name":"Sam"},',
    '"constructor":{"prototype":{"adult":true}},',
  ]) {
    requests.push(
      schema('prototype pollution', `{"__proto__":{"polluted":true,"center":"riverbend"},${object}${lead}`),
    );
  }
  requests.push(schema('prototype pollution', '{"__proto__":{"center":"riverbend","adult":true}}'));
  requests.push(schema('prototype pollution', '{"constructor":{"prototype":{"center":"riverbend"}}}'));
  requests.push(schema('center with hostile toString', '{"center":{"toString":1}}'));
  requests.push(schema('center with hostile toString', '{"center":[{"toString":null}]}'));
  requests.push(schema('center with hostile toString', '{"center":{"toString":"riverbend","valueOf":"riverbend"}}'));

  const valid = JSON.stringify(validLead());
  for (let cut = 0; cut < valid.length; cut += Math.ceil(valid.length / 60))
    requests.push(schema('truncated JSON', valid.slice(0, cut)));
  for (const text of [
    '',
    ' ',
    '\n',
    'null',
    'true',
    '0',
    '-0',
    '1e999',
    '""',
    '[]',
    '{}',
    '[[',
    '{"center":',
    'NaN',
    'undefined',
  ]) {
    requests.push(schema('tiny body', text));
  }
  for (const suffix of ['x', '}', ',', valid, '\u0000']) requests.push(schema('trailing garbage', `${valid}${suffix}`));
  requests.push(schema('byte order mark', `\uFEFF${valid}`));
  requests.push(schema('single quotes', valid.replaceAll('"', "'")));
  requests.push(schema('comments', `/* lead */${valid}`));
  requests.push(schema('20 KB of whitespace around a lead', `${' '.repeat(20_000)}${valid}`));
  requests.push(schema('20 KB string body', JSON.stringify('a'.repeat(20_000))));
  requests.push(schema('5,000-deep array body', `${'['.repeat(5_000)}${']'.repeat(5_000)}`));
  requests.push(schema('invalid UTF-8', new Uint8Array([0xff, 0xfe, 0xfd])));
  const [before = '', after = ''] = valid.split('"Sam"');
  const badName = [...encode(`${before}"Sam`), 0xc3, 0x28, 0xed, 0xa0, 0x80, ...encode(`"${after}`)];
  requests.push(schema('invalid UTF-8 in a name', Uint8Array.from(badName)));
  const overlong = Uint8Array.from([...encode(valid.slice(0, -1)), 0xc0, 0xaf, 0x7d]);
  requests.push(schema('overlong UTF-8 after a lead', overlong));

  for (const contentType of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ]) {
    requests.push({ kind: `content type ${contentType}`, body: valid, contentType, expect: 'reject' });
  }
  requests.push({
    kind: 'content type application/jsonx',
    body: valid,
    contentType: 'application/jsonx',
    expect: 'reject',
  });
  requests.push({ kind: 'no content type', body: Uint8Array.from(encode(valid)), contentType: null, expect: 'reject' });
  requests.push({
    kind: 'form body',
    body: 'center=riverbend&name=Sam',
    contentType: 'application/x-www-form-urlencoded',
    expect: 'reject',
  });
  requests.push({ kind: '20 KB as text/plain', body: 'a'.repeat(20_000), contentType: 'text/plain', expect: 'reject' });
  return requests;
}

/** Generated bodies: arbitrary JSON, arbitrary values, and random values at each field of a valid lead. */
function generatedRequests(): BadRequest[] {
  const requests: BadRequest[] = [];
  for (const body of fc.sample(fc.json({ maxDepth: 6, stringUnit: 'binary' }), { numRuns: 700, seed: SEED })) {
    requests.push({ kind: 'fc.json', body, expect: 'schema' });
  }
  const anything = fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true, withSparseArray: true });
  for (const value of fc.sample(anything, { numRuns: 500, seed: SEED })) {
    let body: string;
    try {
      body = JSON.stringify(value) ?? String(value);
    } catch {
      body = String(value);
    }
    requests.push({ kind: 'fc.anything', body, expect: 'schema' });
  }
  const paths = leafAndObjectPaths(validLead());
  const mutation = fc.tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }));
  for (const [path, value] of fc.sample(mutation, { numRuns: 900, seed: SEED })) {
    requests.push({ kind: `fc.jsonValue at ${path.join('.')}`, body: withPath(path, value), expect: 'schema' });
  }
  return requests;
}

const encode = (text: string) => new TextEncoder().encode(text);

type Path = readonly string[];

function leafAndObjectPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const nested = Object.entries(value).flatMap(([key, child]) => leafAndObjectPaths(child, [...prefix, key]));
  return prefix.length === 0 ? nested : [prefix, ...nested];
}

function getPath(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value);
}

/** A valid lead's JSON with the value at `path` replaced (removed when undefined). */
function withPath(path: Path, value: unknown): string {
  const lead: Record<string, unknown> = validLead();
  const parent = getPath(lead, path.slice(0, -1)) as Record<string, unknown>;
  const key = path.at(-1) ?? '';
  if (value === undefined) delete parent[key];
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return JSON.stringify(lead);
}

/** Runs `run` over `items` with at most `limit` at once. */
async function forEachBounded<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
