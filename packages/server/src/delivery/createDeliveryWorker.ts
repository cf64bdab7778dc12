import type { Config } from '../config/loadConfig.js';
import type { LeadStore } from '../store/createLeadStore.js';
import type { OpenDatabase } from '../store/openDatabase.js';
import { type AlertTransport, createAlertTransport } from './alertEmail.js';
import { type Attempt, attemptDelivery } from './attemptDelivery.js';
import { type ClaimedJob, createOutbox } from './createOutbox.js';
import { DEFAULT_RETRY_FOR_MS, retryDelayMs } from './retryDelayMs.js';

export interface DeliveryWorkerOptions {
  readonly database: OpenDatabase;
  readonly store: LeadStore;
  readonly config: Config;
  /** SMTP_URL (no e-mail alerts without it) and SMTP_FROM (default `intake-chat <alerts@localhost>`). */
  readonly env: Record<string, string | undefined>;
  /** Where staff reach the console, for the link in alert e-mails. */
  readonly publicUrl: string;
  /** One JSON line per attempt; never given lead data. */
  readonly log: (line: Record<string, unknown>) => void;
  readonly now?: (() => Date) | undefined;
  /** How often to look for due jobs without being woken. Default 5 s. */
  readonly pollMs?: number | undefined;
  /** How long a claimed job is this worker's; after that another may take it. Default 2 min. */
  readonly leaseMs?: number | undefined;
  /** Failures from then on after a job was created make it a dead letter. Default 24 h. */
  readonly retryForMs?: number | undefined;
  /** Jobs sent at the same time. Default 4. */
  readonly concurrency?: number | undefined;
  /** For the webhooks' User-Agent. */
  readonly version?: string | undefined;
  /** Sends alert e-mails instead of a transport built from SMTP_URL. */
  readonly transport?: AlertTransport | undefined;
  /** How long a webhook receiver has to answer. Default 10 s. */
  readonly webhookTimeoutMs?: number | undefined;
}

export interface DeliveryWorker {
  /** Polls for due jobs every `pollMs` until stopped; the timers never keep the process alive. */
  start(): void;
  /** Stops polling, waits for the sends under way, and closes the SMTP connection. */
  stop(): Promise<void>;
  /** Sends every job due now, `concurrency` at a time; resolves with how many were handled. */
  runOnce(): Promise<number>;
  /** Runs soon instead of at the next poll: a new lead's alert should not wait for it. */
  wake(): void;
}

/**
 * Delivers the outbox: signed webhooks and staff alert e-mails, retried with backoff
 * (`retryDelayMs`) until they succeed or their retry budget is spent, when they become dead
 * letters that staff can see and replay. Several servers may run a worker on one PostgreSQL
 * database: each job is leased to one of them at a time.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 5_000;
  const leaseMs = options.leaseMs ?? 120_000;
  const retryForMs = options.retryForMs ?? DEFAULT_RETRY_FOR_MS;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const outbox = createOutbox(options.database, now);
  const ownTransport = options.transport === undefined ? createAlertTransport(options.env) : undefined;
  const context = {
    store: options.store,
    config: options.config,
    transport: options.transport ?? ownTransport,
    from: options.env.SMTP_FROM || undefined,
    publicUrl: options.publicUrl,
    version: options.version ?? '0.0.0',
    webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
    now,
  };

  let stopped = false;
  let started = false;
  let ticking = false;
  let wakeAgain = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<number> | undefined;

  /** Keeps `concurrency` jobs in flight, claiming more as each finishes, until none is due. */
  async function drain(): Promise<number> {
    let handled = 0;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const free = concurrency - inFlight.size;
      let jobs: ClaimedJob[] = [];
      try {
        if (!stopped && free > 0) jobs = await outbox.claim(free, leaseMs);
      } catch (error) {
        // The database is unreachable: let the sends under way finish before the run fails.
        await Promise.allSettled(inFlight);
        throw error;
      }
      for (const job of jobs) {
        const sending: Promise<void> = handle(job).finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }
      handled += jobs.length;
      if (inFlight.size === 0) return handled;
      await Promise.race(inFlight);
    }
  }

  /** One attempt at one job, its outcome recorded and logged. Never throws: a job is never lost. */
  async function handle(job: ClaimedJob): Promise<void> {
    const attempt = await attemptDelivery(job, context);
    try {
      await record(job, attempt);
    } catch (error) {
      // The lease runs out and the job is claimed again: a duplicate at worst, never a lost lead.
      options.log({ ...logLine(job, attempt), level: 'error', recorded: false, dbError: messageOf(error) });
    }
  }

  async function record(job: ClaimedJob, attempt: Attempt): Promise<void> {
    let final: Attempt & { retryAt?: string } = attempt;
    let applied: boolean;
    if (attempt.outcome === 'delivered') applied = await outbox.delivered(job);
    else if (attempt.outcome === 'skipped') applied = await outbox.skipped(job, attempt.error);
    else if (attempt.outcome === 'dead') applied = await outbox.dead(job, attempt.error);
    else {
      const failedAt = now();
      if (failedAt.getTime() >= Date.parse(job.createdAt) + retryForMs) {
        final = { outcome: 'dead', error: `gave up after ${job.attempts} attempts: ${attempt.error}` };
        applied = await outbox.dead(job, final.error);
      } else {
        const retryAt = new Date(failedAt.getTime() + retryDelayMs(job.attempts));
        final = { ...attempt, retryAt: retryAt.toISOString() };
        applied = await outbox.retryLater(job, attempt.error, retryAt);
      }
    }
    const line = logLine(job, final);
    // Applied or not, the attempt happened and is logged; when not, a later claim of the job is current.
    const superseded = { level: 'warn', recorded: false, note: 'this attempt outlasted its lease; a later one counts' };
    options.log(applied ? line : { ...line, ...superseded });
  }

  function runOnce(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    // Runs never overlap: a run asked for during another starts when it ends.
    const previous = current ?? Promise.resolve(0);
    const run = previous.catch(() => 0).then(drain);
    current = run;
    void run
      .finally(() => {
        if (current === run) current = undefined;
      })
      .catch(() => {});
    return run;
  }

  async function tick(): Promise<void> {
    timer = undefined;
    ticking = true;
    wakeAgain = false;
    try {
      await runOnce();
    } catch (error) {
      options.log({ level: 'error', message: 'delivery run failed', error: messageOf(error) });
    } finally {
      ticking = false;
    }
    if (!stopped) schedule(wakeAgain ? 0 : pollMs);
  }

  function schedule(ms: number): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await current?.catch(() => {});
      ownTransport?.close?.();
    },
    runOnce,
    wake() {
      if (!started || stopped) return;
      if (ticking) wakeAgain = true;
      else schedule(0);
    },
  };
}

function logLine(job: ClaimedJob, attempt: Attempt & { retryAt?: string }): Record<string, unknown> {
  const level = attempt.outcome === 'delivered' ? 'info' : attempt.outcome === 'dead' ? 'error' : 'warn';
  return {
    level,
    message: 'delivery',
    id: job.id,
    kind: job.kind,
    attempt: job.attempts,
    outcome: attempt.outcome === 'failed' ? 'retry' : attempt.outcome,
    ...(attempt.outcome === 'delivered' ? {} : { error: attempt.error }),
    ...(attempt.retryAt === undefined ? {} : { retryAt: attempt.retryAt }),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
