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
