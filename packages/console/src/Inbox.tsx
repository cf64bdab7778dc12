import { useConsole } from './context.js';
import { errorMessage } from './errorMessage.js';
import { LeadList } from './LeadList.js';
import { hrefFor } from './router.js';
import { useViewHeading } from './useFocusOnce.js';
import type { InboxState, InboxView } from './useInbox.js';
import { useTick } from './useTick.js';
import { serverClock } from './waitingTime.js';

interface Props {
  /** The live inbox, polled by the console while it is open, whichever view is on screen. */
  readonly state: InboxState;
  readonly view: InboxView;
  readonly onView: (view: InboxView) => void;
  /** How often waiting times are redrawn between polls. */
  readonly tickMs: number;
}

export function Inbox({ state, view, onView, tickMs }: Props) {
  const { session, t, format, clock } = useConsole();
  const heading = useViewHeading();
  useTick(tickMs);
  // After a switch of view, the other view's leads are not shown under this one's name.
  const inbox = state.view === view ? state.inbox : null;
  const waiting = inbox?.leads.filter((lead) => lead.status === 'new').length ?? 0;
  const deadLetters = state.inbox?.deadLetters ?? 0;
  const fetchedAt = state.inbox ? format.time(Date.parse(state.inbox.now)) : '';

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
      <div class="toolbar">
        <fieldset class="segmented">
          <legend class="sr-only">{t.show}</legend>
          {(['open', 'all'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={option === view ? 'true' : 'false'}
              onClick={() => onView(option)}
            >
              {option === 'open' ? t.viewOpen : t.viewAll}
            </button>
          ))}
        </fieldset>
        <p class={`freshness${state.error ? ' is-stale' : ''}`}>
          {state.error
            ? `${state.inbox ? t.stale(fetchedAt) : t.neverLoaded} ${errorMessage(state.error, t)}`
            : state.inbox && t.updatedAt(fetchedAt)}
        </p>
      </div>
      {!inbox ? (
        !state.error && <p role="status">{t.loading}</p>
      ) : (
        <>
          <p class="summary">{t.waiting(waiting)}</p>
          {inbox.leads.length > 0 ? (
            <LeadList
              leads={inbox.leads}
              now={serverClock(inbox.now, state.fetchedAt, clock())}
              center={session.center}
              t={t}
            />
          ) : (
            <p class="empty">{view === 'open' ? t.noOpenLeads : t.noLeads}</p>
          )}
        </>
      )}
    </>
  );
}
