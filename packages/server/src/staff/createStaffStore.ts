import { createHash, randomBytes } from 'node:crypto';
import type { OpenDatabase, StaffTable } from '../store/openDatabase.js';
import { timeOrderedId } from '../store/timeOrderedId.js';
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
}

export interface StaffAccount extends Staff {
  readonly passwordHash: string;
  readonly failedLogins: number;
  readonly lockedUntil: Date | null;
}

export interface Session {
  /** The SHA-256 of the cookie's token, as stored. */
  readonly id: string;
  readonly staff: Staff;
  readonly csrf: string;
  readonly expiresAt: Date;
}

export interface NewStaff {
  readonly center: string;
  readonly email: string;
  readonly role: Role;
  readonly locale?: StaffLocale;
  readonly password: string;
  /** scrypt cost as log2(N); tests use less than the default to stay fast. */
  readonly cost?: number;
}

export interface StaffStore {
  /** Adds an account; throws StaffExistsError when the address is taken. */
  add(staff: NewStaff): Promise<Staff>;
  /** Sets a new password and unlocks the account; false when there is no such address. */
  setPassword(email: string, password: string, cost?: number): Promise<boolean>;
  /** Deletes an account and its sessions; the removed account, or null when there was none. */
  remove(email: string): Promise<Staff | null>;
  list(center?: string): Promise<Staff[]>;
  findByEmail(email: string): Promise<StaffAccount | null>;
  /** Counts a failed sign-in; locks the account for `lockMs` once `lockAfter` failures are reached. */
  recordFailure(id: string, lockAfter: number, lockMs: number): Promise<{ failures: number; lockedUntil: Date | null }>;
  recordSuccess(id: string): Promise<void>;
  /** Starts a session; the token goes in the cookie and only its hash is stored. */
  startSession(staffId: string, ttlMs: number): Promise<{ token: string; session: Session }>;
  /** The live session for a cookie's token, or null (unknown or expired: an expired one is deleted). */
  session(token: string): Promise<Session | null>;
  endSession(token: string): Promise<void>;
  /** Records that the session's inbox was audited now, unless it was less than `gapMs` ago; true if recorded. */
  claimInboxAudit(sessionId: string, gapMs: number): Promise<boolean>;
  /** Deletes expired sessions; returns how many. */
  deleteExpiredSessions(): Promise<number>;
}

export class StaffExistsError extends Error {
  override readonly name = 'StaffExistsError';
}

/** Staff accounts and their sessions. Addresses are compared lower-cased. */
export function createStaffStore(database: OpenDatabase, now: () => Date = () => new Date()): StaffStore {
  const { db } = database;
  const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

  return {
    async add(staff) {
      const email = normalizeEmail(staff.email);
      const existing = await db.selectFrom('staff').select('center').where('email', '=', email).executeTakeFirst();
      if (existing) throw new StaffExistsError(`${email} already has an account (center "${existing.center}")`);
      const row = {
        id: timeOrderedId(),
        center: staff.center,
        email,
        role: staff.role,
        locale: staff.locale ?? 'en',
        password_hash: await hashPassword(staff.password, staff.cost ?? DEFAULT_COST),
        created_at: now().toISOString(),
      };
      await db.insertInto('staff').values(row).execute();
      return toStaff(row);
    },

    async setPassword(email, password, cost = DEFAULT_COST) {
      const result = await db
        .updateTable('staff')
        .set({ password_hash: await hashPassword(password, cost), failed_logins: 0, locked_until: null })
        .where('email', '=', normalizeEmail(email))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      // A new password ends every session signed in with the old one.
      await db
        .deleteFrom('sessions')
        .where('staff_id', 'in', db.selectFrom('staff').select('id').where('email', '=', normalizeEmail(email)))
        .execute();
      return true;
    },

    async remove(email) {
      const row = await db
        .selectFrom('staff')
        .selectAll()
        .where('email', '=', normalizeEmail(email))
        .executeTakeFirst();
      if (row === undefined) return null;
      // Sessions first: they would go by cascade, but a removed person must be signed out for certain.
      await db.deleteFrom('sessions').where('staff_id', '=', row.id).execute();
      await db.deleteFrom('staff').where('id', '=', row.id).execute();
      return toStaff(row);
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
      };
    },

    async recordFailure(id, lockAfter, lockMs) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('staff')
          .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
          .where('id', '=', id)
          .returning(['failed_logins'])
          .executeTakeFirstOrThrow();
        const failures = Number(row.failed_logins);
        if (failures < lockAfter) return { failures, lockedUntil: null };
        // Locked, and the count starts again: after the lock, the next tries are counted afresh.
        const lockedUntil = new Date(now().getTime() + lockMs);
        await trx
          .updateTable('staff')
          .set({ locked_until: lockedUntil.toISOString(), failed_logins: 0 })
          .where('id', '=', id)
          .execute();
        return { failures, lockedUntil };
      });
    },

    async recordSuccess(id) {
      await db.updateTable('staff').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
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
      return { token, session: { id: row.id, staff: toStaff(staff), csrf: row.csrf, expiresAt } };
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
        ])
        .where('sessions.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return null;
      if (row.expires_at <= now().toISOString()) {
        await db.deleteFrom('sessions').where('id', '=', id).execute();
        return null;
      }
      return { id, staff: toStaff(row), csrf: row.csrf, expiresAt: new Date(row.expires_at) };
    },

    async endSession(token) {
      await db.deleteFrom('sessions').where('id', '=', tokenHash(token)).execute();
    },

    async claimInboxAudit(sessionId, gapMs) {
      const at = now();
      const result = await db
        .updateTable('sessions')
        .set({ inbox_seen_at: at.toISOString() })
        .where('id', '=', sessionId)
        .where((eb) =>
          eb.or([
            eb('inbox_seen_at', 'is', null),
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
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toStaff(row: Pick<StaffTable, 'id' | 'center' | 'email' | 'role' | 'locale'>): Staff {
  return {
    id: row.id,
    center: row.center,
    email: row.email,
    role: row.role === 'admin' ? 'admin' : 'staff',
    locale: row.locale === 'es' ? 'es' : 'en',
  };
}
