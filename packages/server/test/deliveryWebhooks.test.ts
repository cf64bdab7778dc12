import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/delivery/retryDelayMs.js';
import { type DeliveryBench, openDeliveryBench, webhookSecret } from './support/deliveryBench.js';
import { type Answer, RECEIVER_BODY, startWebhookReceiver, type WebhookReceiver } from './support/deliveryReceivers.js';
import { storageBackends } from './support/testDatabases.js';
import { iopFitAnswers, visitor } from './support/validLead.js';

const backends = await storageBackends();
const MINUTE = 60_000;

/** The lead's data and the receiver's body: none of it may appear in a job's error or in the logs. */
const PRIVATE = [visitor.name, visitor.phoneE164, '5550142', 'cannabis', RECEIVER_BODY];

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`webhook delivery on ${backend.name}`, () => {
    let receiver: WebhookReceiver;
    let answer: Answer;
    /** Decides each answer; by default, whatever `answer` holds. */
    let answerFor: (id: string, seen: number) => Answer;
    let secret: string;
    let bench: DeliveryBench;

    beforeEach(async () => {
      answer = 204;
      answerFor = () => answer;
      receiver = await startWebhookReceiver((id, seen) => answerFor(id, seen));
      secret = webhookSecret();
      bench = await openDeliveryBench(backend, { webhooks: [{ url: receiver.url, secret }] });
    });

    afterEach(async () => {
      await bench?.dispose(); // unset when beforeEach failed before opening it
      await receiver.close();
    });

    const onlyDelivery = async (leadId: string) => {
      const deliveries = await bench.outbox.forLead('riverbend', leadId);
      expect(deliveries).toHaveLength(1);
      return deliveries[0] as NonNullable<(typeof deliveries)[0]>;
    };

    it('delivers a signed webhook that standardwebhooks verifies, carrying the lead as stored', async () => {
      const leadId = await bench.submit({ utm: { source: 'google', campaign: 'spring' } });
      const attemptAt = bench.clock.now().toISOString();

      expect(await bench.worker().runOnce()).toBe(1);

      const delivery = await onlyDelivery(leadId);
      expect(receiver.requests).toHaveLength(1);
      const [request] = receiver.requests;
      const headers = request?.headers ?? {};
      expect(headers['webhook-id']).toBe(delivery.id);
      expect(headers['content-type']).toBe('application/json');
      expect(headers['user-agent']).toBe('intake-chat/9.9.9-test');
      const payload = new Webhook(secret).verify(request?.body ?? '', {
        'webhook-id': String(headers['webhook-id']),
        'webhook-timestamp': String(headers['webhook-timestamp']),
        'webhook-signature': String(headers['webhook-signature']),
      });
      const lead = await bench.store.find('riverbend', leadId);
      expect(payload).toEqual({
        type: 'lead.created',
        timestamp: attemptAt,
        data: {
          id: leadId,
          center: 'riverbend',
          createdAt: lead?.createdAt,
          flow: { id: 'iop-intake', version: 1 },
          locale: 'en',
          route: 'iop-fit',
          urgency: 'normal',
          reasons: lead?.reasons,
          answers: iopFitAnswers,
          contact: {
            name: visitor.name,
            phone: visitor.phoneE164,
            bestTime: 'evening',
            voicemailOk: true,
            textOk: false,
            state: 'IL',
            adult: true,
            forWhom: 'self',
          },
          consent: lead?.consent,
          callbackWindow: lead?.callbackWindow,
          utm: { source: 'google', campaign: 'spring' },
        },
      });
      expect(delivery).toEqual({
        id: delivery.id,
        leadId,
        kind: 'webhook',
        target: receiver.url,
        status: 'delivered',
        attempts: 1,
        nextAttemptAt: null,
        lastError: null,
        deliveredAt: attemptAt,
        createdAt: lead?.createdAt,
      });
      expect(bench.logs).toEqual([
        { level: 'info', message: 'delivery', id: delivery.id, kind: 'webhook', attempt: 1, outcome: 'delivered' },
      ]);
    });

    it('signs so that a changed body or another secret fails verification', async () => {
      await bench.submit();
      await bench.worker().runOnce();
      const [request] = receiver.requests;
      const headers = {
        'webhook-id': String(request?.headers['webhook-id']),
        'webhook-timestamp': String(request?.headers['webhook-timestamp']),
        'webhook-signature': String(request?.headers['webhook-signature']),
      };
      const body = request?.body ?? '';
      expect(() => new Webhook(secret).verify(body.replace('iop-fit', 'crisis'), headers)).toThrow();
      expect(() => new Webhook(webhookSecret()).verify(body, headers)).toThrow();
    });

    it('gets every lead to a receiver that fails for a while, each delivery id succeeding once, on schedule', async () => {
      let receiverUp = false;
      answerFor = (_id, seen) => (receiverUp ? 200 : ((['close', 503, 'hang'] as const)[seen % 3] ?? 503));
      const leadIds = [];
      for (let i = 0; i < 12; i++) leadIds.push(await bench.submit());
      // A short answer timeout, so the hanging requests take a fraction of a second; no back-off of
      // the receiver as a whole (deliveryFairness.test.ts), so each job's own schedule shows.
      const worker = bench.worker({ webhookTimeoutMs: 300, destinations: { openAfter: 1_000 } });
      const errors = new Set<string>();

      for (let failedAttempts = 1; failedAttempts <= 4; failedAttempts++) {
        const failedAt = bench.clock.now().getTime();
        expect(await worker.runOnce()).toBe(12);
        const pending = await bench.outbox.list('riverbend', 'pending');
        expect(pending).toHaveLength(12);
        // Backoff after attempt n: 30 s * 2^(n-1), +-20%.
        const nominal = retryDelayMs(failedAttempts, () => 0.5);
        for (const delivery of pending) {
          expect(delivery.attempts).toBe(failedAttempts);
          const wait = Date.parse(delivery.nextAttemptAt ?? '') - failedAt;
          expect(wait).toBeGreaterThanOrEqual(nominal * 0.8);
          expect(wait).toBeLessThanOrEqual(nominal * 1.2);
          errors.add(delivery.lastError ?? '');
        }
        // Nothing is due before its time.
        bench.clock.advance(nominal * 0.8 - 1000);
        expect(await worker.runOnce()).toBe(0);
        bench.clock.advance(nominal * 0.4 + 1000);
      }
      const { url } = receiver;
      expect([...errors].sort()).toEqual(
        [
          `127.0.0.1:${new URL(url).port} closed the connection before answering ${url}`,
          `HTTP 503 from ${url}`,
          `no answer from ${url} within 0.3 s`,
        ].sort(),
      );

      receiverUp = true;
      // With the usual 10 s to answer: a busy machine must not turn a slow 200 into a failure.
      const recovered = bench.worker();
      expect(await recovered.runOnce()).toBe(12);
      const successes = receiver.successesById();
      expect(successes.size).toBe(12);
      expect([...successes.values()].every((count) => count === 1)).toBe(true);
      for (const leadId of leadIds) {
        const delivery = await onlyDelivery(leadId);
        expect(delivery).toMatchObject({ status: 'delivered', attempts: 5, lastError: null });
        expect(successes.get(delivery.id)).toBe(1);
      }
      // Delivered jobs are never sent again.
      bench.clock.advance(24 * 60 * MINUTE);
      expect(await recovered.runOnce()).toBe(0);
      expect(receiver.requests).toHaveLength(12 * 5);
      expectNothingPrivate(JSON.stringify(bench.logs));
    });

    it('makes a job dead once its retry budget is spent, shows why, and delivers it when replayed', async () => {
      answer = 503;
      const leadId = await bench.submit();
      const worker = bench.worker({ retryForMs: 10 * MINUTE });
      await worker.runOnce();
      expect(await onlyDelivery(leadId)).toMatchObject({ status: 'pending', attempts: 1 });

      bench.clock.advance(11 * MINUTE);
      await worker.runOnce();
      const dead = await onlyDelivery(leadId);
      expect(dead).toMatchObject({
        status: 'dead',
        attempts: 2,
        nextAttemptAt: null,
        deliveredAt: null,
        lastError: `gave up after 2 attempts: HTTP 503 from ${receiver.url}`,
      });
      expect(await bench.outbox.list('riverbend', 'dead')).toEqual([dead]);
      expect(await bench.outbox.countByStatus('riverbend', 'dead')).toBe(1);
      expect(await bench.outbox.countByStatus('lakeside', 'dead')).toBe(0);
      expect(bench.logs.at(-1)).toMatchObject({ level: 'error', outcome: 'dead', attempt: 2 });
      bench.clock.advance(60 * MINUTE);
      expect(await worker.runOnce()).toBe(0);

      // Staff of another center cannot see or replay it.
      expect(await bench.outbox.replay('lakeside', dead.id)).toBe('not_found');
      expect(await bench.outbox.replay('riverbend', crypto.randomUUID())).toBe('not_found');

      answer = 204;
      const replayed = await bench.outbox.replay('riverbend', dead.id);
      expect(replayed).toEqual({
        ...dead,
        status: 'pending',
        nextAttemptAt: bench.clock.now().toISOString(),
        lastError: null,
      });
      expect(await worker.runOnce()).toBe(1);
      expect(await onlyDelivery(leadId)).toMatchObject({ status: 'delivered', attempts: 3, lastError: null });
      expect(receiver.successesById().get(dead.id)).toBe(1);
      expect(await bench.outbox.replay('riverbend', dead.id)).toBe('not_replayable');
      expectNothingPrivate(JSON.stringify(bench.logs));
    });

    it('makes a job dead, without sending, when its webhook is no longer in the config', async () => {
      const leadId = await bench.submit();
      const withoutWebhook = { ...bench.config, centers: new Map(bench.config.centers) };
      const riverbend = withoutWebhook.centers.get('riverbend');
      if (riverbend !== undefined) withoutWebhook.centers.set('riverbend', { ...riverbend, webhooks: [] });

      expect(await bench.worker({ config: withoutWebhook }).runOnce()).toBe(1);

      expect(await onlyDelivery(leadId)).toMatchObject({
        status: 'dead',
        attempts: 1,
        lastError: 'this webhook is no longer in the config',
      });
      expect(receiver.requests).toEqual([]);
    });

    it('makes a job dead, without sending, when its lead no longer exists', async () => {
      const leadId = await bench.submit();
      const [job] = await bench.outbox.forLead('riverbend', leadId);
      // Purging deletes a lead's jobs with it; to see what the worker does if one is left behind,
      // the foreign key is taken out of the way first.
      if (bench.database.dialect === 'sqlite') await sql`pragma foreign_keys = off`.execute(bench.database.db);
      else await sql`alter table outbox drop constraint outbox_lead_id_fkey`.execute(bench.database.db);
      await bench.database.db.deleteFrom('leads').where('id', '=', leadId).execute();

      expect(await bench.worker().runOnce()).toBe(1);

      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({
          id: job?.id,
          status: 'dead',
          lastError: 'the lead no longer exists (purged after its retention period, or deleted); nothing to send',
        }),
      ]);
      expect(receiver.requests).toEqual([]);
    });

    it('does not follow a redirect, and says where it pointed and what to fix', async () => {
      answer = { redirect: 'https://crm.riverbend.example/hooks/v2?token=abc' };
      const leadId = await bench.submit();

      await bench.worker().runOnce();

      expect(await onlyDelivery(leadId)).toMatchObject({
        status: 'pending',
        lastError:
          'the receiver redirected to https://crm.riverbend.example/hooks/v2 (HTTP 302); configure the final URL in the config',
      });
      expect(receiver.requests).toHaveLength(1);
    });

    it('reports a receiver that is not running as a refused connection', async () => {
      await receiver.close();
      const leadId = await bench.submit();

      await bench.worker().runOnce();

      const port = new URL(receiver.url).port;
      expect((await onlyDelivery(leadId)).lastError).toBe(
        `connection refused by 127.0.0.1:${port}; is the receiver running at ${receiver.url}?`,
      );
    });
  });
}

function expectNothingPrivate(text: string): void {
  for (const secret of PRIVATE) expect(text).not.toContain(secret);
}
