import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeAuditEntry } from '../audit/createAuditLog.js';
import { type Config, ConfigError, loadConfig } from '../config/loadConfig.js';
import { createSealer, resolveDataKey } from '../crypto/createSealer.js';
import { createDataKeys } from '../crypto/dataKeys.js';
import { rotateKeys } from '../crypto/rotateKeys.js';
import { createLeadStore } from '../leads/createLeadStore.js';
import { exportLeads } from '../leads/exportLeads.js';
import { purgeExpired } from '../leads/retention.js';
import { createServices } from '../services.js';
import {
  createStaffStore,
  normalizeEmail,
  type Role,
  roles,
  StaffExistsError,
  type StaffLocale,
  staffLocales,
} from '../staff/createStaffStore.js';
import { generatePassword, passwordProblem } from '../staff/passwords.js';
import { startServer } from '../startServer.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/openDatabase.js';

export interface CliIo {
  readonly env: Record<string, string | undefined>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); `serve` then closes cleanly. */
  readonly stopped: Promise<void>;
  readonly now?: () => Date;
  /**
   * Asks for a password without echoing it, when a person is at the terminal; resolves to '' when
   * none is typed (or no one is there), and a password is generated instead.
   */
  readonly readPassword?: (prompt: string) => Promise<string>;
}

export const USAGE = `Usage: intake-chat <command> [options]

Commands:
  serve    [--config FILE] [--port N] [--data DIR]   take leads and serve the widget
  migrate  [--config FILE] [--data DIR]              apply database migrations and exit
  purge    [--config FILE] [--data DIR]              delete unconverted leads past each center's retention days
  export   --center ID --since DATE [--locale en|es] [--data DIR]
                                                    write a center's leads since DATE (YYYY-MM-DD) as CSV,
                                                    the answers labelled in that language (default en)
  staff add --center ID --email ADDRESS [--role admin|staff] [--locale en|es]
                                                    give someone a console account (asks for a password,
                                                    or generates one and shows it once)
  staff password --email ADDRESS                    set a new password (asked or generated); unlocks the
                                                    account and signs out its sessions
  staff mfa-reset --email ADDRESS                   turn off an account's two-step sign-in (lost phone and
                                                    recovery codes) and sign it out everywhere
  staff remove --email ADDRESS                      delete an account and sign it out everywhere
  staff list [--center ID]                          list the console accounts
  keys status                                       the data keys that sealed what is stored, and which
                                                    of them this environment holds
  keys rotate [--batch N]                           re-seal everything under INTAKE_DATA_KEY (N rows per
                                                    transaction, default 500); resumable, audited

Environment: PORT (default 8787), INTAKE_CONFIG, INTAKE_DATA_DIR (default ./data), DATABASE_URL
(PostgreSQL; SQLite under the data folder without it), INTAKE_DATA_KEY (base64 of 32 bytes: seals),
INTAKE_OLD_DATA_KEYS (earlier keys, separated by commas: only open what they sealed).
With no config, the shipped demo center "riverbend" is served.
`;

/** `intake-chat serve|migrate|purge|export`; resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...afterCommand] = args;
  // `staff` and `keys` have subcommands: `staff add ...`, `keys rotate`.
  const grouped = command === 'staff' || command === 'keys';
  const sub = grouped ? afterCommand[0] : undefined;
  const rest = grouped ? afterCommand.slice(1) : afterCommand;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? 2 : 0;
  }
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        center: { type: 'string' },
        since: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        locale: { type: 'string' },
        batch: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { env } = io;
  const dataDir = values.data ?? env.INTAKE_DATA_DIR ?? './data';
  const databaseUrl = env.DATABASE_URL || undefined;
  const log = (line: Record<string, unknown>) => io.stdout(`${JSON.stringify(line)}\n`);
  try {
    const config = loadConfig(values.config ?? env.INTAKE_CONFIG, env);
    switch (command) {
      case 'serve': {
        const port = Number(values.port ?? env.PORT ?? 8787);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          io.stderr(`--port must be a whole number from 0 to 65535, not "${values.port ?? env.PORT}"\n`);
          return 2;
        }
        const server = await startServer({
          config,
          port,
          dataDir,
          databaseUrl,
          env,
          log,
          host: env.HOST ?? '127.0.0.1',
          version: packageVersion(),
        });
        await io.stopped;
        await server.close();
        return 0;
      }
      case 'migrate': {
        const database = openDatabase({ url: databaseUrl, dataDir });
        const applied = await migrate(database);
        await database.db.destroy();
        io.stdout(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
        return 0;
      }
      case 'purge': {
        const services = await openServices(dataDir, databaseUrl, env);
        const now = (io.now ?? (() => new Date()))();
        let failed = false;
        for (const purged of await purgeExpired(config, services.retention, now, services.insight)) {
          if (purged.error !== undefined) {
            failed = true;
            io.stderr(`${purged.center}: the purge stopped: ${purged.error}\n`);
            continue;
          }
          io.stdout(
            `${purged.center}: deleted ${purged.leads} unconverted leads older than ${purged.retentionDays} days` +
              (purged.evidence > 0 ? ` and ${purged.evidence} expired consent records` : '') +
              (purged.counts
                ? `; ${purged.counts} day counts of insight past ${config.centers.get(purged.center)?.insight.retentionDays} days`
                : '') +
              '\n',
          );
          if (purged.unreadable !== undefined) {
            io.stderr(
              `${purged.center}: kept ${purged.unreadable} leads past retention that the data keys cannot open (their consent evidence would be lost); supply the missing key (intake-chat keys status) and purge again\n`,
            );
          }
        }
        await services.leads.close();
        return failed ? 1 : 0;
      }
      case 'export': {
        const center = values.center === undefined ? undefined : config.centers.get(values.center);
        const since = values.since === undefined ? Number.NaN : Date.parse(values.since);
        const locale = values.locale ?? 'en';
        if (center === undefined || Number.isNaN(since)) {
          io.stderr(
            `export needs --center (one of: ${[...config.centers.keys()].join(', ')}) and --since as a date like 2026-11-01\n`,
          );
          return 2;
        }
        if (!(staffLocales as readonly string[]).includes(locale)) {
          io.stderr(`--locale must be "en" or "es", not "${locale}"\n`);
          return 2;
        }
        const { leads } = await openServices(dataDir, databaseUrl, env);
        try {
          const unreadable: string[] = [];
          const chunks = exportLeads(leads.list(center.id, new Date(since)), 'csv', {
            flow: center.flow,
            locale,
            history: (leadId) => leads.history(center.id, leadId),
            onUnreadable: (lead) => unreadable.push(lead.id),
          });
          for await (const chunk of chunks) io.stdout(chunk);
          if (unreadable.length > 0) {
            io.stderr(
              `${unreadable.length} leads cannot be read with the current data keys and were exported without their details: ${unreadable.join(', ')}. Supply the missing key in INTAKE_OLD_DATA_KEYS (see \`intake-chat keys status\`).\n`,
            );
          }
        } finally {
          await leads.close();
        }
        return 0;
      }
      case 'staff':
        return await runStaff(sub, values, config, { dataDir, databaseUrl, env }, io);
      case 'keys':
        return await runKeys(sub, values, { dataDir, databaseUrl, env }, io);
      default:
        io.stderr(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`intake-chat ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

/** `intake-chat staff add|password|list`. */
async function runStaff(
  sub: string | undefined,
  values: Record<string, string | undefined>,
  config: Config,
  where: { dataDir: string; databaseUrl: string | undefined; env: Record<string, string | undefined> },
  io: CliIo,
): Promise<number> {
  const { email } = values;
  const problems: string[] = [];
  if (sub !== 'add' && sub !== 'password' && sub !== 'remove' && sub !== 'list' && sub !== 'mfa-reset') {
    io.stderr(`staff needs a subcommand: add, password, mfa-reset, remove or list.\n\n${USAGE}`);
    return 2;
  }
  if (sub !== 'list' && (email === undefined || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))) {
    problems.push(`--email must be the person's e-mail address, such as "sam@riverbend.example"`);
  }
  if (sub === 'add' && (values.center === undefined || !config.centers.has(values.center))) {
    problems.push(`--center must be one of the configured centers: ${[...config.centers.keys()].join(', ')}`);
  }
  const role = values.role ?? 'staff';
  if (sub === 'add' && !(roles as readonly string[]).includes(role)) {
    problems.push(`--role must be "admin" (also reads the audit log and exports) or "staff", not "${role}"`);
  }
  const locale = values.locale ?? 'en';
  if (sub === 'add' && !(staffLocales as readonly string[]).includes(locale)) {
    problems.push(`--locale must be "en" or "es", not "${locale}"`);
  }
  if (problems.length > 0) {
    io.stderr(`${problems.join('\n')}\n`);
    return 2;
  }
  const database = openDatabase({ url: where.databaseUrl, dataDir: where.dataDir });
  try {
    await migrate(database);
    const staff = createStaffStore(database, io.now);
    if (sub === 'list') {
      const accounts = await staff.list(values.center);
      if (accounts.length === 0)
        io.stdout('No console accounts yet. Add one with: intake-chat staff add --center ID --email ADDRESS\n');
      for (const account of accounts)
        io.stdout(`${account.center}\t${account.email}\t${account.role}\t${account.locale}\n`);
      return 0;
    }
    const address = normalizeEmail(email ?? '');
    const at = (io.now ?? (() => new Date()))();
    // Account changes made at the terminal go to the audit log too, by "cli".
    const audit = (center: string, action: string, detail: Record<string, unknown> = {}) =>
      writeAuditEntry(
        database.db,
        { center, staffEmail: 'cli', action, detail: { account: address, ...detail } },
        at.toISOString(),
      );
    if (sub === 'remove') {
      // The same rules as the console's Team page: never the last admin, and the leads go back to no one.
      const account = await staff.findByEmail(address);
      const removed = account === null ? null : await staff.removeMember(account.center, address);
      if (removed === null || removed.outcome === 'not_found') {
        io.stderr(`There is no console account for ${address}; "intake-chat staff list" shows them.\n`);
        return 1;
      }
      if (removed.outcome === 'last_admin') {
        io.stderr(
          `Not removed: ${address} is the last admin of ${account?.center}. Add another admin first: intake-chat staff add --center ${account?.center} --role admin --email ADDRESS\n`,
        );
        return 1;
      }
      const leads = createLeadStore(database, createSealer(resolveDataKey(where.env, where.dataDir).keys), io.now);
      const leadsReturned = await leads.unassignAll(removed.staff.center, address);
      await audit(removed.staff.center, 'staff.remove', { leadsReturned });
      const returned = leadsReturned === 0 ? '' : ` ${leadsReturned} assigned lead(s) went back to no one.`;
      io.stdout(`Removed ${address} from ${removed.staff.center}; its sessions are signed out.${returned}\n`);
      return 0;
    }
    if (sub === 'mfa-reset') {
      // The way back in for someone whose phone and recovery codes are gone and who has no admin to ask.
      const account = await staff.findByEmail(address);
      if (account === null) {
        io.stderr(`There is no console account for ${address}; "intake-chat staff list" shows them.\n`);
        return 1;
      }
      await staff.resetMfa(account.id);
      await audit(account.center, 'staff.mfa_reset');
      io.stdout(
        `Two-step sign-in is off for ${address}, and its sessions are signed out; it can be set up again in My settings.\n`,
      );
      return 0;
    }
    const typed = (await io.readPassword?.('Password (at least 12 characters; press Enter to generate one): ')) ?? '';
    const problem = typed === '' ? undefined : passwordProblem(typed);
    if (problem !== undefined) {
      io.stderr(`Not changed: ${problem}.\n`);
      return 2;
    }
    const password = typed === '' ? generatePassword() : typed;
    if (sub === 'add') {
      try {
        await staff.add({
          center: values.center ?? '',
          email: address,
          role: role as Role,
          locale: locale as StaffLocale,
          password,
        });
      } catch (error) {
        if (!(error instanceof StaffExistsError)) throw error;
        io.stderr(`${error.message}. To give it a new password: intake-chat staff password --email ${address}\n`);
        return 1;
      }
      await audit(values.center ?? '', 'staff.add');
      io.stdout(`Added ${address} (${role}) to ${values.center}.\n`);
    } else {
      if (!(await staff.setPassword(address, password))) {
        io.stderr(
          `There is no console account for ${address}. Add one with: intake-chat staff add --center ID --email ${address}\n`,
        );
        return 1;
      }
      const account = await staff.findByEmail(address);
      if (account !== null) await audit(account.center, 'staff.password');
      io.stdout(`New password set for ${address}; the account is unlocked and its sessions are signed out.\n`);
    }
    if (typed === '') io.stdout(`Password (shown once; hand it over privately): ${password}\n`);
    return 0;
  } finally {
    await database.db.destroy();
  }
}

/** `intake-chat keys status|rotate`. */
async function runKeys(
  sub: string | undefined,
  values: Record<string, string | undefined>,
  where: { dataDir: string; databaseUrl: string | undefined; env: Record<string, string | undefined> },
  io: CliIo,
): Promise<number> {
  if (sub !== 'status' && sub !== 'rotate') {
    io.stderr(`keys needs a subcommand: status or rotate.\n\n${USAGE}`);
    return 2;
  }
  const batch = Number(values.batch ?? 500);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
    io.stderr(`--batch must be a whole number of rows from 1 to 10000, not "${values.batch}"\n`);
    return 2;
  }
  const sealer = createSealer(resolveDataKey(where.env, where.dataDir).keys);
  const database = openDatabase({ url: where.databaseUrl, dataDir: where.dataDir });
  try {
    await migrate(database);
    const dataKeys = createDataKeys(database.db, sealer, io.now ?? (() => new Date()));
    if (sub === 'status') {
      const role = (id: string) => (id === sealer.currentKeyId ? 'INTAKE_DATA_KEY' : 'INTAKE_OLD_DATA_KEYS');
      const known = await dataKeys.list();
      for (const key of known) {
        const state =
          key.retiredAt !== null ? `retired ${key.retiredAt}` : key.held ? `held (${role(key.id)})` : 'MISSING';
        io.stdout(`${key.id}  first used ${key.createdAt}  ${state}\n`);
      }
      for (const id of sealer.keyIds.filter((held) => !known.some((key) => key.id === held))) {
        io.stdout(`${id}  not used here yet  held (${role(id)})\n`);
      }
      return known.some((key) => key.retiredAt === null && !key.held) ? 1 : 0;
    }
    const rotation = await rotateKeys(database.db, sealer, dataKeys, { batch, now: io.now ?? (() => new Date()) });
    for (const [center, counts] of rotation.resealed) {
      io.stdout(
        `${center}: re-sealed ${counts.leads} leads, ${counts.notes} notes, ${counts.evidence} consent records, ${counts.secrets} two-step sign-in secrets\n`,
      );
    }
    if (rotation.resealed.size === 0) io.stdout(`Everything is already sealed under ${sealer.currentKeyId}.\n`);
    for (const id of rotation.retired)
      io.stdout(`Key ${id} seals nothing any more: remove it from INTAKE_OLD_DATA_KEYS.\n`);
    if (rotation.unreadable > 0) {
      io.stderr(
        `${rotation.unreadable} values open with none of this environment's keys and were left as they are; ` +
          'add the key they need to INTAKE_OLD_DATA_KEYS (see `intake-chat keys status`) and run this again.\n',
      );
      return 1;
    }
    return 0;
  } finally {
    await database.db.destroy();
  }
}

/** The server package's version, from src/cli or dist/cli alike. */
function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The services for a one-off command, migrated first so it works on a fresh data folder too. */
async function openServices(dataDir: string, databaseUrl: string | undefined, env: Record<string, string | undefined>) {
  const key = resolveDataKey(env, dataDir);
  const database = openDatabase({ url: databaseUrl, dataDir });
  await migrate(database);
  return createServices(database, createSealer(key.keys));
}
