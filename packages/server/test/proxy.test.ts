import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RunningServer, startServer } from '@intake-chat/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validLead } from './support/validLead.js';

// Behind the operator's proxy, the client address comes from X-Forwarded-For: only from the entry that
// proxy added (the last), or a client could name a new address on every request and never be limited.

describe('behind a proxy (INTAKE_TRUST_PROXY=1)', () => {
  let server: RunningServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'intake-proxy-'));
    server = await startServer({
      config: loadConfig(undefined, {}),
      port: 0,
      dataDir,
      env: { INTAKE_DATA_KEY: randomBytes(32).toString('base64'), INTAKE_TRUST_PROXY: '1' },
      log: () => {},
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (forwardedFor: string) =>
    fetch(`${server.url}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify(validLead()),
    });

  it('limits a client by the address the proxy saw, whatever it claims before it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await post(`10.0.${i}.1, 203.0.113.7`)).status);
    expect(statuses.slice(0, 20).every((status) => status === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Another client behind the same proxy is not held back by the first.
    expect((await post('203.0.113.8')).status).toBe(201);
  });
});
