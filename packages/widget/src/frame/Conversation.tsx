import { answerLabels, localize, promptFor, questionsLeft, stepById } from '@intake-chat/engine';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { copyFor } from './copy.js';
import type { FrameActor } from './createFrameActor.js';
import { QuestionControls } from './QuestionControls.js';
import { ResultCard } from './ResultCard.js';
import type { FrameSettings } from './settings.js';
import type { useSnapshot } from './useSnapshot.js';

interface Props {
  readonly actor: FrameActor;
  readonly snapshot: ReturnType<typeof useSnapshot>;
  readonly settings: FrameSettings;
  readonly typingDelay: number;
}

/**
 * The transcript as a polite live log (Microsoft Web Chat's model, docs/widget-lessons.md): the greeting, each
 * question asked with the visitor's answer ("You chose ..."), then the question being asked or the
 * result. Past choices are plain text: they can no longer be pressed, and read back what was chosen.
 */
export function Conversation({ actor, snapshot, settings, typingDelay }: Props) {
  const { flow, locale, answers, path, stepId } = snapshot.context;
  const t = copyFor(locale);
  const showingResult = snapshot.matches({ dialogue: 'result' });
  const turnKey = showingResult ? 'result' : (stepId ?? 'greeting');
  const typing = useTypingPause(turnKey, typingDelay);
  const end = useRef<HTMLDivElement>(null);

  // The new question at the top of the view, so its options follow below it; on a phone a long
  // multi-choice list would otherwise push the question itself out of sight.
  useLayoutEffect(() => {
    const prompt = document.getElementById('prompt') ?? document.getElementById('result-title');
    (prompt ?? end.current)?.scrollIntoView?.({ block: prompt ? 'start' : 'end' });
  }, [turnKey, typing]);

  const step = stepId ? stepById(flow, stepId) : null;
  return (
    <div class="conversation">
      <div class="log" role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="chat-title">
        <p class="bot">{localize(flow.messages.greeting, locale, flow)}</p>
        {path.map((id) => {
          const asked = stepById(flow, id);
          const answer = answers[id];
          return (
            <div class="turn" key={id}>
              <p class="bot">{promptFor(flow, asked, answers, locale)}</p>
              <p class="visitor">
                {answer === undefined ? (
                  t.skipped
                ) : (
                  <>
                    <span class="sr-only">{t.youChose}: </span>
                    {answerLabels(flow, asked, answer, locale).join(', ')}
                  </>
                )}
              </p>
            </div>
          );
        })}
        {typing ? (
          <p class="bot typing" aria-hidden="true">
            <span class="dots">
              <span />
              <span />
              <span />
            </span>
            <span class="sr-only">{t.typing}</span>
          </p>
        ) : step ? (
          <p class="bot" id="prompt">
            {promptFor(flow, step, answers, locale)}
          </p>
        ) : showingResult && snapshot.context.result ? (
          <ResultCard flow={flow} locale={locale} result={snapshot.context.result} />
        ) : null}
      </div>
      {!typing && showingResult && (
        // Docked at the bottom of the view while the result is read, in its place after the result
        // once scrolled to (WCAG 2.2 SC 2.4.11: the body's scroll-padding keeps a focused control from
        // hiding under it). A child of the whole conversation, so it stays docked however long the result.
        <div class="dock">
          <button
            type="button"
            class="primary"
            data-autofocus
            data-primary
            onClick={() => actor.send({ type: 'visitor.requestCallback' })}
          >
            {t.requestCallback}
          </button>
        </div>
      )}
      {!typing && (
        <div class="controls">
          {snapshot.matches({ dialogue: 'greeting' }) && (
            <>
              <button
                type="button"
                class="primary"
                data-autofocus
                data-primary
                onClick={() => actor.send({ type: 'visitor.start' })}
              >
                {t.start}
              </button>
              <p class="help privacy">{t.privacy}</p>
            </>
          )}
          {step && (
            // Honest for a branching flow: counted from the flow and the answers so far, and "about".
            <p class="progress">{t.questionsLeft(questionsLeft(flow, step.id, answers))}</p>
          )}
          {step && (
            <QuestionControls
              key={step.id}
              flow={flow}
              step={step}
              locale={locale}
              value={answers[step.id]}
              onAnswer={(value) => actor.send({ type: 'visitor.answer', value })}
              onSkip={(draft) => actor.send({ type: 'visitor.skip', ...(draft ? { draft } : {}) })}
            />
          )}
          {showingResult && (
            <a class="button" href={`tel:${settings.phoneE164}`}>
              {t.orCall(settings.phone)}
            </a>
          )}
          {(step || showingResult) && (
            <button type="button" class="secondary back" onClick={() => actor.send({ type: 'visitor.back' })}>
              {t.back}
            </button>
          )}
        </div>
      )}
      <div ref={end} />
    </div>
  );
}

/**
 * A short "typing…" pause before each new bot turn, so the conversation reads as one; none when
 * the visitor prefers reduced motion (the caller passes 0). Focus then moves to the new turn's
 * first control, except a text box on touch screens, where it would pop the keyboard unasked.
 */
function useTypingPause(key: string, delay: number): boolean {
  // Derived during render, so the dots replace the old turn at once, with no flash of the question.
  const [shown, setShown] = useState(key);
  const typing = delay > 0 && shown !== key;
  useEffect(() => {
    if (!typing) {
      focusFirstControl();
      return;
    }
    const timer = setTimeout(() => setShown(key), delay);
    return () => clearTimeout(timer);
  }, [key, typing, delay]);
  return typing;
}

function focusFirstControl() {
  // After the render that shows the controls.
  setTimeout(() => {
    const target = firstControl();
    if (!target) return;
    if (target.matches('textarea, input[type="text"]') && window.matchMedia?.('(pointer: coarse)').matches) return;
    if (document.hasFocus()) target.focus({ preventScroll: true });
  }, 0);
}

/** Where a visitor's next action is: the turn's marked control, else its first button or field. */
export function firstControl(): HTMLElement | null {
  return (
    document.querySelector<HTMLElement>('.conversation [data-autofocus]') ??
    document.querySelector<HTMLElement>('.controls :is(button, input, textarea)')
  );
}
