import type { ClaimedJob, ClaimSkip } from './createOutbox.js';

/** Where a job goes: one webhook URL, or the one SMTP server every alert e-mail goes through. */
export type Destination = string;

export const destinationOf = (job: Pick<ClaimedJob, 'kind' | 'target'>): Destination =>
  job.kind === 'email' ? 'email' : `webhook ${job.target}`;

export interface DestinationOptions {
  /** Sends in flight to one destination at once. Default 4. */
  readonly perDestination?: number | undefined;
  /** Failed attempts in a row after which a destination is backed off. Default 5. */
  readonly openAfter?: number | undefined;
  /** The first back-off; it doubles each time the destination fails again, up to `maxBackoffMs`. Default 30 s. */
  readonly backoffMs?: number | undefined;
  /** Default 10 min. */
  readonly maxBackoffMs?: number | undefined;
}

/** A destination that began to be backed off, for the log: never lead data, and a webhook's origin only. */
export interface BackedOff {
  readonly destination: string;
  readonly failures: number;
  readonly until: string;
}

interface State {
  inFlight: number;
  /** Failed attempts in a row. */
  failures: number;
  /** While backed off, until when (ms); 0 when not. Once it has passed, one attempt probes it. */
  openUntil: number;
  backoffMs: number;
}

/**
 * Fairness between destinations: each may have only `perDestination` sends in flight, so a receiver
 * that hangs, or a mail server that stalls, holds its own slots and no one else's; and a destination
 * that keeps failing is backed off (a circuit breaker): its jobs stay pending, their attempts
 * uncounted, until one probe at a time finds it answering again. Kept in memory by each worker;
 * several servers each back off on their own.
 */
export function createDestinations(options: DestinationOptions = {}) {
  const perDestination = Math.max(1, options.perDestination ?? 4);
  const openAfter = Math.max(1, options.openAfter ?? 5);
  const firstBackoff = options.backoffMs ?? 30_000;
  const maxBackoff = options.maxBackoffMs ?? 600_000;
  const states = new Map<Destination, State>();
  const stateOf = (destination: Destination): State => {
    let state = states.get(destination);
    if (state === undefined) {
      state = { inFlight: 0, failures: 0, openUntil: 0, backoffMs: firstBackoff };
      states.set(destination, state);
    }
    return state;
  };
  /** Sends allowed at once: one probe while the back-off has passed but no attempt has yet succeeded. */
  const room = (state: State, now: number) =>
    state.openUntil === 0 ? perDestination - state.inFlight : now < state.openUntil ? 0 : 1 - state.inFlight;

  return {
    /** What a claim must pass over now: destinations at their limit, or backed off. */
    skip(now: number): ClaimSkip {
      const full = [...states].filter(([, state]) => room(state, now) <= 0).map(([destination]) => destination);
      return {
        email: full.includes('email'),
        webhooks: full.filter((destination) => destination !== 'email').map((destination) => destination.slice(8)),
      };
    },

    /** Takes a slot for the job if its destination has one now; false means give the job back. */
    take(job: Pick<ClaimedJob, 'kind' | 'target'>, now: number): boolean {
      const state = stateOf(destinationOf(job));
      if (room(state, now) <= 0) return false;
      state.inFlight += 1;
      return true;
    },

    /**
     * Gives the slot back with how the attempt went. A success closes the circuit; a failure that
     * makes `openAfter` in a row (or a failed probe) backs the destination off, and is returned.
     */
    done(
      job: Pick<ClaimedJob, 'kind' | 'target'>,
      outcome: 'delivered' | 'failed' | 'other',
      now: number,
    ): BackedOff | null {
      const destination = destinationOf(job);
      const state = stateOf(destination);
      state.inFlight = Math.max(0, state.inFlight - 1);
      if (outcome === 'delivered') {
        Object.assign(state, { failures: 0, openUntil: 0, backoffMs: firstBackoff });
        return null;
      }
      if (outcome !== 'failed') return null;
      state.failures += 1;
      const probing = state.openUntil !== 0 && now >= state.openUntil;
      if (state.failures < openAfter && !probing) return null;
      if (probing) state.backoffMs = Math.min(maxBackoff, state.backoffMs * 2);
      state.openUntil = now + state.backoffMs;
      return {
        destination: label(destination),
        failures: state.failures,
        until: new Date(state.openUntil).toISOString(),
      };
    },
  };
}

export type Destinations = ReturnType<typeof createDestinations>;

/** A destination as logs may name it: the webhook's origin (its path may hold a token), or the mail server. */
function label(destination: Destination): string {
  if (destination === 'email') return 'the SMTP server';
  try {
    return new URL(destination.slice(8)).origin;
  } catch {
    return 'a webhook';
  }
}
