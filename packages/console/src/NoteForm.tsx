import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useConsole } from './context.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { type LeadDetail, NOTE_LIMIT } from './types.js';

interface Props {
  readonly lead: LeadDetail;
  readonly onSaved: (lead: LeadDetail) => void;
}

/** A note for the lead's history, without changing its status (1 to 2,000 characters, API.md). */
export function NoteForm({ lead, onSaved }: Props) {
  const { api, t, announce } = useConsole();
  const [note, setNote] = useState('');
  const [error, setError] = useState<{ message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    if (error) field.current?.focus();
  }, [error]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const text = note.trim();
    if (!text) {
      setError({ message: t.noteEmpty });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.addNote(lead.id, text));
      setNote('');
      announce(t.noteSaved);
    } catch (failure) {
      if (!isSignedOut(failure)) setError({ message: errorMessage(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="note-title">
      <h2 id="note-title">{t.addNote}</h2>
      <form class="stack" noValidate onSubmit={submit}>
        <div class="field">
          <label for="note-text">{t.note}</label>
          <textarea
            id="note-text"
            ref={field}
            rows={3}
            maxLength={NOTE_LIMIT}
            value={note}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'note-error' : undefined}
            onInput={(event) => setNote(event.currentTarget.value)}
          />
          {error && (
            <p id="note-error" class="error" role="alert">
              {error.message}
            </p>
          )}
        </div>
        <button type="submit" aria-busy={busy ? 'true' : undefined}>
          {t.saveNote}
        </button>
      </form>
    </section>
  );
}
