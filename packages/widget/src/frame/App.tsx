import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CallbackForm } from './CallbackForm.js';
import { Conversation } from './Conversation.js';
import { CrisisBar } from './CrisisBar.js';
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
  const [confirming, setConfirming] = useState(false);
  const submitted = dialogue === 'submitted';
  const footer = useRef<HTMLElement>(null);
  const askedToConfirm = useRef(false);

  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useLayoutEffect(() => {
    // Leaving the crisis screen returns focus to the bar that leads back to it.
    if (wasCrisisOpen.current && !crisisOpen) crisisBar.current?.focus();
    wasCrisisOpen.current = crisisOpen;
  }, [crisisOpen]);
  useLayoutEffect(() => {
    // The question takes focus on its safe answer; saying no returns to the link that asked it.
    if (confirming) footer.current?.querySelector<HTMLElement>('[data-keep]')?.focus();
    else if (askedToConfirm.current) footer.current?.querySelector<HTMLElement>('button')?.focus();
    askedToConfirm.current = confirming;
  }, [confirming]);

  return (
    <div class="app">
      <header class="top">
        {/* One line: a long name is cut short on screen, and read in full by assistive tech. */}
        <h1 id="chat-title" tabIndex={-1} title={settings.name}>
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
        <CrisisBar locale={locale} more={crisisBar} onMore={() => actor.send({ type: 'visitor.crisis' })} />
      )}
      {/* Not a tab stop of its own: Chromium makes a scrolling box focusable, an invisible stop
          after the last control; the controls inside scroll it into view as they take focus. */}
      <main class="body" id="chat-body" tabIndex={-1}>
        {crisisOpen && (
          <CrisisScreen
            locale={locale}
            byWords={snapshot.context.crisis?.by === 'words'}
            fromForm={dialogue === 'callbackForm'}
            onContinue={() => actor.send({ type: 'visitor.continue' })}
            onSendAnyway={() => {
              const { form } = snapshot.context;
              actor.send({ type: 'visitor.continue' });
              if (form) actor.send({ type: 'form.submit', form });
            }}
          />
        )}
        {/* Hidden, not removed, under the crisis screen: what the visitor was typing (a form, a text
            answer) is still there when they go back. */}
        <div class="screen" hidden={crisisOpen}>
          {dialogue === 'callbackForm' ? (
            <CallbackForm actor={actor} snapshot={snapshot} settings={settings} />
          ) : dialogue === 'submitting' || dialogue === 'submitFailed' || dialogue === 'submitted' ? (
            <SubmitStatus actor={actor} snapshot={snapshot} settings={settings} />
          ) : (
            <Conversation actor={actor} snapshot={snapshot} settings={settings} typingDelay={typingDelay} />
          )}
        </div>
      </main>
      {submitted && !crisisOpen ? (
        <footer class="bottom">
          <p>{t.privacySent}</p>
        </footer>
      ) : (
        dialogue !== 'greeting' &&
        dialogue !== 'submitting' &&
        !crisisOpen && (
          <footer class="bottom" ref={footer}>
            {/* One tap must not wipe every answer: ask first (the answers are not kept anywhere else). */}
            {confirming ? (
              <fieldset class="confirm">
                <legend>{t.startOverConfirm}</legend>
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    setConfirming(false);
                    onClearAnswers();
                  }}
                >
                  {t.startOverYes}
                </button>
                <button type="button" class="link" data-keep onClick={() => setConfirming(false)}>
                  {t.startOverNo}
                </button>
              </fieldset>
            ) : (
              <button type="button" class="link" onClick={() => setConfirming(true)}>
                {t.startOver}
              </button>
            )}
          </footer>
        )
      )}
    </div>
  );
}
