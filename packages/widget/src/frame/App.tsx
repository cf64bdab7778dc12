import { useLayoutEffect, useRef } from 'preact/hooks';
import { CallbackForm } from './CallbackForm.js';
import { Conversation } from './Conversation.js';
import { CrisisScreen } from './CrisisScreen.js';
import { copyFor } from './copy.js';
import type { FrameActor } from './createFrameActor.js';
import { SubmitStatus } from './SubmitStatus.js';
import type { FrameSettings } from './settings.js';
import { useSnapshot } from './useSnapshot.js';

export interface AppProps {
  readonly actor: FrameActor;
  readonly settings: FrameSettings;
  /** Shown only when embedded: closing is the shell's job. */
  readonly onClose: (() => void) | null;
  readonly onClearAnswers: () => void;
  /** Milliseconds of "typing…" before each question; 0 with reduced motion. */
  readonly typingDelay: number;
}

/** The conversation frame: header, crisis bar, and the screen the machine is in. */
export function App({ actor, settings, onClose, onClearAnswers, typingDelay }: AppProps) {
  const snapshot = useSnapshot(actor);
  const { locale } = snapshot.context;
  const t = copyFor(locale);
  const crisisOpen = snapshot.matches({ crisis: 'open' });
  const dialogue = (snapshot.value as { dialogue: string }).dialogue;
  const other = settings.locales.find(
    (candidate) => candidate !== locale && (candidate === 'en' || candidate === 'es'),
  );
  const crisisBar = useRef<HTMLButtonElement>(null);
  const wasCrisisOpen = useRef(crisisOpen);

  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useLayoutEffect(() => {
    // Leaving the crisis screen returns focus to the bar that leads back to it.
    if (wasCrisisOpen.current && !crisisOpen) crisisBar.current?.focus();
    wasCrisisOpen.current = crisisOpen;
  }, [crisisOpen]);

  return (
    <div class="app">
      <header class="top">
        <h1 id="chat-title" tabIndex={-1}>
          {settings.name}
        </h1>
        {other && (
          <button
            type="button"
            class="quiet"
            lang={other}
            aria-label={t.languageName}
            onClick={() => actor.send({ type: 'visitor.locale', locale: other })}
          >
            {t.language}
          </button>
        )}
        {onClose && (
          <button type="button" class="icon" aria-label={t.close} onClick={onClose}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
              <path
                fill="currentColor"
                d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4 6.4 5Z"
              />
            </svg>
          </button>
        )}
      </header>
      {!crisisOpen && (
        <button ref={crisisBar} type="button" class="crisis-bar" onClick={() => actor.send({ type: 'visitor.crisis' })}>
          {t.crisisBar}
        </button>
      )}
      <main class="body" id="chat-body">
        {crisisOpen ? (
          <CrisisScreen
            locale={locale}
            byWords={snapshot.context.crisis?.by === 'words'}
            onContinue={() => actor.send({ type: 'visitor.continue' })}
          />
        ) : dialogue === 'callbackForm' ? (
          <CallbackForm actor={actor} snapshot={snapshot} settings={settings} />
        ) : dialogue === 'submitting' || dialogue === 'submitFailed' || dialogue === 'submitted' ? (
          <SubmitStatus actor={actor} snapshot={snapshot} settings={settings} />
        ) : (
          <Conversation actor={actor} snapshot={snapshot} settings={settings} typingDelay={typingDelay} />
        )}
      </main>
      <footer class="bottom">
        <p>{t.privacy}</p>
        {dialogue !== 'greeting' && dialogue !== 'submitting' && !crisisOpen && (
          <button type="button" class="link" onClick={onClearAnswers}>
            {t.startOver}
          </button>
        )}
      </footer>
    </div>
  );
}
