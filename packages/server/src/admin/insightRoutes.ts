import { Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { CenterConfig } from '../config/loadConfig.js';
import { HttpError } from '../http/HttpError.js';
import type { InsightStore } from '../insight/createInsightStore.js';
import { type InsightTable, insightCsv, insightTables } from '../insight/insightCsv.js';
import { type InsightRange, insightRanges, insightReport, rangeOf } from '../insight/insightReport.js';
import type { LeadStore } from '../leads/createLeadStore.js';
import type { InsightReport } from './consoleApi.js';
import type { ConsoleEnv } from './guards.js';

/**
 * Conversion insight for admins (API.md, Insight): the report of the 7, 30 or 90 days before today, and
 * each of its tables as CSV with counts rounded to fives and those under five written "fewer than 5".
 * Mounted behind `adminOnly`.
 */
export function insightRoutes(options: {
  readonly insight: Pick<InsightStore, 'counts' | 'flush'>;
  readonly leads: Pick<LeadStore, 'outcomes'>;
  readonly audit: Pick<AuditLog, 'write'>;
  readonly now: () => Date;
}) {
  const routes = new Hono<ConsoleEnv>();

  /** 7, 30 or 90, written as digits alone; 30 when absent. */
  const daysOf = (raw: string | undefined): InsightRange => {
    const days = raw === undefined ? 30 : /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(insightRanges as readonly number[]).includes(days)) {
      throw new HttpError(400, 'invalid_input', `days must be ${insightRanges.join(', ')}, not "${raw}".`);
    }
    return days as InsightRange;
  };

  const report = async (center: CenterConfig, days: InsightRange, locale: string): Promise<InsightReport> => {
    // Counts of a past day still in this server's memory (just after midnight, or with no timer) go in too.
    await options.insight.flush();
    const range = rangeOf(center, days, options.now());
    const [counts, outcomes] = await Promise.all([
      options.insight.counts(center.id, range.from, range.to),
      options.leads.outcomes(center.id, range.start, range.end),
    ]);
    return insightReport(center, { days, from: range.from, to: range.to }, counts, outcomes, locale);
  };

  routes.get('/insight', async (c) => {
    const { staff } = c.get('session');
    return c.json(await report(c.get('center'), daysOf(c.req.query('days')), staff.locale));
  });

  routes.get('/insight.csv', async (c) => {
    const table = c.req.query('table') ?? '';
    if (!(insightTables as readonly string[]).includes(table)) {
      throw new HttpError(400, 'invalid_input', `table must be one of ${insightTables.join(', ')}, not "${table}".`);
    }
    const center = c.get('center');
    const { staff } = c.get('session');
    const days = daysOf(c.req.query('days'));
    const body = insightCsv(await report(center, days, staff.locale), table as InsightTable);
    await options.audit.write({
      center: center.id,
      staffEmail: staff.email,
      action: 'insight.export',
      detail: { table, days },
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${center.id}-insight-${table}-${days}-days.csv"`);
    return c.body(body);
  });
  return routes;
}
