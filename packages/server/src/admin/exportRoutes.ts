import { Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import { HttpError } from '../http/HttpError.js';
import type { LeadStore } from '../leads/createLeadStore.js';
import { leadsToCsv } from '../leads/leadsToCsv.js';
import type { ConsoleEnv } from './guards.js';

/** The CSV export of a center's leads (API.md, Admins only). Mounted behind `adminOnly`. */
export function exportRoutes(options: {
  readonly leads: Pick<LeadStore, 'list'>;
  readonly audit: Pick<AuditLog, 'write'>;
}) {
  const { leads, audit } = options;
  const routes = new Hono<ConsoleEnv>();

  routes.get('/export.csv', async (c) => {
    const since = c.req.query('since') ?? '';
    const day = /^\d{4}-\d{2}-\d{2}$/.test(since) ? new Date(`${since}T00:00:00Z`) : new Date(Number.NaN);
    // 2026-02-31 parses as March 3rd: only a day that exists is taken.
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== since) {
      throw new HttpError(400, 'invalid_input', `since must be a date such as 2026-11-01, not "${since}".`);
    }
    const center = c.get('center');
    const { staff: member } = c.get('session');
    // Audited before the first byte: an export that is interrupted was still an export.
    await audit.write({ center: center.id, staffEmail: member.email, action: 'leads.export', detail: { since } });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${center.id}-leads-since-${since}.csv"`);
    let rows = 0;
    async function* counted() {
      for await (const lead of leads.list(center.id, day)) {
        rows += 1;
        yield lead;
      }
    }
    const chunks = leadsToCsv(counted());
    const encoder = new TextEncoder();
    return c.body(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (!next.done) {
            controller.enqueue(encoder.encode(next.value));
            return;
          }
          // How many leads left the server, once they have.
          await audit.write({
            center: center.id,
            staffEmail: member.email,
            action: 'leads.exported',
            detail: { since, leads: rows },
          });
          controller.close();
        },
      }),
    );
  });

  return routes;
}
