import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { isSignedOut } from './errorMessage.js';
import type { Inbox, LeadRow } from './types.js';

export type InboxView = 'open' | 'all';

export interface InboxState {
  /** The last inbox fetched for `view`; null until the first answer. */
  readonly inbox: Inbox | null;
  readonly view: InboxView;
  /** The device time of that fetch, to age leads from the server's `now`. */
  readonly fetchedAt: number;
  /** Why the latest poll failed; null once one succeeds again. */
  readonly error: unknown;
}

interface Options {
  readonly api: Api;
  readonly view: InboxView;
  readonly pollMs: number;
  readonly clock: () => number;
  /** New-status leads that were not in any earlier answer: someone to call. */
  readonly onArrivals: (leads: readonly LeadRow[]) => void;
}

/**
 * The live inbox: fetched now, then every `pollMs` after each answer (API.md: polling every 10 s is
 * the live update), and at once when the tab becomes visible again, since a hidden tab's timers are
 * throttled by the browser. Polls never overlap; a refresh asked for mid-poll runs right after it.
 */
export function useInbox({ api, view, pollMs, clock, onArrivals }: Options) {
  const [state, setState] = useState<InboxState>({ inbox: null, view, fetchedAt: 0, error: null });
  const seen = useRef<Set<string> | null>(null);
  const arrivals = useRef(onArrivals);
  arrivals.current = onArrivals;
  const refresh = useRef(() => {});

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let inFlight = false;
    let again = false;

    const poll = async () => {
      clearTimeout(timer);
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        const inbox = await api.inbox(view);
        if (stopped) return;
        const fresh = newArrivals(seen.current, inbox.leads);
        seen.current = new Set([...(seen.current ?? []), ...inbox.leads.map((lead) => lead.id)]);
        setState({ inbox, view, fetchedAt: clock(), error: null });
        if (fresh.length > 0) arrivals.current(fresh);
      } catch (error) {
        // Signed out: the app shows sign-in and this hook goes away with the inbox.
        if (stopped || isSignedOut(error)) return;
        setState((current) => ({ ...current, error }));
      } finally {
        inFlight = false;
        if (!stopped) {
          if (again) {
            again = false;
            void poll();
          } else timer = setTimeout(poll, pollMs);
        }
      }
    };
    const onVisibility = () => {
      if (document.visibilityState !== 'hidden') void poll();
    };

    refresh.current = () => void poll();
    document.addEventListener('visibilitychange', onVisibility);
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [api, view, pollMs, clock]);

  return { state, refresh: useCallback(() => refresh.current(), []) };
}

/** Leads still new that no earlier answer had; none on the first answer, which is not news. */
function newArrivals(seen: ReadonlySet<string> | null, leads: readonly LeadRow[]): LeadRow[] {
  if (!seen) return [];
  return leads.filter((lead) => lead.status === 'new' && !seen.has(lead.id));
}
