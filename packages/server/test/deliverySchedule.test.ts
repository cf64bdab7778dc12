import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_FOR_MS, retryDelayMs } from '../src/delivery/retryDelayMs.js';
import { signWebhook } from '../src/delivery/signWebhook.js';
import { webhookSecret } from './support/deliveryBench.js';

const SECOND = 1000;

describe('the retry schedule', () => {
  it('doubles from 30 seconds up to an hour (the table in WEBHOOKS.md)', () => {
    const nominal = Array.from({ length: 10 }, (_, i) => retryDelayMs(i + 1, () => 0.5) / SECOND);
    expect(nominal).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('moves each wait by at most 20% either way', () => {
    expect(retryDelayMs(1, () => 0)).toBe(24 * SECOND);
    expect(retryDelayMs(1, () => 0.999_999)).toBeCloseTo(36 * SECOND, -1);
    expect(retryDelayMs(40, () => 0)).toBe(2880 * SECOND);
    for (let i = 0; i < 200; i++) {
      const wait = retryDelayMs(3);
      expect(wait).toBeGreaterThanOrEqual(96 * SECOND);
      expect(wait).toBeLessThanOrEqual(144 * SECOND);
    }
  });

  it('retries for a day by default, about 30 attempts', () => {
    let elapsed = 0;
    let attempts = 1;
    while (elapsed < DEFAULT_RETRY_FOR_MS) elapsed += retryDelayMs(attempts++, () => 0.5);
    expect(attempts).toBe(31);
  });
});

describe('webhook signatures', () => {
  it('are those of the Standard Webhooks reference library', () => {
    const secret = webhookSecret();
    const body = JSON.stringify({ type: 'lead.created', data: { name: 'Zoë' } });
    const timestamp = 1_773_673_200;
    expect(signWebhook(secret, 'msg_1', timestamp, body)).toBe(
      new Webhook(secret).sign('msg_1', new Date(timestamp * SECOND), body),
    );
  });

  it('refuse a secret without the whsec_ prefix, without echoing it', () => {
    expect(() => signWebhook('c2VjcmV0', 'msg_1', 1, '{}')).toThrow(
      'a webhook secret must be "whsec_" followed by the base64 key; check the secretEnv variable',
    );
  });
});
