import { HttpError } from './HttpError.js';

export interface RateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimiter {
  /** Counts one request for `key`; throws a 429 HttpError with Retry-After when over the limit. */
  hit(key: string, now?: number): void;
}

/**
 * A fixed-window counter per key, in memory. Enough for one instance; several instances each
 * apply the limit, which keeps the spirit (slow down floods) without shared state.
 */
export function createRateLimiter({ limit, windowMs }: RateLimit, message: string): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    hit(key, now = Date.now()) {
      if (now - lastSweep > windowMs) {
        // Forget finished windows so memory stays flat however many addresses call.
        for (const [k, window] of windows) if (now - window.start >= windowMs) windows.delete(k);
        lastSweep = now;
      }
      let window = windows.get(key);
      if (window === undefined || now - window.start >= windowMs) {
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count > limit) {
        const retryAfter = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
        throw new HttpError(429, 'rate_limited', message, undefined, { 'Retry-After': String(retryAfter) });
      }
    },
  };
}

/**
 * The key an address is limited by: an IPv4 address as it is, an IPv6 address by its /64, the block one
 * subscriber usually gets whole (RFC 6177), so that walking through a block is one address, not 2^64.
 */
export function addressBlock(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]?.split('::') ?? [''];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
