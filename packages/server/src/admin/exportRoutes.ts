import { type Context, Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import { HttpError } from '../http/HttpError.js';
import type { LeadStore } from '../leads/createLeadStore.js';
import { type ExportFormat, exportLeads } from '../leads/exportLeads.js';
import type { ConsoleEnv } from './guards.js';

const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The export of a center's leads as CSV or JSON (API.md, Admins only). Mounted behind `adminOnly`. */
export function exportRoutes(options: {
  readonly leads: Pick<LeadStore, 'list' | 'history' | 'count'>;
  readonly audit: Pick<AuditLog, 'write'>;
}) {
  const { leads, audit } = options;
  const routes = new Hono<ConsoleEnv>();

  async function send(c: Context<ConsoleEnv>, format: ExportFormat) {
    const since = c.req.query('since') ?? '';
    const day = sinceDay(since);
    const center = c.get('center');
    const { staff: member } = c.get('session');
    const count = await leads.count(center.id, day);
    // Audited once, before the first byte: an export that is interrupted was still an export.
    await audit.write({
      center: center.id,
      staffEmail: member.email,
      action: 'leads.export',
      detail: { since, format, leads: count },
    });
    c.header('Content-Type', CONTENT_TYPES[format]);
    c.header('Content-Disposition', `attachment; filename="${center.id}-leads-since-${since}.${format}"`);
    // No more leads than the audit row says: one that arrives while the export streams is left for
    // the next export rather than sent unrecorded.
    const unreadable: string[] = [];
    const chunks = exportLeads(atMost(leads.list(center.id, day), count), format, {
      flow: center.flow,
      locale: member.locale,
      history: (leadId) => leads.history(center.id, leadId),
      onUnreadable: (lead) => unreadable.push(lead.id),
    });
    const encoder = new TextEncoder();
    return c.body(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (!next.done) {
            controller.enqueue(encoder.encode(next.value));
            return;
          }
          // Leads the keys could not open went out as their clear columns and a note; the log says which.
          if (unreadable.length > 0) {
            await audit.write({
              center: center.id,
              staffEmail: member.email,
              action: 'leads.export.unreadable',
              detail: { since, format, leads: unreadable.length, ids: unreadable.slice(0, 100) },
            });
          }
          controller.close();
        },
        // The browser went away: stop reading pages of leads.
        async cancel() {
          await chunks.return(undefined);
        },
      }),
    );
  }

  routes.get('/export.csv', (c) => send(c, 'csv'));
  routes.get('/export.json', (c) => send(c, 'json'));
  return routes;
}

/** The start of `since` (YYYY-MM-DD) in UTC; 400 for anything else, or a day that does not exist. */
function sinceDay(since: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(since) ? new Date(`${since}T00:00:00Z`) : new Date(Number.NaN);
  // 2026-02-31 parses as March 3rd: only a day that exists is taken.
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== since) {
    throw new HttpError(400, 'invalid_input', `since must be a date such as 2026-11-01, not "${since}".`);
  }
  return day;
}

async function* atMost<T>(items: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  if (limit <= 0) return;
  let taken = 0;
  for await (const item of items) {
    yield item;
    taken += 1;
    if (taken >= limit) return;
  }
}
