import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): milliseconds first, then randomness. New leads land at the end of the
 * primary-key index instead of at random places in it, which keeps inserts cheap as the table grows.
 */
export function timeOrderedId(): string {
  // randomUUID draws from a cached entropy pool; its variant bits are already those of v7.
  const random = randomUUID();
  const ms = Date.now().toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
