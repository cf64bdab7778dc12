import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CliIo,
  createApp,
  createSealer,
  createServices,
  createStaffStore,
  loadConfig,
  migrate,
  openDatabase,
  runCli,
  verifyPassword,
} from '@intake-chat/server';
import { afterEach, describe, expect, it } from 'vitest';

const key = randomBytes(32);
const env = { INTAKE_DATA_KEY: key.toString('base64') };
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'intake-cli-'));
  dirs.push(dir);
  return dir;
}

async function run(args: string[], now?: Date) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stopped: Promise.resolve(),
    ...(now === undefined ? {} : { now: () => now }),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** `run` with a person typing `password` at the prompt. */
async function runWithPassword(args: string[], password: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stopped: Promise.resolve(),
    readPassword: async () => password,
  });
  return { code, stdout, stderr };
}

/** Stores leads through the real API, at the given times. */
async function submitLeads(dir: string, times: Date[], name = 'Sam') {
  const database = openDatabase({ dataDir: dir });
  await migrate(database);
  let clock = new Date();
  const services = createServices(database, createSealer(key), () => clock);
  const app = createApp({ config: loadConfig(undefined, env), services, now: () => clock });
  for (const time of times) {
    clock = time;
    const response = await app.request('/v1/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        idempotencyKey: randomUUID(),
        center: 'riverbend',
        flow: { id: 'iop-intake', version: 1 },
        locale: 'en',
        answers: {
          'for-whom': 'self',
          'safety-now': 'no',
          'home-safe': 'yes',
          support: 'yes',
          'hours-possible': 'yes',
        },
        contact: {
          name,
          phone: '312-555-0142',
          bestTime: 'morning',
          voicemailOk: true,
          textOk: true,
          state: 'IL',
          adult: true,
          forWhom: 'self',
        },
        consent: { call: true, text: true, textVersion: '2026-12-riverbend-text-v1', at: time.toISOString() },
      }),
    });
    expect(response.status).toBe(201);
  }
  await services.leads.close();
}

describe('the intake-chat command line', () => {
  it('prints its usage with exit code 2 when called without a command', async () => {
    const { code, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Usage: intake-chat <command>/);
  });

  it('names an unknown command and an unknown option', async () => {
    expect((await run(['serv'])).stderr).toMatch(/Unknown command "serv"/);
    const option = await run(['migrate', '--dta', 'x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--dta/);
  });

  it('applies migrations once and then says the database is up to date', async () => {
    const dir = dataDir();
    expect((await run(['migrate', '--data', dir])).stdout).toMatch(/Applied: 0001-leads-and-outbox/);
    expect((await run(['migrate', '--data', dir])).stdout).toMatch(/up to date/);
  });

  it('exports a center’s leads since a date as CSV with decrypted contact details', async () => {
    const dir = dataDir();
    await submitLeads(dir, [new Date('2026-10-01T10:00:00Z'), new Date('2026-11-20T10:00:00Z')], '=cmd|calc');
    const { code, stdout } = await run(['export', '--center', 'riverbend', '--since', '2026-11-01', '--data', dir]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,route,urgency,status,name,phone/);
    // Each question twice, labelled and raw, then who has the lead, its notes and its history.
    expect(lines[0]).toContain(',for-whom,for-whom (value),safety-now,safety-now (value),');
    expect(lines[0]).toMatch(/,assignee,notes,status_history$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('iop-fit,normal,new');
    expect(lines[1]).toContain('+13125550142');
    expect(lines[1]).toContain(',For myself,self,No,no,');
    // A name that a spreadsheet would run as a formula is quoted out.
    expect(lines[1]).toContain("'=cmd|calc");

    const again = ['export', '--center', 'riverbend', '--since', '2026-11-01', '--data', dir];
    expect((await run([...again, '--locale', 'es'])).stdout).toContain(',Para mí,self,No,no,');
    const wrong = await run([...again, '--locale', 'fr']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('--locale must be "en" or "es", not "fr"\n');
  });

  it('explains what export needs when the center or date is missing', async () => {
    const { code, stderr } = await run(['export', '--center', 'nowhere', '--since', 'last week', '--data', dataDir()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--center \(one of: riverbend\) and --since as a date like 2026-11-01/);
  });

  it('purges unconverted leads past the center’s retention days and keeps the rest', async () => {
    const dir = dataDir();
    const now = new Date('2026-11-22T12:00:00Z');
    await submitLeads(dir, [new Date('2026-07-01T12:00:00Z'), new Date('2026-11-01T12:00:00Z')]);
    const { code, stdout } = await run(['purge', '--data', dir], now);
    expect(code).toBe(0);
    expect(stdout).toMatch(/riverbend: deleted 1 unconverted leads older than 90 days/);
    const exported = await run(['export', '--center', 'riverbend', '--since', '2020-01-01', '--data', dir]);
    expect(exported.stdout.trim().split('\r\n')).toHaveLength(2);
  });

  it('gives staff a console account with a generated password shown once, and resets it', async () => {
    const dir = dataDir();
    const added = await run([
      'staff',
      'add',
      '--center',
      'riverbend',
      '--email',
      'Sam@Riverbend.example',
      '--role',
      'admin',
      '--data',
      dir,
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added sam@riverbend\.example \(admin\) to riverbend\.\n/);
    const password = /Password \(shown once; hand it over privately\): (\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z2-9]{20}$/);

    const database = openDatabase({ dataDir: dir });
    const staff = createStaffStore(database);
    const account = await staff.findByEmail('sam@riverbend.example');
    expect(account).toMatchObject({ center: 'riverbend', role: 'admin', locale: 'en' });
    expect(await verifyPassword(password, account?.passwordHash ?? '')).toBe(true);
    await staff.recordFailure(account?.id ?? '', 1, 60_000);

    const again = await run([
      'staff',
      'add',
      '--center',
      'riverbend',
      '--email',
      'sam@riverbend.example',
      '--data',
      dir,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /sam@riverbend\.example already has an account \(center "riverbend"\)\. To give it a new password: intake-chat staff password --email sam@riverbend\.example/,
    );

    const reset = await run(['staff', 'password', '--email', 'sam@riverbend.example', '--data', dir]);
    expect(reset.code).toBe(0);
    const newPassword = /hand it over privately\): (\S+)/.exec(reset.stdout)?.[1] ?? '';
    const unlocked = await staff.findByEmail('sam@riverbend.example');
    expect(unlocked?.lockedUntil).toBeNull();
    expect(await verifyPassword(newPassword, unlocked?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword(password, unlocked?.passwordHash ?? '')).toBe(false);

    // A lost phone and lost recovery codes, with no other admin: the operator turns two-step sign-in off.
    await database.db
      .updateTable('staff')
      .set({ totp_secret: 'v2.k0000000000.sealed', mfa_enabled_at: '2026-11-01T00:00:00.000Z' })
      .where('email', '=', 'sam@riverbend.example')
      .execute();
    const mfaReset = await run(['staff', 'mfa-reset', '--email', 'sam@riverbend.example', '--data', dir]);
    expect(mfaReset.stdout).toMatch(/^Two-step sign-in is off for sam@riverbend\.example/);
    const withoutMfa = await database.db
      .selectFrom('staff')
      .select(['totp_secret', 'mfa_enabled_at'])
      .where('email', '=', 'sam@riverbend.example')
      .executeTakeFirstOrThrow();
    expect(withoutMfa).toEqual({ totp_secret: null, mfa_enabled_at: null });
    expect((await run(['staff', 'mfa-reset', '--email', 'nobody@riverbend.example', '--data', dir])).code).toBe(1);
    await database.db.destroy();

    const listed = await run(['staff', 'list', '--data', dir]);
    expect(listed.stdout).toBe('riverbend\tsam@riverbend.example\tadmin\ten\n');

    // The last admin stays (as on the Team page); a colleague can go.
    const lastAdmin = await run(['staff', 'remove', '--email', 'sam@riverbend.example', '--data', dir]);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toBe(
      'Not removed: sam@riverbend.example is the last admin of riverbend. Add another admin first: intake-chat staff add --center riverbend --role admin --email ADDRESS\n',
    );
    await run(['staff', 'add', '--center', 'riverbend', '--email', 'kim@riverbend.example', '--data', dir]);
    const removed = await run(['staff', 'remove', '--email', 'kim@riverbend.example', '--data', dir]);
    expect(removed.stdout).toBe('Removed kim@riverbend.example from riverbend; its sessions are signed out.\n');
    expect((await run(['staff', 'list', '--data', dir])).stdout).toBe('riverbend\tsam@riverbend.example\tadmin\ten\n');
    expect((await run(['staff', 'remove', '--email', 'kim@riverbend.example', '--data', dir])).code).toBe(1);

    // Each account change made at the terminal is in the center's audit log.
    const audited = openDatabase({ dataDir: dir });
    const actions = await audited.db
      .selectFrom('audit')
      .select(['action', 'staff_email', 'detail'])
      .orderBy('id')
      .execute();
    await audited.db.destroy();
    expect(actions.map((row) => `${row.action} ${row.staff_email} ${row.detail}`)).toEqual([
      'staff.add cli {"account":"sam@riverbend.example"}',
      'staff.password cli {"account":"sam@riverbend.example"}',
      'staff.mfa_reset cli {"account":"sam@riverbend.example"}',
      'staff.add cli {"account":"kim@riverbend.example"}',
      'staff.remove cli {"account":"kim@riverbend.example","leadsReturned":0}',
    ]);
  });

  it('says what a staff command is missing', async () => {
    const dir = dataDir();
    const bad = await run(['staff', 'add', '--center', 'nowhere', '--email', 'sam', '--role', 'boss', '--data', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      [
        '--email must be the person\'s e-mail address, such as "sam@riverbend.example"',
        '--center must be one of the configured centers: riverbend',
        '--role must be "admin" (also reads the audit log and exports) or "staff", not "boss"',
        '',
      ].join('\n'),
    );
    const missing = await run(['staff', 'password', '--email', 'nobody@riverbend.example', '--data', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/There is no console account for nobody@riverbend\.example/);
    const short = await runWithPassword(
      ['staff', 'add', '--center', 'riverbend', '--email', 'kim@riverbend.example', '--data', dir],
      'short',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/Not changed: the password must be at least 12 characters/);
    const typed = await runWithPassword(
      ['staff', 'add', '--center', 'riverbend', '--email', 'kim@riverbend.example', '--data', dir],
      'a long typed passphrase',
    );
    expect(typed.code).toBe(0);
    expect(typed.stdout).not.toMatch(/Password/);
  });

  it('serves until asked to stop, reporting its version at /healthz', async () => {
    const dir = dataDir();
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let stdout = '';
    const running = runCli(['serve', '--port', '0', '--data', dir], {
      env,
      stdout: (text) => {
        stdout += text;
      },
      stderr: () => {},
      stopped,
    });
    for (let i = 0; i < 100 && !/listening on/.test(stdout); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const url = /listening on (http:\S+?)"/.exec(stdout)?.[1];
    const health = await (await fetch(`${url}/healthz`)).json();
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(health).toEqual({ status: 'ok', version });
    stop();
    expect(await running).toBe(0);
  });

  it('reports a broken config file with exit code 2 and the path of each problem', async () => {
    const { code, stderr } = await run(['migrate', '--config', '/nonexistent/intake.json', '--data', dataDir()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\/nonexistent\/intake\.json/);
  });
});
