import { Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import { AUDIT_PAGE, type AuditPage } from './consoleApi.js';
import type { ConsoleEnv } from './guards.js';

/** The center's audit log, newest first, a page at a time (API.md, Admins only). Mounted behind `adminOnly`. */
export function auditRoutes(options: { readonly audit: Pick<AuditLog, 'page'> }) {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/audit', async (c) => {
    const before = c.req.query('before');
    const entries = await options.audit.page(c.get('center').id, before || undefined, AUDIT_PAGE);
    const body: AuditPage = {
      entries: [...entries],
      next: entries.length === AUDIT_PAGE ? (entries.at(-1)?.id ?? null) : null,
    };
    return c.json(body);
  });
  return routes;
}
