import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { CenterConfig } from '../config/loadConfig.js';
import type { StaffAccount, StaffStore } from '../staff/createStaffStore.js';
import { hashPassword, verifyPassword } from '../staff/passwords.js';
import { MFA_TICKET_MINUTES } from './consoleApi.js';

/** Failed sign-ins in a row that lock an account, and for how long. */
export const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60_000;
/** A session lasts one shift; staff sign in again after it. */
export const SESSION_MS = 12 * 60 * 60_000;
/** Time to type the code after a right password: long enough to find the phone. */
export const MFA_TICKET_MS = MFA_TICKET_MINUTES * 60_000;

export type SignIn =
  | { readonly outcome: 'signed_in'; readonly account: StaffAccount; readonly center: CenterConfig }
  /** The password is right and the account signs in with a code too: the ticket is for that step. */
  | { readonly outcome: 'mfa_required'; readonly ticket: string }
  | { readonly outcome: 'bad_credentials'; readonly triesLeft: number }
  | { readonly outcome: 'locked'; readonly until: Date }
  | { readonly outcome: 'unknown_center'; readonly center: string };

/** The code step of a sign-in. */
export type SecondStep =
  | { readonly outcome: 'signed_in'; readonly staffId: string; readonly center: CenterConfig }
  | { readonly outcome: 'bad_code'; readonly triesLeft: number; readonly replayed: boolean }
  | { readonly outcome: 'locked'; readonly until: Date }
  /** Unknown, used, or older than `MFA_TICKET_MS`: the sign-in starts again with the password. */
  | { readonly outcome: 'ticket_expired' }
  /** The secret is sealed under a data key this server lacks; a recovery code still works. */
  | { readonly outcome: 'unreadable' }
  | { readonly outcome: 'unknown_center'; readonly center: string };

export interface SignInPolicy {
  /** Checks an address and password against the lockout; audits failures and the sign-in itself. */
  signIn(email: string, password: string): Promise<SignIn>;
  /**
   * Checks the code after a right password: the app's code or a recovery code. A wrong one is a failed
   * sign-in of the account, counted toward the same lock as a wrong password.
   */
  secondStep(ticket: string, code: string): Promise<SecondStep>;
}

/**
 * Who may sign in: one password check per attempt whoever asks, a lock after `LOCK_AFTER` failures in
 * a row, and the same answers for an address with no account as for one with an account.
 */
export function createSignInPolicy(options: {
  readonly staff: Pick<
    StaffStore,
    | 'findByEmail'
    | 'recordFailure'
    | 'recordUnknownFailure'
    | 'recordSuccess'
    | 'runningLock'
    | 'startMfaTicket'
    | 'mfaTicket'
    | 'checkMfa'
    | 'claimMfaTicket'
    | 'recoveryCodesLeft'
  >;
  readonly audit: Pick<AuditLog, 'write'>;
  readonly centers: ReadonlyMap<string, CenterConfig>;
}): SignInPolicy {
  const { staff, audit, centers } = options;
  // Checked against when the address is unknown, so that it takes as long to refuse as a wrong password;
  // made on first need, at the default cost, from a password no one knows.
  let unknownAccountHash: Promise<string> | undefined;

  return {
    async signIn(email, password) {
      const account = await staff.findByEmail(email);
      unknownAccountHash ??= hashPassword(randomBytes(18).toString('base64'));
      // One scrypt check for every attempt, known address or not, locked or not: the time taken says nothing.
      const matches = await verifyPassword(password, account?.passwordHash ?? (await unknownAccountHash));
      // What happens next is decided by the database as it stands after the check, not by the row read
      // before it: many tries may be in flight at once, and a lock set meanwhile must hold.
      if (account === null) {
        const { failures, lockedUntil } = await staff.recordUnknownFailure(email, LOCK_AFTER, LOCK_MS);
        if (lockedUntil !== null) return { outcome: 'locked', until: lockedUntil };
        return { outcome: 'bad_credentials', triesLeft: LOCK_AFTER - failures };
      }
      if (!matches) {
        const { failures, lockedUntil, counted } = await staff.recordFailure(account.id, LOCK_AFTER, LOCK_MS);
        // A try refused by a running lock is not a failure of its own: the lock's entry says it all.
        if (counted) {
          await audit.write({
            center: account.center,
            staffEmail: account.email,
            action: 'login.failed',
            detail: lockedUntil === null ? { failures } : { failures, lockedUntil: lockedUntil.toISOString() },
          });
        }
        if (lockedUntil !== null) return { outcome: 'locked', until: lockedUntil };
        return { outcome: 'bad_credentials', triesLeft: LOCK_AFTER - failures };
      }
      const center = centers.get(account.center);
      if (center === undefined) return { outcome: 'unknown_center', center: account.center };
      if (account.mfaEnabled) {
        // The count of failures stands until the code is right too: a password alone cannot start it
        // again, so whoever has it gets no more guesses at the code than at the password.
        const lock = await staff.runningLock(account.id);
        if (lock !== null) return { outcome: 'locked', until: lock.until };
        return { outcome: 'mfa_required', ticket: await staff.startMfaTicket(account.id, MFA_TICKET_MS) };
      }
      // While locked, even the right password is refused: a guesser learns nothing from trying it.
      if (!(await staff.recordSuccess(account.id))) {
        const lock = await staff.runningLock(account.id);
        return { outcome: 'locked', until: lock?.until ?? new Date() };
      }
      // Audited first: a sign-in that cannot be written to the log does not happen.
      await audit.write({ center: center.id, staffEmail: account.email, action: 'login' });
      return { outcome: 'signed_in', account, center };
    },

    async secondStep(ticket, code) {
      const pending = await staff.mfaTicket(ticket);
      if (pending === null) return { outcome: 'ticket_expired' };
      const center = centers.get(pending.center);
      if (center === undefined) return { outcome: 'unknown_center', center: pending.center };
      // Refused before the code is looked at, as a right password is while the lock runs.
      const lock = await staff.runningLock(pending.staffId);
      if (lock !== null) return { outcome: 'locked', until: lock.until };
      const checked = await staff.checkMfa(pending.staffId, code);
      if (checked === 'unreadable') return { outcome: 'unreadable' };
      if (checked === 'wrong' || checked === 'replayed') {
        const { failures, lockedUntil, counted } = await staff.recordFailure(pending.staffId, LOCK_AFTER, LOCK_MS);
        if (counted) {
          await audit.write({
            center: center.id,
            staffEmail: pending.email,
            action: 'login.mfa_failed',
            detail: {
              failures,
              ...(checked === 'replayed' ? { replayed: true } : {}),
              ...(lockedUntil === null ? {} : { lockedUntil: lockedUntil.toISOString() }),
            },
          });
        }
        if (lockedUntil !== null) return { outcome: 'locked', until: lockedUntil };
        return { outcome: 'bad_code', triesLeft: LOCK_AFTER - failures, replayed: checked === 'replayed' };
      }
      // The ticket signs in once: of two right codes at once, one session.
      if (!(await staff.claimMfaTicket(ticket))) return { outcome: 'ticket_expired' };
      if (!(await staff.recordSuccess(pending.staffId))) {
        const running = await staff.runningLock(pending.staffId);
        return { outcome: 'locked', until: running?.until ?? new Date() };
      }
      await audit.write({ center: center.id, staffEmail: pending.email, action: 'login', detail: { mfa: checked } });
      if (checked === 'recovery') {
        await audit.write({
          center: center.id,
          staffEmail: pending.email,
          action: 'staff.recovery_used',
          detail: { left: await staff.recoveryCodesLeft(pending.staffId) },
        });
      }
      return { outcome: 'signed_in', staffId: pending.staffId, center };
    },
  };
}
