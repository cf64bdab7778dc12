import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useConsole } from './context.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { hrefFor } from './router.js';
import type { AuditEntry } from './types.js';
import { useViewHeading } from './useFocusOnce.js';

/** Who did what, newest first, 100 entries a page (admins only; the server answers 403 to staff). */
export function AuditLog() {
  const { api, t, format } = useConsole();
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
                  {entry.staffEmail}
                </td>
                <td data-label={t.action}>{t.actions[entry.action] ?? entry.action}</td>
                <td data-label={t.lead}>
                  {entry.leadId && <a href={hrefFor({ name: 'lead', id: entry.leadId })}>{entry.leadId.slice(0, 8)}</a>}
                </td>
                <td data-label={t.detail} class="wrap">
                  {describe(entry.detail)}
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

function describe(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
