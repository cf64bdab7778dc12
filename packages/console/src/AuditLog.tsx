import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useConsole } from './context.js';
import { type Copy, copyFor } from './copy.js';
import { type AccountsCopy, accountsCopy } from './copyAccounts.js';
import { insightCopy } from './copyInsight.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import type { Formatters } from './formatters.js';
import { hrefFor } from './router.js';
import type { AuditEntry, Status } from './types.js';
import { useViewHeading } from './useFocusOnce.js';

/**
 * Who did what, newest first, 100 entries a page (admins only; the server answers 403 to staff). Each
 * action is said in words, with its detail read out ("to sam@…", "CSV, 12 leads since 2026-11-01");
 * an action this console does not know is shown as the server wrote it.
 */
export function AuditLog() {
  const { api, t, format, session } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** The first row of the page just added, which takes focus from the button that fetched it. */
  const [firstNew, setFirstNew] = useState<string | null>(null);
  const heading = useViewHeading();
  const table = useRef<HTMLTableElement>(null);

  const load = async (before: string | null) => {
    setBusy(true);
    try {
      const page = await api.audit(before);
      setEntries((current) => [...(current ?? []), ...page.entries]);
      setNext(page.next);
      setError(null);
      if (before) setFirstNew(page.entries[0]?.id ?? null);
    } catch (failure) {
      if (!isSignedOut(failure)) setError(failure);
    } finally {
      setBusy(false);
    }
  };

  // The first page, once, as the view opens.
  useEffect(() => {
    void load(null);
  }, []);
  useLayoutEffect(() => {
    const rows = Array.from(table.current?.tBodies[0]?.rows ?? []);
    rows.find((row) => row.dataset.id === firstNew)?.focus();
  }, [firstNew]);

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {t.auditTitle}
      </h1>
      <p class="help">{t.auditIntro}</p>
      {error !== null && <p class="error-box">{errorMessage(error, t)}</p>}
      {!entries ? (
        !error && <p role="status">{t.loading}</p>
      ) : entries.length === 0 ? (
        <p class="empty">{t.noEntries}</p>
      ) : (
        <table class="audit" ref={table}>
          <caption class="sr-only">{t.auditTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.who}</th>
              <th scope="col">{t.action}</th>
              <th scope="col">{t.lead}</th>
              <th scope="col">{t.detail}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-id={entry.id} tabIndex={entry.id === firstNew ? -1 : undefined}>
                <td data-label={t.when}>
                  <time dateTime={entry.at}>{format.dateTime(entry.at)}</time>
                </td>
                <td data-label={t.who} class="wrap">
                  {entry.staffEmail === 'cli' ? w.cli : entry.staffEmail}
                </td>
                <td data-label={t.action}>{w.auditActions[entry.action] ?? entry.action}</td>
                <td data-label={t.lead}>
                  {entry.leadId && <a href={hrefFor({ name: 'lead', id: entry.leadId })}>{entry.leadId.slice(0, 8)}</a>}
                </td>
                <td data-label={t.detail} class="wrap">
                  {auditDetail(entry, w, t, format)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" aria-busy={busy ? 'true' : undefined} onClick={() => !busy && load(next)}>
          {t.olderEntries}
        </button>
      )}
    </>
  );
}

/** The entry's detail in words, for the actions this console knows; any other as `key: value` pairs. */
export function auditDetail(entry: AuditEntry, w: AccountsCopy, t: Copy, format: Formatters): string {
  const detail = entry.detail ?? {};
  const text = (key: string) => (typeof detail[key] === 'string' ? (detail[key] as string) : null);
  const count = (key: string) => (typeof detail[key] === 'number' ? (detail[key] as number) : null);
  const status = (key: string) => {
    const value = text(key);
    return value === null ? null : (t.statuses[value as Status] ?? value);
  };
  const role = (key: string) => {
    const value = text(key);
    return value === 'admin' || value === 'staff' ? w.roles[value] : value;
  };
  const language = (key: string) => {
    const value = text(key);
    return value === 'en' || value === 'es' ? w.languages[value] : value;
  };
  // The account acted on, unless it is the person who acted (their own password, settings or link).
  const account = text('account');
  const other = account !== null && account.toLowerCase() !== entry.staffEmail.toLowerCase() ? account : null;
  const join = (parts: readonly (string | null | undefined)[]) => parts.filter(Boolean).join(' · ');

  switch (entry.action) {
    case 'login':
    case 'logout':
    case 'lead.view':
    case 'lead.note':
      return '';
    case 'login.failed':
    case 'staff.password_failed': {
      const failures = count('failures');
      const until = text('lockedUntil');
      return join([
        failures === null ? null : w.auditFailures(failures),
        until ? w.auditLocked(format.dateTime(until)) : null,
      ]);
    }
    case 'inbox.view': {
      const view = text('view');
      const filters = (['status', 'urgency', 'route', 'locale', 'assignee', 'from', 'to'] as const).map((key) => {
        const value = text(key);
        if (value === null) return null;
        const shown =
          key === 'status'
            ? status(key)
            : key === 'urgency'
              ? (t.urgencies[value as keyof typeof t.urgencies] ?? value)
              : key === 'route'
                ? (t.routes[value] ?? value)
                : key === 'locale'
                  ? (t.languages[value] ?? value)
                  : value;
        return w.auditFilter(w.auditFilterNames[key] ?? key, shown ?? value);
      });
      const page = count('page');
      const shown = count('leads');
      const total = count('total');
      return join([
        view === null ? null : (w.auditViews[view] ?? view),
        ...filters,
        detail.search === true ? w.auditSearched : null,
        page !== null && page > 1 ? w.auditPage(page) : null,
        shown !== null && total !== null ? w.auditShown(shown, total) : null,
      ]);
    }
    case 'lead.status': {
      const from = status('from');
      const to = status('to');
      return from && to ? `${from} → ${to}` : (to ?? '');
    }
    case 'lead.assign': {
      const from = text('from');
      const to = text('to') ?? w.auditNoOne;
      return from ? w.auditReassigned(from, to) : w.auditAssignedTo(to);
    }
    case 'leads.export':
    case 'leads.exported': {
      // Exports before JSON was offered were all CSV.
      const kind = (text('format') ?? 'csv').toUpperCase();
      return w.auditExport(kind, count('leads') ?? count('count'), text('since'));
    }
    case 'insight.export': {
      const table = text('table');
      const insight = insightCopy(t === copyFor('es') ? 'es' : 'en');
      return [table ? (insight.tables[table] ?? table) : null, insight.days(count('days') ?? 30)]
        .filter(Boolean)
        .join(', ');
    }
    case 'delivery.replay': {
      const delivery = text('delivery');
      return delivery ? w.auditDelivery(delivery) : '';
    }
    case 'staff.add':
    case 'staff.unlock':
    case 'staff.password':
      return other ?? '';
    case 'staff.invite': {
      const handover = text('handover');
      return [account, role('role'), language('locale'), handover ? (w.auditHandover[handover] ?? handover) : null]
        .filter(Boolean)
        .join(', ');
    }
    case 'staff.role': {
      const from = role('from');
      const to = role('to');
      return account && from && to ? w.auditRole(account, from, to) : (account ?? '');
    }
    case 'staff.reset': {
      const handover = text('handover');
      return [account, handover ? (w.auditHandover[handover] ?? handover) : null].filter(Boolean).join(', ');
    }
    case 'staff.remove': {
      const returned = count('leadsReturned');
      return join([account, returned ? w.leadsReturned(returned) : null]);
    }
    case 'staff.settings': {
      const alerts = detail.alerts as { sound?: unknown; desktop?: unknown } | undefined;
      const locale = language('locale');
      return join([
        other,
        locale ? w.auditLanguage(locale) : null,
        alerts && typeof alerts === 'object' ? w.auditAlerts(alerts.sound === true, alerts.desktop === true) : null,
      ]);
    }
    case 'staff.link_used': {
      const purpose = text('purpose');
      return join([other, purpose ? (w.auditPurpose[purpose] ?? purpose) : null]);
    }
    default:
      return describe(entry.detail);
  }
}

function describe(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
