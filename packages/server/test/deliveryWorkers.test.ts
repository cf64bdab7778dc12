import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DeliveryBench, openDeliveryBench, webhookSecret } from './support/deliveryBench.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/deliveryReceivers.js';
import { storageBackends } from './support/testDatabases.js';

const backends = await storageBackends();

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`delivery workers on ${backend.name}`, () => {
    let receiver: WebhookReceiver;
    let bench: DeliveryBench;

    beforeEach(async () => {
      // A receiver that takes a moment to answer, so that two workers are busy at the same time.
      receiver = await startWebhookReceiver();
      receiver.delayMs = 15;
      bench = await openDeliveryBench(backend, { webhooks: [{ url: receiver.url, secret: webhookSecret() }] });
    });

    afterEach(async () => {
      await bench?.dispose(); // unset when beforeEach failed before opening it
      await receiver.close();
    });

    it('shares 40 due jobs between two servers, each delivered once and never by both', async () => {
      for (let i = 0; i < 40; i++) await bench.submit();
      const other = bench.connectAgain();
      const first = bench.worker();
      const second = bench.worker({ database: other.database, store: other.store });

      const handled = await Promise.all([first.runOnce(), second.runOnce()]);

      expect(handled[0] + handled[1]).toBe(40);
      expect(handled[0]).toBeGreaterThan(0);
      expect(handled[1]).toBeGreaterThan(0);
      expect(receiver.requests).toHaveLength(40);
      const successes = receiver.successesById();
      expect(successes.size).toBe(40);
      expect([...successes.values()].every((count) => count === 1)).toBe(true);
      const delivered = await bench.outbox.list('riverbend', 'delivered');
      expect(delivered).toHaveLength(40);
      expect(delivered.every((delivery) => delivery.attempts === 1)).toBe(true);
    });

    it('takes back a job from a worker that died mid-send once its lease has ended', async () => {
      const leadId = await bench.submit();
      // A worker claims the job and dies before it can say how the send went.
      const [orphan] = await bench.outbox.claim(10, 60_000);
      expect(orphan).toMatchObject({ leadId, attempts: 1 });
      const worker = bench.worker();

      bench.clock.advance(59_000);
      expect(await worker.runOnce()).toBe(0);
      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({ status: 'sending', attempts: 1, nextAttemptAt: null }),
      ]);

      bench.clock.advance(2_000);
      expect(await worker.runOnce()).toBe(1);
      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({ status: 'delivered', attempts: 2 }),
      ]);
      expect(receiver.requests).toHaveLength(1);

      // Should the first worker come back to life, its word no longer counts.
      if (orphan === undefined) throw new Error('nothing was claimed');
      expect(await bench.outbox.dead(orphan, 'late news from a worker that lost its lease')).toBe(false);
      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({ status: 'delivered', lastError: null }),
      ]);
    });

    it('settles a round’s alike outcomes together, each only while its own claim holds the job', async () => {
      for (let i = 0; i < 3; i++) await bench.submit();
      // One job on a short lease, two on long ones.
      const [lost] = await bench.outbox.claim(1, 1_000);
      const [kept, given] = await bench.outbox.claim(10, 60_000);
      if (lost === undefined || kept === undefined || given === undefined)
        throw new Error('three jobs were not claimed');
      const claims = [lost, kept, given];
      // The short lease runs out and another worker takes that job over.
      bench.clock.advance(2_000);
      expect((await bench.outbox.claim(10, 60_000)).map((job) => job.id)).toEqual([lost.id]);
      const round = await bench.outbox.settleAndClaim(
        [
          { claim: lost, outcome: 'delivered' },
          { claim: kept, outcome: 'delivered' },
          { claim: given, outcome: 'released' },
        ],
        0,
        60_000,
      );
      expect(round.applied).toEqual([false, true, true]);
      const statuses = async (id: string) =>
        (await bench.outbox.forLead('riverbend', (claims.find((job) => job.id === id) ?? lost).leadId))[0];
      expect(await statuses(lost.id)).toMatchObject({ status: 'sending', attempts: 2 });
      expect(await statuses(kept.id)).toMatchObject({ status: 'delivered', attempts: 1 });
      // Given back untried: pending again, its attempt not counted.
      expect(await statuses(given.id)).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('ignores the outcome of a claim that another claim replaced', async () => {
      const leadId = await bench.submit();
      const [first] = await bench.outbox.claim(10, 60_000);
      bench.clock.advance(61_000);
      const [second] = await bench.outbox.claim(10, 60_000);
      if (first === undefined || second === undefined) throw new Error('the job was not claimed twice');
      expect(second).toMatchObject({ id: first.id, attempts: 2 });

      // The first worker reports late, while the second is still sending.
      expect(await bench.outbox.delivered(first)).toBe(false);
      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({ status: 'sending', attempts: 2, deliveredAt: null }),
      ]);
      expect(await bench.outbox.retryLater(second, 'HTTP 503 from a receiver', bench.clock.now())).toBe(true);
      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({ status: 'pending', attempts: 2, lastError: 'HTTP 503 from a receiver' }),
      ]);
    });

    it('sends a new lead at once when woken, without waiting for the next poll', async () => {
      const worker = bench.worker({ pollMs: 60_000 });
      worker.start();
      await bench.submit();

      worker.wake();

      await vi.waitFor(() => expect(receiver.successesById().size).toBe(1), { timeout: 1_000, interval: 20 });
    });

    it('logs a run that cannot reach the database and keeps polling', async () => {
      const unreachable = bench.connectAgain();
      await unreachable.store.ping(); // a connection never opened would simply be opened again
      await unreachable.database.db.destroy();
      const worker = bench.worker({ ...unreachable, pollMs: 10 });

      worker.start();

      await vi.waitFor(
        () => expect(bench.logs.filter((line) => line.message === 'delivery run failed').length).toBeGreaterThan(1),
        { timeout: 2_000, interval: 10 },
      );
      expect(bench.logs[0]).toMatchObject({ level: 'error', error: expect.any(String) });
      await expect(worker.runOnce()).rejects.toThrow();
    });

    it('finishes a send under way before it stops', async () => {
      receiver.delayMs = 300;
      const leadId = await bench.submit();
      const worker = bench.worker({ pollMs: 60_000 });
      worker.start();
      await vi.waitFor(() => expect(receiver.requests).toHaveLength(1), { timeout: 2_000, interval: 10 });

      await worker.stop();

      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({ status: 'delivered' }),
      ]);
      expect(await worker.runOnce()).toBe(0);
    });
  });
}
