import { useEffect, useRef } from 'preact/hooks';
import { useTeam } from './AssignForm.js';
import { ApiError } from './api.js';
import { useConsole } from './context.js';
import type { Copy } from './copy.js';
import { errorMessage } from './errorMessage.js';
import { InboxFilters, isFiltered } from './InboxFilters.js';
import { LeadList } from './LeadList.js';
import { hrefFor, inboxSearch } from './router.js';
import { INBOX_LIMIT, type Inbox as InboxAnswer, type InboxQuery } from './types.js';
import { useViewHeading } from './useFocusOnce.js';
import type { InboxState } from './useInbox.js';
import { useTick } from './useTick.js';
import { serverClock } from './waitingTime.js';

interface Props {
  /** The live inbox, polled by the console while it is open, whichever view is on screen. */
  readonly state: InboxState;
  /** The filters in the hash route, and the search words the console holds in memory. */
  readonly query: InboxQuery;
  /** A new search (or none): kept in memory, never in the address. */
  readonly onSearch: (words: string | undefined) => void;
  /** How often waiting times are redrawn between polls. */
  readonly tickMs: number;
}

/**
 * The inbox: its filters, how many leads match, the leads, and pages of 500 past the first. The count
 * is said in the live region once per change of filters or page, never on a poll.
 */
export function Inbox({ state, query, tickMs, onSearch }: Props) {
  const { api, session, t, format, clock, announce } = useConsole();
  const heading = useViewHeading();
  const members = useTeam(api);
  useTick(tickMs);
  const key = inboxSearch(query);
  // After a change of filters, the leads of the last ones are not shown under the new ones.
  const inbox = state.key === key ? state.inbox : null;
  const waiting = state.watch?.leads.filter((lead) => lead.status === 'new').length ?? 0;
  const deadLetters = state.watch?.deadLetters ?? 0;
  const fetchedAt = state.inbox ? format.time(Date.parse(state.inbox.now)) : '';
  const badQuery = state.error instanceof ApiError && state.error.status === 400 ? state.error : null;

  const summary = useRef<HTMLParagraphElement>(null);
  const said = useRef(key);
  const focusSummary = useRef(false);
  useEffect(() => {
    if (!inbox || said.current === key) return;
    said.current = key;
    announce(count(inbox, t));
    if (focusSummary.current) {
      focusSummary.current = false;
      summary.current?.focus();
    }
  }, [inbox, key, announce, t]);

  const go = (next: InboxQuery) => {
    onSearch(next.q);
    location.hash = hrefFor({ name: 'inbox', query: next });
  };
  const page = (to: number) => ({
    href: hrefFor({ name: 'inbox', query: { ...query, page: to } }),
    onClick: () => {
      // The links are under the list: the new page starts at its top.
      focusSummary.current = true;
    },
  });

  return (
    <>
      <h1 id="inbox-title" ref={heading} tabIndex={-1}>
        {t.inboxTitle}
      </h1>
      {deadLetters > 0 && (
        <p class="banner">
          <a href={hrefFor({ name: 'deliveries' })}>{t.deadLetters(deadLetters)}</a>
        </p>
      )}
      <InboxFilters query={query} members={members} onChange={go} />
      <div class="inbox-status">
        {state.watch && <p class="summary">{t.waiting(waiting)}</p>}
        {inbox && (
          <p class="matches" ref={summary} tabIndex={-1}>
            {count(inbox, t)}
          </p>
        )}
        <p class={`freshness${state.error && !badQuery ? ' is-stale' : ''}`}>
          {state.error && !badQuery
            ? `${state.inbox ? t.stale(fetchedAt) : t.neverLoaded} ${errorMessage(state.error, t)}`
            : state.inbox && t.updatedAt(fetchedAt)}
        </p>
      </div>
      {badQuery && (
        <p class="error-box" role="alert">
          {t.badQuery} {errorMessage(badQuery, t)}
        </p>
      )}
      {!inbox ? (
        !state.error && <p role="status">{t.loading}</p>
      ) : (
        <>
          {inbox.leads.length > 0 ? (
            <LeadList
              leads={inbox.leads}
              now={serverClock(inbox.now, state.fetchedAt, clock())}
              center={session.center}
              me={session.staff.email}
              t={t}
            />
          ) : (
            <p class="empty">{!isFiltered(query) ? t.noOpenLeads : key === 'view=all' ? t.noLeads : t.noMatches}</p>
          )}
          {(inbox.total > pageSize(inbox) || inbox.page > 1) && (
            <nav class="pages" aria-label={t.pages}>
              {inbox.page > 1 && (
                <a class="button" rel="prev" {...page(inbox.page - 1)}>
                  {t.previous}
                </a>
              )}
              {inbox.page * pageSize(inbox) < inbox.total && (
                <a class="button" rel="next" {...page(inbox.page + 1)}>
                  {t.next}
                </a>
              )}
            </nav>
          )}
        </>
      )}
    </>
  );
}

function pageSize(inbox: InboxAnswer): number {
  return inbox.pageSize > 0 ? inbox.pageSize : INBOX_LIMIT;
}

/** "1,234 leads", or past one page "Showing 501–1,000 of 1,234". */
function count(inbox: InboxAnswer, t: Copy): string {
  const size = pageSize(inbox);
  if (inbox.total <= size) return t.matches(inbox.total);
  const first = (inbox.page - 1) * size + 1;
  if (first > inbox.total) return t.matches(inbox.total);
  return t.showing(first, Math.min(inbox.page * size, inbox.total), inbox.total);
}
