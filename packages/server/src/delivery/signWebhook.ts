import { createHmac } from 'node:crypto';

const PREFIX = 'whsec_';

/**
 * The `webhook-signature` header of Standard Webhooks (https://www.standardwebhooks.com/): "v1,"
 * and the base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`, keyed with the secret's bytes (the
 * base64 after "whsec_"). The id and timestamp are signed too, so a captured request cannot be
 * replayed under another id or at another time. `timestamp` is in seconds since the epoch.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  if (!secret.startsWith(PREFIX)) {
    throw new Error('a webhook secret must be "whsec_" followed by the base64 key; check the secretEnv variable');
  }
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}
