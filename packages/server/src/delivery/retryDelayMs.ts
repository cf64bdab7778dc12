/** The first retry waits 30 s; each later one twice as long as the one before. */
export const FIRST_RETRY_MS = 30_000;
/** No wait is longer than an hour, so a receiver that comes back is caught up within the hour. */
export const LONGEST_RETRY_MS = 3_600_000;
/** Each wait is moved by up to 20% either way, so jobs that failed together do not retry together. */
export const RETRY_JITTER = 0.2;
/** How long a job is retried before it becomes a dead letter, unless the worker is told otherwise. */
export const DEFAULT_RETRY_FOR_MS = 24 * 3_600_000;

/**
 * How long to wait after failed attempt `attempt` (1 for the first): min(30 s * 2^(attempt-1), 1 h),
 * +-20%. WEBHOOKS.md publishes this schedule to receivers; its table is this function's output.
 * `random` returns a number in [0, 1), like Math.random; 0.5 gives the nominal wait.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const nominal = Math.min(FIRST_RETRY_MS * 2 ** (Math.max(attempt, 1) - 1), LONGEST_RETRY_MS);
  return Math.round(nominal * (1 + RETRY_JITTER * (2 * random() - 1)));
}
