import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { StatusBadge } from './badges.js';
import { useConsole } from './context.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { type LeadDetail, NOTE_LIMIT, type Status } from './types.js';

interface Props {
  readonly lead: LeadDetail;
  readonly onChanged: (lead: LeadDetail) => void;
  /** Someone else changed the status first: load the lead again. */
  readonly onConflict: () => void;
}

/**
 * The status workflow: one button per status the server allows next, with an optional note. The
 * change names the status it starts from, so two people acting at once cannot overwrite each other:
 * the second gets 409 with the server's words, and sees the lead as it now is.
 */
export function StatusForm({ lead, onChanged, onConflict }: Props) {
  const { api, t, announce, refreshInbox } = useConsole();
  const [note, setNote] = useState('');
  const [error, setError] = useState<{ message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const alert = useRef<HTMLParagraphElement>(null);

  useLayoutEffect(() => {
    if (error) alert.current?.focus();
  }, [error]);

  const change = async (to: Status) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const text = note.trim();
    try {
      const updated = await api.changeStatus(lead.id, { from: lead.status, to, ...(text ? { note: text } : {}) });
      setNote('');
      onChanged(updated);
      // The pressed button may be gone now; the section's heading keeps the place.
      heading.current?.focus();
      announce(t.statusChanged(t.statuses[updated.status]));
      refreshInbox();
    } catch (failure) {
      if (isSignedOut(failure)) return;
      setError({ message: errorMessage(failure, t) });
      if (failure instanceof ApiError && failure.code === 'conflict') {
        onConflict();
        refreshInbox();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="status-title">
      <h2 id="status-title" ref={heading} tabIndex={-1}>
        {t.status}
      </h2>
      <p>
        {t.currentStatus}: <StatusBadge status={lead.status} t={t} />
      </p>
      {error && (
        <p class="error-box" role="alert" tabIndex={-1} ref={alert}>
          {error.message}
        </p>
      )}
      {lead.nextStatuses.length === 0 ? (
        <p class="help">{t.closed}</p>
      ) : (
        <fieldset class="stack">
          <legend>{t.changeStatus}</legend>
          <div class="field">
            <label for="status-note">{t.statusNote}</label>
            <textarea
              id="status-note"
              rows={2}
              maxLength={NOTE_LIMIT}
              value={note}
              onInput={(event) => setNote(event.currentTarget.value)}
            />
          </div>
          <div class="actions">
            {lead.nextStatuses.map((status) => (
              <button
                key={status}
                type="button"
                class={status === 'contacted' ? 'primary' : undefined}
                aria-busy={busy ? 'true' : undefined}
                onClick={() => change(status)}
              >
                {t.markAs(t.statuses[status])}
              </button>
            ))}
          </div>
        </fieldset>
      )}
    </section>
  );
}
