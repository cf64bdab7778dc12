import { Hono } from 'hono';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { Outbox } from '../delivery/createOutbox.js';
import { HttpError } from '../http/HttpError.js';
import type { ConsoleEnv } from './guards.js';
import { notFound } from './notFound.js';

const STATUSES = ['dead', 'skipped', 'pending', 'sending', 'delivered'] as const;

/** Deliveries by status, and sending one again (API.md, Deliveries). */
export function deliveryRoutes(options: {
  readonly outbox: Pick<Outbox, 'list' | 'replay'>;
  readonly audit: Pick<AuditLog, 'write'>;
}) {
  const { outbox, audit } = options;
  const routes = new Hono<ConsoleEnv>();

  routes.get('/deliveries', async (c) => {
    const status = c.req.query('status') ?? 'dead';
    const known = STATUSES.find((candidate) => candidate === status);
    if (known === undefined) {
      throw new HttpError(400, 'invalid_input', `status must be one of ${STATUSES.join(', ')}, not "${status}".`);
    }
    return c.json({ deliveries: await outbox.list(c.get('center').id, known) });
  });

  routes.post('/deliveries/:id/replay', async (c) => {
    const { staff: member } = c.get('session');
    const result = await outbox.replay(member.center, c.req.param('id'));
    if (result === 'not_found') throw notFound('delivery');
    if (result === 'not_replayable') {
      throw new HttpError(409, 'not_replayable', 'Only a delivery that failed or was skipped can be sent again.');
    }
    await audit.write({
      center: member.center,
      staffEmail: member.email,
      action: 'delivery.replay',
      leadId: result.leadId,
      detail: { delivery: result.id },
    });
    return c.json(result);
  });

  return routes;
}
