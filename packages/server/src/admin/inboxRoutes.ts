import { type Context, Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { Outbox } from '../delivery/createOutbox.js';
import { HttpError } from '../http/HttpError.js';
import { readJsonObject } from '../http/plumbing.js';
import { type LeadStore, type StoredLead, UnreadableLeadError } from '../leads/createLeadStore.js';
import { isLeadStatus } from '../leads/leadStatuses.js';
import { normalizeEmail, type StaffStore } from '../staff/createStaffStore.js';
import { INBOX_LIMIT, type Inbox, NOTE_LIMIT } from './consoleApi.js';
import type { ConsoleEnv } from './guards.js';
import { bodyParameters, type InboxParameters, queryParameters, readInboxQuery } from './inboxQuery.js';
import { leadDetail, leadRow } from './leadViews.js';
import { notFound } from './notFound.js';

/** The inbox is polled every few seconds; one view is audited at most this often per session. */
const INBOX_AUDIT_GAP_MS = 15 * 60_000;

/** The inbox and a lead's workflow: list, detail, status, notes, assignment (API.md, Leads). */
export function inboxRoutes(options: {
  readonly leads: LeadStore;
  readonly outbox: Pick<Outbox, 'forLead' | 'countByStatus'>;
  readonly audit: Pick<AuditLog, 'write'>;
  readonly staff: Pick<StaffStore, 'claimInboxAudit'>;
  readonly now: () => Date;
}) {
  const { leads, outbox, audit, staff, now } = options;
  const routes = new Hono<ConsoleEnv>();

  /** One page of the inbox for the parameters given, audited per view (API.md, Leads). */
  async function inbox(c: Context<ConsoleEnv>, parameters: InboxParameters) {
    const { staff: member, id: sessionId } = c.get('session');
    const center = c.get('center');
    const query = readInboxQuery(parameters, center, member.email, leads);
    const at = now();
    const [found, deadLetters] = await Promise.all([
      leads.inbox(center.id, query.filter, query.page),
      outbox.countByStatus(center.id, 'dead'),
    ]);
    // The console polls the view on screen: each view is written when first shown and then at most every
    // 15 minutes while it stays, with its filters but never the search words.
    if (await staff.claimInboxAudit(sessionId, query.viewKey, INBOX_AUDIT_GAP_MS)) {
      await audit.write({
        center: center.id,
        staffEmail: member.email,
        action: 'inbox.view',
        detail: { ...query.detail, leads: found.leads.length, total: found.total },
      });
    }
    const body: Inbox = {
      now: at.toISOString(),
      leads: found.leads.map((lead) => leadRow(lead, center, member.locale, at)),
      total: found.total,
      page: query.page,
      pageSize: INBOX_LIMIT,
      deadLetters,
    };
    return c.json(body);
  }

  routes.get('/leads', (c) => inbox(c, queryParameters(c)));
  // Search words are names and phone numbers: they go in a body, which no access log keeps.
  routes.post('/leads/search', async (c) => inbox(c, bodyParameters(await readJsonObject(c))));

  /** The lead detail after reading the lead, its history and its deliveries; 404 if not this center's. */
  async function detail(c: Context<ConsoleEnv>, id: string) {
    const center = c.get('center');
    const lead = await findReadable(leads, center.id, id);
    const [history, deliveries, sameConversation] = await Promise.all([
      leads.history(center.id, id),
      outbox.forLead(center.id, id),
      leads.sameConversation(center.id, id),
    ]);
    return leadDetail(lead, center, c.get('session').staff.locale, now(), { history, deliveries, sameConversation });
  }

  routes.get('/leads/:id', async (c) => {
    const body = await detail(c, c.req.param('id'));
    const { staff: member } = c.get('session');
    await audit.write({ center: member.center, staffEmail: member.email, action: 'lead.view', leadId: body.id });
    return c.json(body);
  });

  routes.post('/leads/:id/status', async (c) => {
    const id = c.req.param('id');
    const body = await readJsonObject(c);
    const { from, to } = body;
    const note = readNote(body.note, false);
    if (!isLeadStatus(from) || !isLeadStatus(to)) {
      throw new HttpError(400, 'invalid_input', 'Send the lead\'s current status as "from" and the new one as "to".', [
        ...(isLeadStatus(from) ? [] : [{ path: 'from', message: 'Use one of the statuses of API.md, such as "new".' }]),
        ...(isLeadStatus(to)
          ? []
          : [{ path: 'to', message: 'Use one of the statuses of API.md, such as "contacted".' }]),
      ]);
    }
    const { staff: member } = c.get('session');
    const result = await leads.changeStatus(member.center, id, { from, to, note }, member.email);
    if (result.outcome === 'not_found') throw notFound();
    if (result.outcome === 'conflict') {
      throw new HttpError(
        409,
        'conflict',
        `Someone else changed this lead first: it is now "${result.current}". Check it, then choose again.`,
      );
    }
    if (result.outcome === 'not_allowed') {
      const allowed = result.allowed.length === 0 ? 'none: it is closed' : result.allowed.join(', ');
      throw new HttpError(
        422,
        'bad_transition',
        `A lead that is "${result.current}" cannot become "${to}". Allowed next: ${allowed}.`,
      );
    }
    return c.json(await detail(c, id));
  });

  routes.post('/leads/:id/notes', async (c) => {
    const id = c.req.param('id');
    const note = readNote((await readJsonObject(c)).note, true) ?? '';
    const { staff: member } = c.get('session');
    if (!(await leads.addNote(member.center, id, note, member.email))) throw notFound();
    return c.json(await detail(c, id));
  });

  routes.post('/leads/:id/assign', async (c) => {
    const id = c.req.param('id');
    const { to } = await readJsonObject(c);
    if (to !== null && (typeof to !== 'string' || to.trim() === '')) {
      throw new HttpError(
        400,
        'invalid_input',
        'Send the colleague\'s address as "to", or null to give the lead back.',
        [{ path: 'to', message: "to must be a colleague's e-mail address, or null for no one." }],
      );
    }
    const { staff: member } = c.get('session');
    const address = to === null ? null : normalizeEmail(to);
    const result = await leads.assign(member.center, id, address, member.email);
    if (result === 'not_found') throw notFound();
    // Another center's account is as unknown here as an address that has none.
    if (result === 'unknown_staff') {
      throw new HttpError(
        422,
        'unknown_staff',
        `No one at your center has an account with the address ${address}. Check the address, or ask an admin to invite them.`,
      );
    }
    return c.json(await detail(c, id));
  });

  return routes;
}

function readNote(value: unknown, required: boolean): string | undefined {
  const note = typeof value === 'string' ? value.trim() : undefined;
  if (value !== undefined && typeof value !== 'string') {
    throw new HttpError(400, 'invalid_input', 'The note must be text.', [
      { path: 'note', message: 'Write the note as text.' },
    ]);
  }
  if (required && !note) {
    throw new HttpError(400, 'invalid_input', 'Write a note before saving it.', [
      { path: 'note', message: 'The note is empty.' },
    ]);
  }
  if (note !== undefined && note.length > NOTE_LIMIT) {
    throw new HttpError(
      400,
      'invalid_input',
      `Notes are limited to ${NOTE_LIMIT} characters; this one has ${note.length}.`,
      [{ path: 'note', message: `Shorten the note to ${NOTE_LIMIT} characters.` }],
    );
  }
  return note || undefined;
}

/** The center's lead, decrypted; 404 if it has none by that id, 409 if the server's keys cannot open it. */
async function findReadable(leads: Pick<LeadStore, 'find'>, center: string, id: string): Promise<StoredLead> {
  let lead: StoredLead | null;
  try {
    lead = await leads.find(center, id);
  } catch (error) {
    if (!(error instanceof UnreadableLeadError)) throw error;
    const key = error.keyId === null ? '' : ` (data key ${error.keyId})`;
    throw new HttpError(
      409,
      'lead_unreadable',
      `This request cannot be read with the server's current data keys${key}. Ask whoever runs the server to supply that key; the request itself is kept.`,
    );
  }
  if (lead === null) throw notFound();
  return lead;
}
