import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { AuditLog } from './AuditLog.js';
import type { Api } from './api.js';
import { ConsoleContext } from './context.js';
import { copyFor } from './copy.js';
import { insightCopy } from './copyInsight.js';
import { Deliveries } from './Deliveries.js';
import { ExportLeads } from './ExportLeads.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { createFormatters } from './formatters.js';
import { Inbox } from './Inbox.js';
import { Insight } from './Insight.js';
import { LeadDetail } from './LeadDetail.js';
import { Message } from './Message.js';
import { hrefFor, type Route, useRoute } from './router.js';
import { SettingsPage } from './SettingsPage.js';
import { TeamPage } from './TeamPage.js';
import type { InboxQuery, Session } from './types.js';
import { useAlerts } from './useAlerts.js';
import { useInbox } from './useInbox.js';
import { serverClock } from './waitingTime.js';

export interface ConsoleProps {
  readonly api: Api;
  readonly session: Session;
  /** After the server ended the session on request. */
  readonly onSignedOut: () => void;
  /** The person changed their own settings; the server answered with this session. */
  readonly onSessionChange: (session: Session) => void;
  /** Signed in just now through the form, which is gone: the first view takes focus. */
  readonly signedInNow: boolean;
  readonly pollMs: number;
  readonly tickMs: number;
  readonly clock: () => number;
}

/**
 * The signed-in console: header and navigation, the view the hash route names, and one polite live
 * region. The inbox is polled here, whatever the view, so a new lead is announced (and, if the person
 * turned them on, chimes and shows a desktop notification) and is counted in the tab's title while
 * staff read another lead or work in another tab. The inbox's filters live in the hash route
 * (`#/?status=new&locale=es`), so a view can be bookmarked and back and forward work; on another view
 * the last filters are kept, for the way back.
 */
export function Console({
  api,
  session,
  onSignedOut,
  onSessionChange,
  signedInNow,
  pollMs,
  tickMs,
  clock,
}: ConsoleProps) {
  const { staff, center } = session;
  const t = copyFor(staff.locale);
  const format = useMemo(() => createFormatters(staff.locale, center.timeZone), [staff.locale, center.timeZone]);
  const route = useRoute();
  const firstRoute = useRef(hrefFor(route));
  const moved = useRef(signedInNow);
  if (hrefFor(route) !== firstRoute.current) moved.current = true;
  const focusViews = moved.current;
  const lastQuery = useRef<InboxQuery>({});
  if (route.name === 'inbox') lastQuery.current = route.query;
  // A search is names and phone numbers: held here, in memory, and gone on reload, never in the address.
  const [search, setSearch] = useState<string | undefined>(undefined);
  const filters = lastQuery.current;
  const inboxQuery = useMemo<InboxQuery>(
    () => (search ? { ...filters, q: search } : filters),
    [hrefFor({ name: 'inbox', query: filters }), search],
  );
  const [announcement, setAnnouncement] = useState({ id: 0, text: '' });
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const main = useRef<HTMLElement>(null);
  const isAdmin = staff.role === 'admin';

  const announce = useCallback((text: string) => setAnnouncement(({ id }) => ({ id: id + 1, text })), []);
  const alert = useAlerts(session, t);
  const inbox = useInbox({
    api,
    query: inboxQuery,
    pollMs,
    clock,
    onArrivals: (leads) => {
      announce(t.newArrivals(leads.length));
      alert(leads);
    },
  });
  const latest = useRef(inbox.state);
  latest.current = inbox.state;
  const serverNow = useCallback(() => {
    const { inbox: last, fetchedAt } = latest.current;
    return last ? serverClock(last.now, fetchedAt, clock()) : clock();
  }, [clock]);

  // From the plain open inbox, whatever the filters: the title counts everyone waiting.
  const waiting = inbox.state.watch?.leads.filter((lead) => lead.status === 'new').length ?? 0;
  const deadLetters = inbox.state.watch?.deadLetters ?? 0;
  useEffect(() => {
    document.title = waiting > 0 ? `(${waiting}) ${t.appTitle}` : t.appTitle;
  }, [waiting, t]);
  useEffect(
    () => () => {
      document.title = t.appTitle;
    },
    [t],
  );

  const context = useMemo<ConsoleContext>(
    () => ({
      api,
      session,
      t,
      format,
      announce,
      refreshInbox: inbox.refresh,
      clock,
      serverNow,
      updateSession: onSessionChange,
      focusViews,
    }),
    [api, session, t, format, announce, inbox.refresh, clock, serverNow, onSessionChange, focusViews],
  );

  const signOut = async () => {
    setSignOutError(null);
    try {
      await api.logout();
      onSignedOut();
    } catch (error) {
      // Not signed out on the server: saying otherwise would leave the inbox open to the next person.
      if (!isSignedOut(error)) setSignOutError(errorMessage(error, t));
    }
  };

  const link = (to: Route, label: string, extra?: string) => (
    <li>
      <a href={hrefFor(to)} aria-current={route.name === to.name ? 'page' : undefined}>
        {label}
        {extra && (
          <>
            {' '}
            <span class="count">{extra}</span>
          </>
        )}
      </a>
    </li>
  );

  return (
    <ConsoleContext.Provider value={context}>
      {/* A button, not a link to #main: the hash is the route, and this only moves focus (SC 2.4.1). */}
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        {t.skip}
      </button>
      <header class="top">
        <p class="brand">
          {center.name} <span class="help">· {t.appTitle}</span>
        </p>
        <nav aria-label={t.mainNav}>
          <ul>
            {link({ name: 'inbox', query: {} }, t.navInbox, waiting > 0 ? t.newBadge(waiting) : undefined)}
            {link({ name: 'deliveries' }, t.navDeliveries, deadLetters > 0 ? String(deadLetters) : undefined)}
            {isAdmin && link({ name: 'audit' }, t.navAudit)}
            {isAdmin && link({ name: 'insight', days: 30 }, insightCopy(staff.locale).navInsight)}
            {isAdmin && link({ name: 'export' }, t.navExport)}
            {isAdmin && link({ name: 'team' }, t.navTeam)}
            {/* Your own settings, under who is signed in: on a shared desk at night that matters. */}
            <li class="me">
              <a href={hrefFor({ name: 'settings' })} aria-current={route.name === 'settings' ? 'page' : undefined}>
                <span>{t.navSettings}</span> <span class="me-email">{staff.email}</span>
              </a>
            </li>
          </ul>
        </nav>
        <div class="who">
          <button type="button" class="quiet" onClick={signOut}>
            {t.signOut}
          </button>
        </div>
      </header>
      {signOutError && (
        <p class="error-box page-error" role="alert">
          {signOutError}
        </p>
      )}
      <main id="main" ref={main} tabIndex={-1}>
        {renderView()}
      </main>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement.text && <p key={announcement.id}>{announcement.text}</p>}
      </div>
    </ConsoleContext.Provider>
  );

  function renderView() {
    switch (route.name) {
      case 'inbox':
        return <Inbox key="inbox" state={inbox.state} query={inboxQuery} tickMs={tickMs} onSearch={setSearch} />;
      case 'lead':
        return <LeadDetail key={route.id} id={route.id} back={hrefFor({ name: 'inbox', query: lastQuery.current })} />;
      case 'deliveries':
        return <Deliveries key="deliveries" />;
      case 'audit':
        return isAdmin ? <AuditLog key="audit" /> : <Message key="no-audit" {...adminsOnly(t.navAudit)} />;
      case 'export':
        return isAdmin ? <ExportLeads key="export" /> : <Message key="no-export" {...adminsOnly(t.navExport)} />;
      case 'insight':
        return isAdmin ? (
          <Insight key="insight" days={route.days} />
        ) : (
          <Message key="no-insight" {...adminsOnly(insightCopy(staff.locale).navInsight)} />
        );
      case 'team':
        return isAdmin ? <TeamPage key="team" /> : <Message key="no-team" {...adminsOnly(t.navTeam)} />;
      case 'settings':
        return <SettingsPage key="settings" />;
      default:
        return <Message key="not-found" title={t.notFoundTitle} text={t.notFoundText} back={t.backToInbox} />;
    }
  }

  function adminsOnly(title: string) {
    return { title, text: t.adminsOnly, back: t.backToInbox };
  }
}
