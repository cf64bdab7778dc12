import { Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import { HttpError } from '../http/HttpError.js';
import { readJsonObject } from '../http/plumbing.js';
import type { LeadStore } from '../leads/createLeadStore.js';
import {
  addressProblem,
  type Member,
  normalizeEmail,
  type Role,
  roles,
  StaffExistsError,
  type StaffStore,
  staffLocales,
} from '../staff/createStaffStore.js';
import { generatePassword } from '../staff/passwords.js';
import { type Handover, type HandoverBody, LINK_HOURS, type Team, type TeamMember } from './consoleApi.js';
import type { ConsoleEnv } from './guards.js';
import { notFound } from './notFound.js';

export const LINK_MS = LINK_HOURS * 60 * 60_000;
const handovers = ['link', 'password'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Issue = { path: string; message: string };

/**
 * The center's team (API.md, Admins only): the list for every signed-in member, to pick a colleague
 * to assign to; inviting, roles, resets, unlocking, removing and the center's two-step sign-in rule,
 * which `createAdminRoutes` puts behind `adminOnly`.
 */
export function teamRoutes(options: {
  readonly staff: Pick<
    StaffStore,
    | 'add'
    | 'members'
    | 'member'
    | 'setRole'
    | 'unlock'
    | 'removeMember'
    | 'resetPassword'
    | 'createLink'
    | 'resetMfa'
    | 'mfaRequired'
    | 'setMfaRequired'
  >;
  readonly leads: Pick<LeadStore, 'unassignAll'>;
  readonly audit: Pick<AuditLog, 'write'>;
}) {
  const { staff, leads, audit } = options;
  const routes = new Hono<ConsoleEnv>();

  /** The account of the admin's center named in the path, or 404 (another center's accounts are not found). */
  async function memberOf(center: string, email: string): Promise<Member> {
    const member = await staff.member(center, email);
    if (member === null) throw notFound('account');
    return member;
  }

  /** A fresh one-time link for the account, as the path the console puts after its own origin. */
  async function handOver(
    member: Member,
    purpose: 'invite' | 'reset',
    handover: Handover,
    by: string,
    password: string | undefined,
  ): Promise<HandoverBody> {
    if (handover === 'password' && password !== undefined) {
      return { member: teamMember(await memberOf(member.center, member.email)), password };
    }
    const { token } = await staff.createLink(member.id, purpose, by, LINK_MS);
    return { member: teamMember(await memberOf(member.center, member.email)), link: `/admin#/link/${token}` };
  }

  routes.get('/team', async (c) => {
    const members = await staff.members(c.get('center').id);
    // Every member reads the list, to assign a lead; when colleagues sign in, whether they are locked
    // out, use two-step sign-in and whether a link waits for them are for admins.
    const admin = c.get('session').staff.role === 'admin';
    return c.json<Team>({
      members: members.map(admin ? teamMember : colleague),
      mfaRequired: c.get('session').mfa.required,
    });
  });

  routes.post('/team/mfa', async (c) => {
    const session = c.get('session');
    const body = await readJsonObject(c);
    if (typeof body.required !== 'boolean') {
      throw new HttpError(400, 'invalid_input', 'Say whether two-step sign-in is required: true or false.', [
        { path: 'required', message: 'The setting must be true or false.' },
      ]);
    }
    // Else the admin's own next call would be refused until they set it up: first their own, then everyone's.
    if (body.required && !session.mfa.enabled) {
      throw new HttpError(
        409,
        'mfa_not_enabled',
        'Set up two-step sign-in for your own account first, in My settings. Then require it for everyone.',
      );
    }
    const center = session.staff.center;
    if ((await staff.mfaRequired(center)) !== body.required) {
      await staff.setMfaRequired(center, body.required, session.staff.email);
      await audit.write({
        center,
        staffEmail: session.staff.email,
        action: 'center.mfa_required',
        detail: { required: body.required },
      });
    }
    return c.json<Pick<Team, 'mfaRequired'>>({ mfaRequired: body.required });
  });

  routes.post('/team', async (c) => {
    const { staff: admin } = c.get('session');
    const body = await readJsonObject(c);
    const issues: Issue[] = [];
    const email = typeof body.email === 'string' ? normalizeEmail(body.email) : '';
    // Checked first: an address with a hidden character could pass for a colleague's.
    const problem = addressProblem(email);
    if (problem !== undefined) {
      issues.push({ path: 'email', message: `Check the e-mail address: ${problem}.` });
    } else if (!EMAIL.test(email) || email.length > 254) {
      issues.push({ path: 'email', message: "Enter the colleague's e-mail address, such as sam@riverbend.example." });
    }
    const role = readRole(body.role, issues);
    const locale = oneOf(body.locale, staffLocales, 'locale', 'The language must be "en" or "es".', issues);
    const handover = readHandover(body.handover, issues);
    if (issues.length > 0 || role === undefined || locale === undefined || handover === undefined) {
      throw new HttpError(400, 'invalid_input', 'Check the address, role and language, then try again.', issues);
    }
    // A generated password is shown this once; a link's account gets a password no one knows until the link sets one.
    const password = handover === 'password' ? generatePassword() : undefined;
    let added: Awaited<ReturnType<typeof staff.add>>;
    try {
      added = await staff.add({
        center: admin.center,
        email,
        role,
        locale,
        ...(password === undefined ? {} : { password }),
      });
    } catch (error) {
      if (!(error instanceof StaffExistsError)) throw error;
      // Which center it belongs to is not this center's to learn.
      throw new HttpError(
        409,
        'staff_exists',
        `${email} already has a console account. One address can have one account; ask your server's operator if it belongs at another center.`,
      );
    }
    const member = await memberOf(admin.center, added.email);
    const answer = await handOver(member, 'invite', handover, admin.email, password);
    await audit.write({
      center: admin.center,
      staffEmail: admin.email,
      action: 'staff.invite',
      detail: { account: email, role, locale, handover },
    });
    return c.json<HandoverBody>(answer, 201);
  });

  routes.post('/team/:email/role', async (c) => {
    const { staff: admin } = c.get('session');
    const body = await readJsonObject(c);
    const issues: Issue[] = [];
    const role = readRole(body.role, issues);
    if (role === undefined) throw new HttpError(400, 'invalid_input', 'Choose the role: admin or staff.', issues);
    const result = await staff.setRole(admin.center, c.req.param('email'), role);
    if (result.outcome === 'not_found') throw notFound('account');
    if (result.outcome === 'last_admin') throw lastAdmin('made staff');
    if (result.from !== role) {
      await audit.write({
        center: admin.center,
        staffEmail: admin.email,
        action: 'staff.role',
        detail: { account: result.staff.email, from: result.from, to: role },
      });
    }
    return c.json<TeamMember>(teamMember(await memberOf(admin.center, result.staff.email)));
  });

  routes.post('/team/:email/reset', async (c) => {
    const { staff: admin } = c.get('session');
    const body = await readJsonObject(c);
    const issues: Issue[] = [];
    const handover = readHandover(body.handover, issues);
    if (handover === undefined) {
      throw new HttpError(400, 'invalid_input', 'Choose how to hand over the reset: a link or a password.', issues);
    }
    const member = await memberOf(admin.center, c.req.param('email'));
    const password = handover === 'password' ? generatePassword() : undefined;
    // The old password stops working now, and the account's sessions end, whichever the handover.
    await staff.resetPassword(member.id, password);
    // Two-step sign-in too: a reset link signs in by itself, and must not pass for the person's own
    // second step. Where the center requires it, they set it up again as they sign in.
    const mfaReset = member.mfaEnabledAt !== null;
    if (mfaReset) await staff.resetMfa(member.id);
    const answer = await handOver(member, 'reset', handover, admin.email, password);
    await audit.write({
      center: admin.center,
      staffEmail: admin.email,
      action: 'staff.reset',
      detail: { account: member.email, handover, ...(mfaReset ? { mfaReset } : {}) },
    });
    return c.json<HandoverBody>(answer);
  });

  routes.post('/team/:email/unlock', async (c) => {
    const { staff: admin } = c.get('session');
    const unlocked = await staff.unlock(admin.center, c.req.param('email'));
    if (unlocked === null) throw notFound('account');
    await audit.write({
      center: admin.center,
      staffEmail: admin.email,
      action: 'staff.unlock',
      detail: { account: unlocked.email },
    });
    return c.json<TeamMember>(teamMember(await memberOf(admin.center, unlocked.email)));
  });

  routes.post('/team/:email/mfa/reset', async (c) => {
    const { staff: admin } = c.get('session');
    const member = await memberOf(admin.center, c.req.param('email'));
    // A lost phone: the app's secret and the recovery codes go, and whoever is signed in as them is signed out.
    await staff.resetMfa(member.id);
    await audit.write({
      center: admin.center,
      staffEmail: admin.email,
      action: 'staff.mfa_reset',
      detail: { account: member.email },
    });
    return c.json<TeamMember>(teamMember(await memberOf(admin.center, member.email)));
  });

  routes.post('/team/:email/remove', async (c) => {
    const { staff: admin } = c.get('session');
    const result = await staff.removeMember(admin.center, c.req.param('email'));
    if (result.outcome === 'not_found') throw notFound('account');
    if (result.outcome === 'last_admin') throw lastAdmin('removed');
    // The account is gone and signed out; its leads go back to no one, for a colleague to take.
    const leadsReturned = await leads.unassignAll(admin.center, result.staff.email);
    await audit.write({
      center: admin.center,
      staffEmail: admin.email,
      action: 'staff.remove',
      detail: { account: result.staff.email, leadsReturned },
    });
    return c.body(null, 204);
  });

  return routes;
}

/** A colleague as the team page shows them: never a hash, a token or another person's settings. */
export function teamMember(member: Member): TeamMember {
  return {
    email: member.email,
    role: member.role,
    locale: member.locale,
    lastSignInAt: member.lastSignInAt?.toISOString() ?? null,
    lockedUntil: member.lockedUntil?.toISOString() ?? null,
    linkExpiresAt: member.linkExpiresAt?.toISOString() ?? null,
    mfaEnabledAt: member.mfaEnabledAt?.toISOString() ?? null,
  };
}

/** A colleague as a member who is not an admin sees them: who they are, not their sign-ins, lock, link or second step. */
function colleague(member: Member): TeamMember {
  return { ...teamMember(member), lastSignInAt: null, lockedUntil: null, linkExpiresAt: null, mfaEnabledAt: null };
}

function lastAdmin(what: string) {
  return new HttpError(
    409,
    'last_admin',
    `The center's last admin cannot be ${what}: make a colleague an admin first.`,
  );
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  message: string,
  issues: Issue[],
): T | undefined {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) issues.push({ path, message });
  return found;
}

function readRole(value: unknown, issues: Issue[]): Role | undefined {
  return oneOf(
    value,
    roles,
    'role',
    'The role must be "admin" (also manages the team, reads the audit log and exports) or "staff".',
    issues,
  );
}

/** `link` unless the body says otherwise. */
function readHandover(value: unknown, issues: Issue[]): Handover | undefined {
  if (value === undefined) return 'link';
  return oneOf(value, handovers, 'handover', 'The handover must be "link" or "password".', issues);
}
