import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { isSignedOut } from './errorMessage.js';
import { inboxSearch } from './router.js';
import type { Inbox, InboxQuery, LeadRow } from './types.js';

export interface InboxState {
  /** The last answer for the query named by `key`; null until the first. */
  readonly inbox: Inbox | null;
  /** The query of that answer, as its URL form (`inboxSearch`): '' for the plain open inbox. */
  readonly key: string;
  /** The device time of that fetch, to age leads from the server's `now`. */
  readonly fetchedAt: number;
  /** Why the latest poll of the query failed; null once one succeeds again. */
  readonly error: unknown;
  /**
   * The plain open inbox, whatever the filters: new arrivals, the count of people waiting and failed
   * deliveries come from it, so a filter ("Mine", "Spanish", a search) never hides a new lead.
   */
  readonly watch: Inbox | null;
}

interface Options {
  readonly api: Api;
  /** The filters the inbox shows, from the hash route. */
  readonly query: InboxQuery;
  readonly pollMs: number;
  readonly clock: () => number;
  /** New-status leads that no earlier answer of the open inbox had: someone to call. */
  readonly onArrivals: (leads: readonly LeadRow[]) => void;
}

/**
 * The live inbox: fetched now, then every `pollMs` after each answer (API.md: polling every 10 s is
 * the live update), and at once when the tab becomes visible again, since a hidden tab's timers are
 * throttled by the browser. Polls never overlap; a refresh asked for mid-poll runs right after it.
 * Under a filter, the plain open inbox is fetched alongside, for arrivals (its answers are compared
 * with each other only, so changing filters never looks like new leads).
 */
export function useInbox({ api, query, pollMs, clock, onArrivals }: Options) {
  const key = inboxSearch(query);
  // The query the key stands for (a search included, which the address never holds).
  const asked = useRef(query);
  asked.current = query;
  const [state, setState] = useState<InboxState>({ inbox: null, key, fetchedAt: 0, error: null, watch: null });
  const seen = useRef<Set<string> | null>(null);
  const arrivals = useRef(onArrivals);
  arrivals.current = onArrivals;
  const refresh = useRef(() => {});

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let inFlight = false;
    let again = false;
    const filtered = key !== '';

    const poll = async () => {
      clearTimeout(timer);
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        const [shown, open] = await Promise.allSettled([
          api.inbox(asked.current),
          filtered ? api.inbox({}) : Promise.resolve(null),
        ]);
        if (stopped) return;
        const watch = open.status === 'fulfilled' ? (open.value ?? answerOf(shown)) : null;
        let fresh: LeadRow[] = [];
        if (watch) {
          fresh = newArrivals(seen.current, watch.leads);
          seen.current = new Set([...(seen.current ?? []), ...watch.leads.map((lead) => lead.id)]);
        }
        if (shown.status === 'fulfilled') {
          const inbox = shown.value;
          const fetchedAt = clock();
          setState((current) => ({ inbox, key, fetchedAt, error: null, watch: watch ?? current.watch }));
        } else if (!isSignedOut(shown.reason)) {
          // Signed out: the app shows sign-in and this hook goes away with the console.
          const error: unknown = shown.reason;
          setState((current) => ({ ...current, error, watch: watch ?? current.watch }));
        }
        if (fresh.length > 0) arrivals.current(fresh);
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
  }, [api, key, pollMs, clock]);

  return { state, refresh: useCallback(() => refresh.current(), []) };
}

function answerOf(result: PromiseSettledResult<Inbox>): Inbox | null {
  return result.status === 'fulfilled' ? result.value : null;
}

/** Leads still new that no earlier answer had; none on the first answer, which is not news. */
function newArrivals(seen: ReadonlySet<string> | null, leads: readonly LeadRow[]): LeadRow[] {
  if (!seen) return [];
  return leads.filter((lead) => lead.status === 'new' && !seen.has(lead.id));
}
