import { createHash, randomBytes } from 'node:crypto';
import type { AlertPreferences } from '../admin/consoleApi.js';
import type { Sealer } from '../crypto/createSealer.js';
import type { OpenDatabase, StaffTable } from '../store/openDatabase.js';
import { timeOrderedId } from '../store/timeOrderedId.js';
import { createStaffMfa, type StaffMfa } from './mfa.js';
import { DEFAULT_COST, hashPassword } from './passwords.js';

export const roles = ['admin', 'staff'] as const;
export type Role = (typeof roles)[number];
export const staffLocales = ['en', 'es'] as const;
export type StaffLocale = (typeof staffLocales)[number];

export interface Staff {
  readonly id: string;
  readonly center: string;
  readonly email: string;
  readonly role: Role;
  readonly locale: StaffLocale;
  /** The person's own alerts for new leads; both off until they turn them on. */
  readonly alerts: AlertPreferences;
}

export interface StaffAccount extends Staff {
  readonly passwordHash: string;
  readonly failedLogins: number;
  readonly lockedUntil: Date | null;
  /** Signs in with a code from an app after the password. */
  readonly mfaEnabled: boolean;
}

export interface Session {
  /** The SHA-256 of the cookie's token, as stored. */
  readonly id: string;
  readonly staff: Staff;
  readonly csrf: string;
  readonly expiresAt: Date;
  /** Whether the account signs in with a code, and whether its center requires that of everyone. */
  readonly mfa: { readonly enabled: boolean; readonly required: boolean };
}

/** A colleague as an admin of the center sees them. */
export interface Member extends Staff {
  /** null: never signed in. */
  readonly lastSignInAt: Date | null;
  /** Only a lock still running; null once it has passed. */
  readonly lockedUntil: Date | null;
  /** When the unused invitation or reset link waiting for them ends; null if none. */
  readonly linkExpiresAt: Date | null;
  /** When they turned two-step sign-in on; null while it is off. */
  readonly mfaEnabledAt: Date | null;
}

export const linkPurposes = ['invite', 'reset'] as const;
export type LinkPurpose = (typeof linkPurposes)[number];

/** A one-time link as found by its token; `state` says whether it can still be used. */
export interface StaffLink {
  readonly staff: Staff;
  readonly purpose: LinkPurpose;
  readonly expiresAt: Date;
  readonly state: 'waiting' | 'used' | 'expired';
}

export type UseLink =
  | { readonly outcome: 'used'; readonly staff: Staff; readonly purpose: LinkPurpose }
  | { readonly outcome: 'not_found' | 'link_used' | 'link_expired' };

export interface NewStaff {
  readonly center: string;
  readonly email: string;
  readonly role: Role;
  readonly locale?: StaffLocale;
  /** Without one, a password no one knows: the account is signed in to only after a link sets one. */
  readonly password?: string;
  /** scrypt cost as log2(N); tests use less than the default to stay fast. */
  readonly cost?: number;
}

export interface StaffStore extends StaffMfa {
  /**
   * Adds an account; throws StaffExistsError when the address is taken (also by an `add` running at the
   * same time), and an Error when the address has a character `addressProblem` refuses.
   */
  add(staff: NewStaff): Promise<Staff>;
  /**
   * Sets a new password and unlocks the account; every session ends and any waiting link is void.
   * False when there is no such address.
   */
  setPassword(email: string, password: string, cost?: number): Promise<boolean>;
  list(center?: string): Promise<Staff[]>;
  findByEmail(email: string): Promise<StaffAccount | null>;
  /**
   * Counts a failed sign-in in one conditional update, and locks the account for `lockMs` once
   * `lockAfter` failures are reached. While a lock runs nothing is counted (`counted: false`) and the
   * running lock is returned: tries that were in flight when the lock was set cannot start a new count.
   */
  recordFailure(id: string, lockAfter: number, lockMs: number): Promise<FailureCount>;
  /** The same, for an address with no account: kept in the database, as an account's is. */
  recordUnknownFailure(email: string, lockAfter: number, lockMs: number): Promise<FailureCount>;
  /**
   * A right password: clears the count and notes the sign-in, unless a lock is running, set perhaps
   * while this password was being checked; false then, and the sign-in must be refused.
   */
  recordSuccess(id: string): Promise<boolean>;
  /** The lock after failed sign-ins while it runs: when it ends and how long that is from now; else null. */
  runningLock(id: string): Promise<{ readonly until: Date; readonly msLeft: number } | null>;
  /** Ends every session of the account; returns how many. */
  endSessions(staffId: string): Promise<number>;
  /** Starts a session; the token goes in the cookie and only its hash is stored. */
  startSession(staffId: string, ttlMs: number): Promise<{ token: string; session: Session }>;
  /** The live session for a cookie's token, or null (unknown or expired: an expired one is deleted). */
  session(token: string): Promise<Session | null>;
  endSession(token: string): Promise<void>;
  /**
   * Records that the session's inbox view `viewKey` is audited now, unless that same view was audited
   * less than `gapMs` ago; true if recorded (a different view is always recorded).
   */
  claimInboxAudit(sessionId: string, viewKey: string, gapMs: number): Promise<boolean>;
  /** Deletes expired sessions; returns how many. */
  deleteExpiredSessions(): Promise<number>;

  /** The center's accounts by address, with their last sign-in, lock and waiting link. */
  members(center: string): Promise<Member[]>;
  /** One account of the center, or null when the address is not one of the center's. */
  member(center: string, email: string): Promise<Member | null>;
  /** Sets the person's alerts; the account, or null when there is none. */
  setPreferences(staffId: string, preferences: { alerts: AlertPreferences }): Promise<Staff | null>;
  setLocale(staffId: string, locale: StaffLocale): Promise<Staff | null>;
  /**
   * Gives an account of the center a role; refused when it would leave the center without an admin.
   * `from` is the role it had.
   */
  setRole(
    center: string,
    email: string,
    role: Role,
  ): Promise<
    | { readonly outcome: 'changed'; readonly from: Role; readonly staff: Staff }
    | { readonly outcome: 'not_found' }
    | { readonly outcome: 'last_admin' }
  >;
  /** Lifts the lock after failed sign-ins and starts the count again; null when there is no such account. */
  unlock(center: string, email: string): Promise<Staff | null>;
  /**
   * Deletes an account of the center and its sessions, unless it is the center's last admin. The
   * account's leads are the lead store's to give back.
   */
  removeMember(
    center: string,
    email: string,
  ): Promise<
    | { readonly outcome: 'removed'; readonly staff: Staff }
    | { readonly outcome: 'not_found' }
    | { readonly outcome: 'last_admin' }
  >;
  /**
   * The old password stops working at once: a new hash, of `password` or of one no one knows. The lock
   * is lifted, every session ends and any waiting link is void.
   */
  resetPassword(staffId: string, password?: string): Promise<void>;
  /**
   * A person's own new password: every other session of the account ends, `keepSessionId` stays, and
   * any waiting link is void.
   */
  changePassword(staffId: string, password: string, keepSessionId: string): Promise<void>;
  /**
   * A one-time link to set a password, replacing any the account had waiting. The token goes in the
   * link and only its SHA-256 is stored.
   */
  createLink(
    staffId: string,
    purpose: LinkPurpose,
    createdBy: string,
    ttlMs: number,
  ): Promise<{ readonly token: string; readonly expiresAt: Date }>;
  findLink(token: string): Promise<StaffLink | null>;
  /**
   * Sets the password through a link, once: the link is claimed with a conditional update, so of two
   * requests at the same time only one succeeds. The account's sessions end and its lock is lifted.
   */
  useLink(token: string, password: string): Promise<UseLink>;
}

/** Where failed sign-ins stand: the count, and the lock when one runs. */
export interface FailureCount {
  readonly failures: number;
  readonly lockedUntil: Date | null;
  /** False when a lock was already running: this try was refused without being counted. */
  readonly counted: boolean;
}

export class StaffExistsError extends Error {
  override readonly name = 'StaffExistsError';
}

/**
 * Staff accounts, their sessions, one-time links and two-step sign-in. Addresses are compared
 * lower-cased. `cost` is the scrypt cost of the passwords this store hashes itself (tests use less than
 * the default); `sealer` seals the TOTP secrets (without it, enrolling and checking codes throw).
 */
export function createStaffStore(
  database: OpenDatabase,
  now: () => Date = () => new Date(),
  options: { readonly cost?: number; readonly sealer?: Sealer } = {},
): StaffStore {
  const { db } = database;
  const cost = options.cost ?? DEFAULT_COST;
  const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
  /** A hash of a password no one knows: the account cannot be signed in to until it gets a real one. */
  const unknowableHash = () => hashPassword(randomBytes(32).toString('base64url'), cost);

  async function memberRows(center: string, email?: string): Promise<Member[]> {
    const at = now().toISOString();
    let query = db
      .selectFrom('staff')
      .selectAll('staff')
      .select((eb) =>
        eb
          .selectFrom('staff_links')
          .select((inner) => inner.fn.max('staff_links.expires_at').as('expires'))
          .whereRef('staff_links.staff_id', '=', 'staff.id')
          .where('staff_links.used_at', 'is', null)
          .where('staff_links.expires_at', '>', at)
          .as('link_expires_at'),
      )
      .where('center', '=', center)
      .orderBy('email');
    if (email !== undefined) query = query.where('email', '=', normalizeEmail(email));
    return (await query.execute()).map((row) => ({
      ...toStaff(row),
      lastSignInAt: row.last_login_at === null ? null : new Date(row.last_login_at),
      lockedUntil: row.locked_until !== null && row.locked_until > at ? new Date(row.locked_until) : null,
      linkExpiresAt: row.link_expires_at == null ? null : new Date(row.link_expires_at),
      mfaEnabledAt: row.mfa_enabled_at === null ? null : new Date(row.mfa_enabled_at),
    }));
  }

  async function findLink(token: string): Promise<StaffLink | null> {
    const row = await db
      .selectFrom('staff_links')
      .innerJoin('staff', 'staff.id', 'staff_links.staff_id')
      .selectAll('staff')
      .select(['staff_links.purpose', 'staff_links.expires_at', 'staff_links.used_at'])
      .where('staff_links.id', '=', tokenHash(token))
      .executeTakeFirst();
    if (row === undefined) return null;
    const state: StaffLink['state'] =
      row.used_at !== null ? 'used' : row.expires_at <= now().toISOString() ? 'expired' : 'waiting';
    return {
      staff: toStaff(row),
      purpose: row.purpose === 'reset' ? 'reset' : 'invite',
      expiresAt: new Date(row.expires_at),
      state,
    };
  }

  /** Locks the center's admins (PostgreSQL) and counts them, so two admins cannot demote each other at once. */
  async function lockAdmins(trx: typeof db, center: string): Promise<number> {
    let query = trx.selectFrom('staff').select('id').where('center', '=', center).where('role', '=', 'admin');
    // SQLite runs one write transaction at a time; PostgreSQL needs the rows locked.
    if (database.dialect === 'postgres') query = query.forUpdate();
    return (await query.execute()).length;
  }

  /**
   * For a change that must leave the center an admin: the center's admins counted and locked, then the
   * account's row (undefined when the center has no such account).
   */
  async function adminsAndRow(trx: typeof db, center: string, email: string) {
    const admins = await lockAdmins(trx, center);
    const row = await trx
      .selectFrom('staff')
      .selectAll()
      .where('center', '=', center)
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst();
    return { admins, row };
  }

  const mfa = createStaffMfa(database, now, options.sealer);

  return {
    ...mfa,

    async add(staff) {
      const email = normalizeEmail(staff.email);
      const problem = addressProblem(email);
      if (problem !== undefined) throw new Error(`${JSON.stringify(email)} cannot be an account's address: ${problem}`);
      const taken = async (): Promise<StaffExistsError | undefined> => {
        const existing = await db.selectFrom('staff').select('center').where('email', '=', email).executeTakeFirst();
        if (existing === undefined) return undefined;
        return new StaffExistsError(`${email} already has an account (center "${existing.center}")`);
      };
      const early = await taken();
      if (early) throw early;
      const row = {
        id: timeOrderedId(),
        center: staff.center,
        email,
        role: staff.role,
        locale: staff.locale ?? 'en',
        password_hash:
          staff.password === undefined
            ? await unknowableHash()
            : await hashPassword(staff.password, staff.cost ?? cost),
        created_at: now().toISOString(),
      };
      try {
        await db.insertInto('staff').values(row).execute();
      } catch (error) {
        // Another `add` of the address got in while this one was hashing: the same answer as before it.
        if (isUniqueViolation(error)) throw (await taken()) ?? error;
        throw error;
      }
      return toStaff({ ...row, preferences: null });
    },

    async setPassword(email, password, passwordCost = cost) {
      const passwordHash = await hashPassword(password, passwordCost);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('staff')
          .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
          .where('email', '=', normalizeEmail(email))
          .returning('id')
          .executeTakeFirst();
        if (row === undefined) return false;
        // A new password ends every session signed in with the old one, and an old link cannot set another.
        await trx.deleteFrom('sessions').where('staff_id', '=', row.id).execute();
        await trx.deleteFrom('mfa_tickets').where('staff_id', '=', row.id).execute();
        await trx.deleteFrom('staff_links').where('staff_id', '=', row.id).where('used_at', 'is', null).execute();
        return true;
      });
    },

    async list(center) {
      let query = db.selectFrom('staff').selectAll().orderBy('center').orderBy('email');
      if (center !== undefined) query = query.where('center', '=', center);
      return (await query.execute()).map(toStaff);
    },

    async findByEmail(email) {
      const row = await db
        .selectFrom('staff')
        .selectAll()
        .where('email', '=', normalizeEmail(email))
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        ...toStaff(row),
        passwordHash: row.password_hash,
        failedLogins: Number(row.failed_logins),
        lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
        mfaEnabled: row.mfa_enabled_at !== null,
      };
    },

    async recordFailure(id, lockAfter, lockMs) {
      return db.transaction().execute(async (trx): Promise<FailureCount> => {
        const at = now();
        // Counted only while no lock runs, in the same statement that reads the count, so that of
        // many tries at once each gets its own number and none counts after the lock.
        const row = await trx
          .updateTable('staff')
          .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
          .where('id', '=', id)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at.toISOString())]))
          .returning(['failed_logins'])
          .executeTakeFirst();
        return settleFailure(row?.failed_logins, at, lockAfter, lockMs, {
          running: async () =>
            (await trx.selectFrom('staff').select('locked_until').where('id', '=', id).executeTakeFirst())
              ?.locked_until,
          lock: (until) =>
            trx.updateTable('staff').set({ locked_until: until, failed_logins: 0 }).where('id', '=', id).execute(),
        });
      });
    },

    async recordUnknownFailure(email, lockAfter, lockMs) {
      const key = createHash('sha256').update(normalizeEmail(email)).digest('hex');
      return db.transaction().execute(async (trx): Promise<FailureCount> => {
        const at = now();
        const stamp = at.toISOString();
        // Nothing older than a day is needed to answer as an account would: the lock is 15 minutes.
        await trx
          .deleteFrom('signin_failures')
          .where('updated_at', '<', new Date(at.getTime() - 24 * 60 * 60_000).toISOString())
          .execute();
        const row = await trx
          .insertInto('signin_failures')
          .values({ key, failures: 1, locked_until: null, updated_at: stamp })
          .onConflict((conflict) =>
            conflict
              .column('key')
              .doUpdateSet((eb) => ({ failures: eb('signin_failures.failures', '+', 1), updated_at: stamp }))
              .where((eb) =>
                eb.or([
                  eb('signin_failures.locked_until', 'is', null),
                  eb('signin_failures.locked_until', '<=', stamp),
                ]),
              ),
          )
          .returning(['failures'])
          .executeTakeFirst();
        return settleFailure(row?.failures, at, lockAfter, lockMs, {
          running: async () =>
            (await trx.selectFrom('signin_failures').select('locked_until').where('key', '=', key).executeTakeFirst())
              ?.locked_until,
          lock: (until) =>
            trx
              .updateTable('signin_failures')
              .set({ locked_until: until, failures: 0 })
              .where('key', '=', key)
              .execute(),
        });
      });
    },

    async recordSuccess(id) {
      const at = now().toISOString();
      // Only while no lock runs: a lock set during the password check stands.
      const result = await db
        .updateTable('staff')
        .set({ failed_logins: 0, locked_until: null, last_login_at: at })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async runningLock(id) {
      const row = await db.selectFrom('staff').select('locked_until').where('id', '=', id).executeTakeFirst();
      if (row?.locked_until == null) return null;
      const until = new Date(row.locked_until);
      const msLeft = until.getTime() - now().getTime();
      return msLeft > 0 ? { until, msLeft } : null;
    },

    async endSessions(staffId) {
      const result = await db.deleteFrom('sessions').where('staff_id', '=', staffId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async startSession(staffId, ttlMs) {
      const token = randomBytes(32).toString('base64url');
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + ttlMs);
      const row = {
        id: tokenHash(token),
        staff_id: staffId,
        csrf: randomBytes(24).toString('base64url'),
        created_at: createdAt.toISOString(),
        expires_at: expiresAt.toISOString(),
      };
      await db.insertInto('sessions').values(row).execute();
      const staff = await db.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow();
      const required = await mfa.mfaRequired(staff.center);
      return {
        token,
        session: {
          id: row.id,
          staff: toStaff(staff),
          csrf: row.csrf,
          expiresAt,
          mfa: { enabled: staff.mfa_enabled_at !== null, required },
        },
      };
    },

    async session(token) {
      const id = tokenHash(token);
      const row = await db
        .selectFrom('sessions')
        .innerJoin('staff', 'staff.id', 'sessions.staff_id')
        .select([
          'sessions.csrf',
          'sessions.expires_at',
          'staff.id',
          'staff.center',
          'staff.email',
          'staff.role',
          'staff.locale',
          'staff.preferences',
          'staff.mfa_enabled_at',
        ])
        // The center's rule, read with the session: every console call is checked against it.
        .select((eb) =>
          eb
            .selectFrom('center_settings')
            .select('center_settings.mfa_required')
            .whereRef('center_settings.center', '=', 'staff.center')
            .as('mfa_required'),
        )
        .where('sessions.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return null;
      if (row.expires_at <= now().toISOString()) {
        await db.deleteFrom('sessions').where('id', '=', id).execute();
        return null;
      }
      return {
        id,
        staff: toStaff(row),
        csrf: row.csrf,
        expiresAt: new Date(row.expires_at),
        mfa: { enabled: row.mfa_enabled_at !== null, required: Number(row.mfa_required ?? 0) === 1 },
      };
    },

    async endSession(token) {
      await db.deleteFrom('sessions').where('id', '=', tokenHash(token)).execute();
    },

    async claimInboxAudit(sessionId, viewKey, gapMs) {
      const at = now();
      // One conditional update, so two polls at once cannot both claim the same view.
      const result = await db
        .updateTable('sessions')
        .set({ inbox_seen_at: at.toISOString(), inbox_view: viewKey })
        .where('id', '=', sessionId)
        .where((eb) =>
          eb.or([
            eb('inbox_seen_at', 'is', null),
            eb('inbox_view', 'is', null),
            eb('inbox_view', '!=', viewKey),
            eb('inbox_seen_at', '<=', new Date(at.getTime() - gapMs).toISOString()),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async deleteExpiredSessions() {
      const result = await db.deleteFrom('sessions').where('expires_at', '<=', now().toISOString()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    members: (center) => memberRows(center),

    async member(center, email) {
      return (await memberRows(center, email))[0] ?? null;
    },

    async setPreferences(staffId, preferences) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('staff').select('preferences').where('id', '=', staffId).executeTakeFirst();
        if (row === undefined) return null;
        // Kept beside whatever else the JSON holds, so a later setting does not wipe this one.
        const stored = { ...parsePreferences(row.preferences), alerts: { ...preferences.alerts } };
        const updated = await trx
          .updateTable('staff')
          .set({ preferences: JSON.stringify(stored) })
          .where('id', '=', staffId)
          .returningAll()
          .executeTakeFirst();
        return updated === undefined ? null : toStaff(updated);
      });
    },

    async setLocale(staffId, locale) {
      const row = await db
        .updateTable('staff')
        .set({ locale })
        .where('id', '=', staffId)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : toStaff(row);
    },

    async setRole(center, email, role) {
      return db.transaction().execute(async (trx) => {
        const { admins, row } = await adminsAndRow(trx, center, email);
        if (row === undefined) return { outcome: 'not_found' as const };
        const from = toStaff(row).role;
        if (from === 'admin' && role !== 'admin' && admins <= 1) return { outcome: 'last_admin' as const };
        const updated = await trx
          .updateTable('staff')
          .set({ role })
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { outcome: 'changed' as const, from, staff: toStaff(updated) };
      });
    },

    async unlock(center, email) {
      const row = await db
        .updateTable('staff')
        .set({ failed_logins: 0, locked_until: null })
        .where('center', '=', center)
        .where('email', '=', normalizeEmail(email))
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : toStaff(row);
    },

    async removeMember(center, email) {
      return db.transaction().execute(async (trx) => {
        const { admins, row } = await adminsAndRow(trx, center, email);
        if (row === undefined) return { outcome: 'not_found' as const };
        if (row.role === 'admin' && admins <= 1) return { outcome: 'last_admin' as const };
        // Sessions and links first: they would go by cascade, but a removed person must be signed out for certain.
        await trx.deleteFrom('sessions').where('staff_id', '=', row.id).execute();
        await trx.deleteFrom('staff_links').where('staff_id', '=', row.id).execute();
        await trx.deleteFrom('staff').where('id', '=', row.id).execute();
        return { outcome: 'removed' as const, staff: toStaff(row) };
      });
    },

    async resetPassword(staffId, password) {
      const passwordHash = password === undefined ? await unknowableHash() : await hashPassword(password, cost);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff')
          .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
          .where('id', '=', staffId)
          .execute();
        await trx.deleteFrom('sessions').where('staff_id', '=', staffId).execute();
        await trx.deleteFrom('mfa_tickets').where('staff_id', '=', staffId).execute();
        await trx.deleteFrom('staff_links').where('staff_id', '=', staffId).where('used_at', 'is', null).execute();
      });
    },

    async changePassword(staffId, password, keepSessionId) {
      const passwordHash = await hashPassword(password, cost);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff')
          .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
          .where('id', '=', staffId)
          .execute();
        await trx.deleteFrom('sessions').where('staff_id', '=', staffId).where('id', '!=', keepSessionId).execute();
        await trx.deleteFrom('mfa_tickets').where('staff_id', '=', staffId).execute();
        await trx.deleteFrom('staff_links').where('staff_id', '=', staffId).where('used_at', 'is', null).execute();
      });
    },

    async createLink(staffId, purpose, createdBy, ttlMs) {
      const token = randomBytes(32).toString('base64url');
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + ttlMs);
      await db.transaction().execute(async (trx) => {
        // One waiting link per account: a new invitation or reset replaces the one before.
        await trx.deleteFrom('staff_links').where('staff_id', '=', staffId).where('used_at', 'is', null).execute();
        await trx
          .insertInto('staff_links')
          .values({
            id: tokenHash(token),
            staff_id: staffId,
            purpose,
            created_by: createdBy,
            created_at: createdAt.toISOString(),
            expires_at: expiresAt.toISOString(),
          })
          .execute();
      });
      return { token, expiresAt };
    },

    findLink,

    async useLink(token, password) {
      // A cheap look first: a link that cannot be used costs no password hashing.
      const found = await findLink(token);
      if (found === null) return { outcome: 'not_found' };
      if (found.state === 'used') return { outcome: 'link_used' };
      if (found.state === 'expired') return { outcome: 'link_expired' };
      const passwordHash = await hashPassword(password, cost);
      return db.transaction().execute(async (trx): Promise<UseLink> => {
        const at = now().toISOString();
        // The claim: only one request can move used_at from null, however many arrive at once.
        const claimed = await trx
          .updateTable('staff_links')
          .set({ used_at: at })
          .where('id', '=', tokenHash(token))
          .where('used_at', 'is', null)
          .where('expires_at', '>', at)
          .returning(['staff_id', 'purpose'])
          .executeTakeFirst();
        if (claimed === undefined) {
          const link = await trx
            .selectFrom('staff_links')
            .select('used_at')
            .where('id', '=', tokenHash(token))
            .executeTakeFirst();
          if (link === undefined) return { outcome: 'not_found' };
          return { outcome: link.used_at === null ? 'link_expired' : 'link_used' };
        }
        const row = await trx
          .updateTable('staff')
          .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
          .where('id', '=', claimed.staff_id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.deleteFrom('sessions').where('staff_id', '=', row.id).execute();
        return { outcome: 'used', staff: toStaff(row), purpose: claimed.purpose === 'reset' ? 'reset' : 'invite' };
      });
    },
  };
}

/** An address as stored and compared: trimmed, lower-cased and in Unicode NFC (one form for é, not two). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase().normalize('NFC');
}

/**
 * What makes a (normalised) address unfit for an account, or undefined: a character that does not show
 * or steers the text around it (zero-width spaces, bidi overrides, NUL and the rest of Unicode's
 * "other" category, \p{C}) would let an address look like another's; white space has no place in one.
 */
export function addressProblem(email: string): string | undefined {
  const hidden = /\p{C}/u.exec(email)?.[0];
  if (hidden !== undefined) {
    const codePoint = (hidden.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `it has an invisible or control character (U+${codePoint}), which can make one address look like another; type it again by hand`;
  }
  if (/\s/u.test(email)) return 'it has a space in it, and an e-mail address has none';
  return undefined;
}

/** A unique constraint refused the write: SQLite (better-sqlite3) and PostgreSQL say so by code. */
function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

function toStaff(row: Pick<StaffTable, 'id' | 'center' | 'email' | 'role' | 'locale' | 'preferences'>): Staff {
  const { alerts } = parsePreferences(row.preferences);
  return {
    id: row.id,
    center: row.center,
    email: row.email,
    role: row.role === 'admin' ? 'admin' : 'staff',
    locale: row.locale === 'es' ? 'es' : 'en',
    alerts: { sound: alerts?.sound === true, desktop: alerts?.desktop === true },
  };
}

/** The stored settings JSON; anything unreadable counts as the defaults. */
function parsePreferences(text: string | null): { alerts?: Partial<AlertPreferences>; [key: string]: unknown } {
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return parsed as { alerts?: Partial<AlertPreferences> };
  } catch {
    return {};
  }
}

/**
 * What a failure comes to once counted: `failures` is the new count, or undefined when no row was
 * counted because a lock runs (that lock is returned). At `lockAfter`, the lock is set and the count
 * starts again, so that after the lock the next tries are counted afresh.
 */
async function settleFailure(
  failures: number | string | undefined,
  at: Date,
  lockAfter: number,
  lockMs: number,
  io: { running: () => Promise<string | null | undefined>; lock: (until: string) => Promise<unknown> },
): Promise<FailureCount> {
  if (failures === undefined)
    return { failures: lockAfter, lockedUntil: lockedDate(await io.running(), at), counted: false };
  const count = Number(failures);
  if (count < lockAfter) return { failures: count, lockedUntil: null, counted: true };
  const lockedUntil = new Date(at.getTime() + lockMs);
  await io.lock(lockedUntil.toISOString());
  return { failures: count, lockedUntil, counted: true };
}

/** A stored lock's end, if it is still ahead of `at`; else null. */
function lockedDate(stored: string | null | undefined, at: Date): Date | null {
  if (stored == null) return null;
  const until = new Date(stored);
  return until > at ? until : null;
}
