import type { Config } from '../config/loadConfig.js';
import type { LeadStore } from '../leads/createLeadStore.js';
import type { OpenDatabase } from '../store/openDatabase.js';
import { type AlertTransport, createAlertTransport } from './alertEmail.js';
import { type Attempt, attemptDelivery } from './attemptDelivery.js';
import { type ClaimedJob, createOutbox, type Settlement } from './createOutbox.js';
import { createDestinations, type DestinationOptions } from './destinations.js';
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
  /** Jobs sent at the same time, in all. Default 16. */
  readonly concurrency?: number | undefined;
  /** Fairness between destinations: sends per destination at once, and the back-off of one that keeps failing. */
  readonly destinations?: DestinationOptions | undefined;
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
  /** Sends every job due now, `concurrency` at a time (as destinations allow); resolves with how many were handled. */
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
/** An attempt that has ended, waiting to be recorded with the worker's next round. */
interface Finished {
  readonly job: ClaimedJob;
  readonly attempt: Attempt & { retryAt?: string };
  readonly settlement: Settlement;
}

/** How long a woken worker waits for more leads of the same burst before it claims their jobs. */
const WAKE_DELAY_MS = 20;

/**
 * On SQLite, the least time from one round to the next. Each round is a transaction with a commit on
 * the writer's thread, which the incoming leads need too; with sends that end at once (no SMTP_URL, a
 * fast receiver), rounds back to back took a job or two each, 600 commits a second under load.
 * Spaced out, a round takes whatever came in meanwhile, and an alert waits at most this much longer.
 */
const ROUND_GAP_MS = 10;

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 5_000;
  const leaseMs = options.leaseMs ?? 120_000;
  const retryForMs = options.retryForMs ?? DEFAULT_RETRY_FOR_MS;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const destinations = createDestinations(options.destinations);
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
  let dueAt = 0;
  let current: Promise<number> | undefined;

  // SQLite has one writer, shared with the leads coming in: finished attempts are recorded together
  // with the next claim, one transaction a round, once half the slots are free. PostgreSQL commits side
  // by side: each attempt is recorded as it ends and each slot refilled as soon as it frees.
  const rounds = options.database.dialect === 'sqlite';

  /** Wakes a drain that waits for a send to end: a new lead, or the poll, should not wait for a slow receiver. */
  let nudge: () => void = () => {};

  /**
   * Keeps up to `concurrency` jobs in flight, as their destinations allow, until none is due. While
   * sends are under way it claims again whenever one ends, a new lead wakes it, or the poll comes
   * round, so a destination that hangs delays only its own jobs.
   */
  async function drain(): Promise<number> {
    let handled = 0;
    const inFlight = new Set<Promise<void>>();
    const finished: Finished[] = [];
    /** Jobs claimed for a destination with no slot free after all: given back with the next round. */
    const released: Settlement[] = [];
    const refillAt = rounds ? Math.ceil(concurrency / 2) : 1;
    let nudged = false;
    let lastRound = 0;
    for (;;) {
      const free = concurrency - inFlight.size;
      const roundDue = free >= refillAt || inFlight.size === 0 || nudged;
      nudged = false;
      const claiming = !stopped && roundDue ? free : 0;
      // Finished attempts wait for the round (at most until another send ends, well within the lease).
      const settling = roundDue ? finished.splice(0) : [];
      const giving = roundDue ? released.splice(0) : [];
      let jobs: ClaimedJob[] = [];
      if (settling.length > 0 || giving.length > 0 || claiming > 0) {
        const gap = rounds ? lastRound + ROUND_GAP_MS - Date.now() : 0;
        if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
        lastRound = Date.now();
        try {
          const round = await outbox.settleAndClaim(
            [...settling.map((done) => done.settlement), ...giving],
            claiming,
            leaseMs,
            destinations.skip(now().getTime()),
          );
          settling.forEach((done, i) => {
            log(done, round.applied[i] ?? false);
          });
          jobs = round.jobs;
        } catch (error) {
          // Unrecorded attempts stay leased and are tried again when the lease ends: a duplicate at
          // worst, never a lost lead. The sends under way finish before the run fails.
          for (const done of settling) log(done, false, messageOf(error));
          await Promise.allSettled(inFlight);
          throw error;
        }
      }
      let started = 0;
      for (const job of jobs) {
        if (!destinations.take(job, now().getTime())) {
          released.push({ claim: job, outcome: 'released' });
          continue;
        }
        started += 1;
        const sending: Promise<void> = attempt(job)
          .then((done) => (rounds ? void finished.push(done) : record(done)))
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }
      handled += started;
      if (released.length > 0 && inFlight.size === 0) {
        // Only jobs of busy destinations were claimed and nothing is under way: give them back and stop.
        await outbox.settleAndClaim(released.splice(0), 0, leaseMs);
      }
      if (inFlight.size === 0 && finished.length === 0 && started === 0) return handled;
      if (inFlight.size > 0) {
        nudged = await new Promise<boolean>((resolve) => {
          const poll = setTimeout(() => resolve(true), pollMs);
          poll.unref();
          nudge = () => resolve(true);
          void Promise.race(inFlight).then(() => resolve(false));
        }).finally(() => {
          nudge = () => {};
        });
      }
    }
  }

  /** One attempt at one job, and how the outbox should record it. Never throws: a job is never lost. */
  async function attempt(job: ClaimedJob): Promise<Finished> {
    const tried = await attemptDelivery(job, context);
    const opened = destinations.done(
      job,
      tried.outcome === 'delivered' ? 'delivered' : tried.outcome === 'failed' ? 'failed' : 'other',
      now().getTime(),
    );
    if (opened !== null) {
      options.log({ level: 'warn', message: 'delivery destination backed off after failing', ...opened });
    }
    if (tried.outcome === 'delivered') return { job, attempt: tried, settlement: { claim: job, outcome: 'delivered' } };
    if (tried.outcome !== 'failed') {
      return { job, attempt: tried, settlement: { claim: job, outcome: tried.outcome, error: tried.error } };
    }
    const failedAt = now();
    if (failedAt.getTime() >= Date.parse(job.createdAt) + retryForMs) {
      const error = `gave up after ${job.attempts} attempts: ${tried.error}`;
      return { job, attempt: { outcome: 'dead', error }, settlement: { claim: job, outcome: 'dead', error } };
    }
    const at = new Date(failedAt.getTime() + retryDelayMs(job.attempts));
    return {
      job,
      attempt: { ...tried, retryAt: at.toISOString() },
      settlement: { claim: job, outcome: 'retry', error: tried.error, at },
    };
  }

  /** Records one attempt on its own (PostgreSQL). Never throws: an unrecorded attempt is retried later. */
  async function record(done: Finished): Promise<void> {
    try {
      const { applied } = await outbox.settleAndClaim([done.settlement], 0, leaseMs);
      log(done, applied[0] ?? false);
    } catch (error) {
      log(done, false, messageOf(error));
    }
  }

  /** One line per attempt, recorded or not: when not, a later claim of the job is the one that counts. */
  function log(done: Finished, applied: boolean, dbError?: string): void {
    const line = logLine(done.job, done.attempt);
    if (dbError !== undefined) options.log({ ...line, level: 'error', recorded: false, dbError });
    else if (applied) options.log(line);
    else
      options.log({
        ...line,
        level: 'warn',
        recorded: false,
        note: 'this attempt outlasted its lease; a later one counts',
      });
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
    dueAt = Date.now() + ms;
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
      // A drain waiting on slow sends claims the new lead's jobs at once.
      nudge();
      if (ticking) wakeAgain = true;
      // A burst of leads is picked up by one run a moment later, not one run each; a run already
      // due that soon is left alone, so a steady stream of wakes cannot keep putting it off.
      else if (timer === undefined || dueAt > Date.now() + WAKE_DELAY_MS) schedule(WAKE_DELAY_MS);
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
