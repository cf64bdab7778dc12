import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryBench, openDeliveryBench, webhookSecret } from './support/deliveryBench.js';
import { startStalledSmtp, startWebhookReceiver, type WebhookReceiver } from './support/deliveryReceivers.js';
import { storageBackends } from './support/testDatabases.js';

/** Waits until `done()` holds, or fails after `ms`. */
async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(10);
  }
}

describe.each(await storageBackends())('fair delivery on $name', (backend) => {
  describe.skipIf(backend.skipped)('', () => {
    let bench: DeliveryBench | undefined;
    const closing: (() => Promise<void>)[] = [];
    afterEach(async () => {
      // The stuck connections are cut first, so the workers' sends end and they can stop.
      for (const close of closing.splice(0)) await close();
      await bench?.dispose();
      bench = undefined;
    });
    const receiver = async (...args: Parameters<typeof startWebhookReceiver>): Promise<WebhookReceiver> => {
      const started = await startWebhookReceiver(...args);
      closing.push(() => started.close());
      return started;
    };

    it('a center whose webhook receiver hangs and whose mail server stalls after DATA delays only its own deliveries', async () => {
      const hanging = await receiver(() => 'hang');
      const healthy = await receiver();
      const smtp = await startStalledSmtp();
      closing.unshift(() => smtp.close());
      bench = await openDeliveryBench(backend, {
        webhooks: [{ url: hanging.url, secret: webhookSecret() }],
        alertEmails: ['admissions@riverbend.example'],
        lakesideWebhooks: [{ url: healthy.url, secret: webhookSecret() }],
      });
      const worker = bench.worker({ env: { SMTP_URL: smtp.url } });
      worker.start();
      // Riverbend's visitors keep coming: each lead a webhook that never answers and an alert that stalls.
      for (let i = 0; i < 8; i++) {
        await bench.submit();
        worker.wake();
      }
      await until(() => hanging.requests.length + smtp.stalled() >= 2, 5_000, "riverbend's sends to hang");
      await sleep(200);

      const sent = performance.now();
      await bench.submit({ center: 'lakeside' });
      worker.wake();
      await until(() => healthy.requests.length === 1, 5_000, "lakeside's webhook");
      expect(performance.now() - sent).toBeLessThan(2_000);
      // Riverbend's own jobs wait their turn: at most four sends at once to each of its destinations
      // (the mail transport itself opens two connections).
      expect(hanging.requests.length).toBe(4);
      expect(smtp.stalled()).toBeGreaterThanOrEqual(1);
    });

    it('backs off a receiver that keeps failing, without spending its jobs, and delivers them all once it answers', async () => {
      let up = false;
      const flaky = await receiver(() => (up ? 204 : 503));
      bench = await openDeliveryBench(backend, { webhooks: [{ url: flaky.url, secret: webhookSecret() }] });
      for (let i = 0; i < 12; i++) await bench.submit();
      const worker = bench.worker();

      await worker.runOnce();
      // Five failures in a row (and the sends under way alongside the fifth, four at a time), then no more.
      expect(flaky.requests.length).toBeLessThanOrEqual(8);
      const untouched = (await bench.outbox.list('riverbend', 'pending')).filter((job) => job.attempts === 0);
      expect(untouched.length).toBeGreaterThanOrEqual(4);
      expect(bench.logs).toContainEqual(
        expect.objectContaining({
          message: 'delivery destination backed off after failing',
          destination: new URL(flaky.url).origin,
        }),
      );
      // Within the back-off, nothing goes to it, however often the worker runs.
      const tried = flaky.requests.length;
      await worker.runOnce();
      expect(flaky.requests.length).toBe(tried);

      // Back up, after the back-off and the jobs' own retry delays: one probe, then everything, each once.
      up = true;
      bench.clock.advance(60_000);
      await worker.runOnce();
      await worker.runOnce();
      const successes = flaky.successesById();
      expect(successes.size).toBe(12);
      expect([...successes.values()].every((count) => count === 1)).toBe(true);
      expect(await bench.outbox.list('riverbend', 'pending')).toEqual([]);
    });
  });
});
