import { createHash, randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Sealer } from '../crypto/createSealer.js';
import type { OpenDatabase } from '../store/openDatabase.js';

/** Recovery codes made at enrolment, each good for one sign-in. */
export const RECOVERY_CODE_COUNT = 10;

/** What a code typed at the second step turned out to be. */
export type CodeCheck =
  /** The app's code for now, or a step either side, never taken before. */
  | 'totp'
  /** One of the account's recovery codes, now used up. */
  | 'recovery'
  /** The app's code of a step already taken: seen once, perhaps over a shoulder. */
  | 'replayed'
  | 'wrong'
  /** A 6-digit code, but the secret is sealed under a data key this server does not hold. */
  | 'unreadable';

export type ConfirmMfa =
  | { readonly outcome: 'enabled'; readonly recoveryCodes: string[] }
  | { readonly outcome: 'wrong_code' | 'not_started' | 'already_enabled' };

/** Two-step sign-in in the staff store: the secret, its codes, the tickets between the steps and the center's rule. */
export interface StaffMfa {
  /**
   * A new secret for the account, waiting for its first code (a secret waiting before is replaced);
   * `already_enabled` when two-step sign-in is on, which must be turned off before it is set up again.
   */
  startMfa(
    staffId: string,
  ): Promise<{ readonly outcome: 'started'; readonly secret: string } | { readonly outcome: 'already_enabled' }>;
  /**
   * The first code proves the app holds the secret: two-step sign-in is on, the code's step is taken,
   * `RECOVERY_CODE_COUNT` new recovery codes replace any before (only their hashes are kept), and every
   * session of the account but `keepSessionId` ends.
   */
  confirmMfa(staffId: string, code: string, keepSessionId: string): Promise<ConfirmMfa>;
  /** Checks and uses a code: the app's (each time step once) or a recovery code (once). */
  checkMfa(staffId: string, code: string): Promise<CodeCheck>;
  recoveryCodesLeft(staffId: string): Promise<number>;
  /** Turns two-step sign-in off (or drops a waiting enrolment): the secret, recovery codes and tickets are deleted. */
  disableMfa(staffId: string): Promise<void>;
  /** An admin's reset, for a lost phone: off, as `disableMfa`, and every session of the account ends. */
  resetMfa(staffId: string): Promise<void>;
  /** A ticket for the second step after a right password; only its SHA-256 is stored. */
  startMfaTicket(staffId: string, ttlMs: number): Promise<string>;
  /** The account a live ticket is for, or null (unknown, used or expired). */
  mfaTicket(
    token: string,
  ): Promise<{ readonly staffId: string; readonly email: string; readonly center: string } | null>;
  /** Uses the ticket up: of two requests at once, one gets true. */
  claimMfaTicket(token: string): Promise<boolean>;
  mfaRequired(center: string): Promise<boolean>;
  setMfaRequired(center: string, required: boolean, by: string): Promise<void>;
}

/** What a TOTP secret is sealed with: bound to its account, so it cannot be moved to another. */
export const totpContext = (staffId: string) => `totp:${staffId}`;

/**
 * The MFA half of the staff store. The TOTP secret is sealed with the data key, bound to the account
 * (context `totp:<id>`); without a sealer, the calls that need the secret throw.
 */
export function createStaffMfa(database: OpenDatabase, now: () => Date, sealer: Sealer | undefined): StaffMfa {
  const { db } = database;
  const context = totpContext;
  const keys = (): Sealer => {
    if (sealer === undefined)
      throw new Error('this staff store was made without the data keys: give createStaffStore a sealer');
    return sealer;
  };

  /** Ends the account's sessions, but `keep`, in the transaction `trx`. */
  async function signOut(trx: typeof db, staffId: string, keep?: string) {
    let sessions = trx.deleteFrom('sessions').where('staff_id', '=', staffId);
    if (keep !== undefined) sessions = sessions.where('id', '!=', keep);
    await sessions.execute();
  }

  /** Deletes the secret, its step and the recovery codes, in the transaction `trx`. */
  async function turnOff(trx: typeof db, staffId: string) {
    await trx
      .updateTable('staff')
      .set({ totp_secret: null, mfa_enabled_at: null, totp_last_step: null })
      .where('id', '=', staffId)
      .execute();
    await trx.deleteFrom('recovery_codes').where('staff_id', '=', staffId).execute();
    await trx.deleteFrom('mfa_tickets').where('staff_id', '=', staffId).execute();
  }

  /** Takes the code's time step, unless it (or a later one) was taken: one conditional update, so a code counts once. */
  async function takeStep(staffId: string, step: number): Promise<boolean> {
    const result = await db
      .updateTable('staff')
      .set({ totp_last_step: step })
      .where('id', '=', staffId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** A secret sealed under an older key is sealed again under the current one as it is used, so rotation leaves none behind. */
  async function resealIfOld(staffId: string, sealed: string, secret: string) {
    const current = keys();
    if (current.keyIdOf(sealed) === current.currentKeyId) return;
    await db
      .updateTable('staff')
      .set({ totp_secret: current.seal(secret, context(staffId)) })
      .where('id', '=', staffId)
      .where('totp_secret', '=', sealed)
      .execute();
  }

  return {
    async startMfa(staffId) {
      const secret = new Secret({ size: 20 }).base32;
      const result = await db
        .updateTable('staff')
        .set({ totp_secret: keys().seal(secret, context(staffId)), totp_last_step: null })
        .where('id', '=', staffId)
        .where('mfa_enabled_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? { outcome: 'started', secret } : { outcome: 'already_enabled' };
    },

    async confirmMfa(staffId, code, keepSessionId) {
      const row = await db
        .selectFrom('staff')
        .select(['totp_secret', 'mfa_enabled_at'])
        .where('id', '=', staffId)
        .executeTakeFirst();
      if (row?.mfa_enabled_at != null) return { outcome: 'already_enabled' };
      if (row?.totp_secret == null) return { outcome: 'not_started' };
      const step = matchingStep(keys().open<string>(row.totp_secret, context(staffId)), code, now());
      if (step === null) return { outcome: 'wrong_code' };
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      const at = now().toISOString();
      return db.transaction().execute(async (trx): Promise<ConfirmMfa> => {
        // Only the secret this code was checked against: a new start in the meantime wins.
        const enabled = await trx
          .updateTable('staff')
          .set({ mfa_enabled_at: at, totp_last_step: step })
          .where('id', '=', staffId)
          .where('mfa_enabled_at', 'is', null)
          .where('totp_secret', '=', row.totp_secret)
          .executeTakeFirst();
        if (Number(enabled.numUpdatedRows) === 0) return { outcome: 'not_started' };
        await trx.deleteFrom('recovery_codes').where('staff_id', '=', staffId).execute();
        await trx
          .insertInto('recovery_codes')
          .values(
            recoveryCodes.map((shown) => ({
              code_hash: sha256(shown.replaceAll('-', '')),
              staff_id: staffId,
              created_at: at,
            })),
          )
          .execute();
        // Whoever signed in with the password alone before now needs the code too.
        await signOut(trx, staffId, keepSessionId);
        return { outcome: 'enabled', recoveryCodes };
      });
    },

    async checkMfa(staffId, code) {
      const row = await db
        .selectFrom('staff')
        .select(['totp_secret', 'mfa_enabled_at'])
        .where('id', '=', staffId)
        .executeTakeFirst();
      if (row?.mfa_enabled_at == null || row.totp_secret === null) return 'wrong';
      const compact = code.replace(/[\s-]/g, '');
      if (/^\d{6}$/.test(compact)) {
        let secret: string;
        try {
          secret = keys().open<string>(row.totp_secret, context(staffId));
        } catch {
          return 'unreadable';
        }
        const step = matchingStep(secret, compact, now());
        if (step === null) return 'wrong';
        if (!(await takeStep(staffId, step))) return 'replayed';
        await resealIfOld(staffId, row.totp_secret, secret);
        return 'totp';
      }
      const key = recoveryKey(code);
      if (key === null) return 'wrong';
      // One conditional update: a code used by two requests at once signs in one of them.
      const used = await db
        .updateTable('recovery_codes')
        .set({ used_at: now().toISOString() })
        .where('code_hash', '=', sha256(key))
        .where('staff_id', '=', staffId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(used.numUpdatedRows) > 0 ? 'recovery' : 'wrong';
    },

    async recoveryCodesLeft(staffId) {
      const rows = await db
        .selectFrom('recovery_codes')
        .select('code_hash')
        .where('staff_id', '=', staffId)
        .where('used_at', 'is', null)
        .execute();
      return rows.length;
    },

    async disableMfa(staffId) {
      await db.transaction().execute((trx) => turnOff(trx, staffId));
    },

    async resetMfa(staffId) {
      await db.transaction().execute(async (trx) => {
        await turnOff(trx, staffId);
        await signOut(trx, staffId);
      });
    },

    async startMfaTicket(staffId, ttlMs) {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      await db
        .insertInto('mfa_tickets')
        .values({
          id: sha256(token),
          staff_id: staffId,
          created_at: at.toISOString(),
          expires_at: new Date(at.getTime() + ttlMs).toISOString(),
        })
        .execute();
      // Expired tickets of anyone go as new ones come: the table holds minutes of sign-ins, no more.
      await db.deleteFrom('mfa_tickets').where('expires_at', '<=', at.toISOString()).execute();
      return token;
    },

    async mfaTicket(token) {
      const row = await db
        .selectFrom('mfa_tickets')
        .innerJoin('staff', 'staff.id', 'mfa_tickets.staff_id')
        .select(['staff.id', 'staff.email', 'staff.center'])
        .where('mfa_tickets.id', '=', sha256(token))
        .where('mfa_tickets.expires_at', '>', now().toISOString())
        .executeTakeFirst();
      return row === undefined ? null : { staffId: row.id, email: row.email, center: row.center };
    },

    async claimMfaTicket(token) {
      const result = await db
        .deleteFrom('mfa_tickets')
        .where('id', '=', sha256(token))
        .where('expires_at', '>', now().toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async mfaRequired(center) {
      const row = await db
        .selectFrom('center_settings')
        .select('mfa_required')
        .where('center', '=', center)
        .executeTakeFirst();
      return Number(row?.mfa_required ?? 0) === 1;
    },

    async setMfaRequired(center, required, by) {
      const values = { mfa_required: required ? 1 : 0, updated_by: by, updated_at: now().toISOString() };
      await db
        .insertInto('center_settings')
        .values({ center, ...values })
        .onConflict((conflict) => conflict.column('center').doUpdateSet(values))
        .execute();
    },
  };
}

/** The TOTP an authenticator app makes from the secret (RFC 6238's defaults, which every app reads: SHA-1, 6 digits, 30 s). */
function totp(secret: string, issuer = '', label = ''): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The `otpauth://` address the QR code holds: the center's name and the person's address, as the app lists them. */
export function otpauthUrl(secret: string, issuer: string, email: string): string {
  return totp(secret, issuer, email).toString();
}

/** The QR code of `text` as SVG, made here so that the console carries no QR library. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/**
 * The time step a 6-digit code belongs to: now, or one step either side (a phone's clock a little off,
 * a code typed as it changed); null when it is none of them.
 */
export function matchingStep(secret: string, code: string, at: Date): number | null {
  const compact = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(compact)) return null;
  const timestamp = at.getTime();
  const delta = TOTP.validate({ token: compact, secret: Secret.fromBase32(secret), timestamp, window: 1 });
  return delta === null ? null : TOTP.counter({ timestamp }) + delta;
}

/**
 * Recovery codes are digits only, so that one field with a phone's number pad takes them as it takes
 * the app's code: 20 digits (66 random bits, more than a stolen hash is worth guessing), shown in
 * groups of four.
 */
const RECOVERY_DIGITS = 20;

function newRecoveryCode(): string {
  const code = Array.from({ length: RECOVERY_DIGITS }, () => randomInt(10)).join('');
  return code.match(/.{4}/g)?.join('-') ?? code;
}

/** A recovery code as typed, with or without its dashes and spaces, as it is hashed; null when it cannot be one. */
function recoveryKey(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '');
  return /^\d+$/.test(code) && code.length === RECOVERY_DIGITS ? code : null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
