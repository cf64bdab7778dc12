import { useLayoutEffect, useRef } from 'preact/hooks';
import { copyFor } from './copy.js';
import type { FrameActor } from './createFrameActor.js';
import type { FrameSettings } from './settings.js';
import type { useSnapshot } from './useSnapshot.js';

interface Props {
  readonly actor: FrameActor;
  readonly snapshot: ReturnType<typeof useSnapshot>;
  readonly settings: FrameSettings;
}

/**
 * Sending, not sent yet, and sent. While it fails the request is kept and retried on its own, and
 * the center's phone number is always on screen: a visitor is never stuck (docs/architecture.md, data flow 5).
 */
export function SubmitStatus({ actor, snapshot, settings }: Props) {
  const t = copyFor(snapshot.context.locale);
  const heading = useRef<HTMLHeadingElement>(null);
  const state = snapshot.matches({ dialogue: 'submitted' })
    ? 'submitted'
    : snapshot.matches({ dialogue: 'submitFailed' })
      ? 'failed'
      : 'sending';
  useLayoutEffect(() => {
    if (state !== 'sending') heading.current?.focus();
  }, [state]);
  const call = (
    <a class="button primary" href={`tel:${settings.phoneE164}`}>
      {t.callNow(settings.phone)}
    </a>
  );

  if (state === 'submitted') {
    const window = snapshot.context.receipt?.callbackWindow;
    // The same triage as the server's, name included: a visitor in danger is told plainly not to
    // wait for a call, instead of "within 15 minutes".
    if (snapshot.context.result?.urgency === 'emergency') {
      return (
        <section class="status done emergency" aria-labelledby="status-title">
          <h2 id="status-title" ref={heading} tabIndex={-1}>
            {t.doneTitle}
          </h2>
          <p class="urgent-note">{t.emergencyBody}</p>
          <div class="actions">
            <a class="button primary crisis-call" href="tel:911">
              {t.crisisCall911}
            </a>
            <a class="button" href="tel:988" aria-label={t.crisisCall988Name}>
              {t.crisisCall988}
            </a>
            <a class="button" href="sms:988" aria-label={t.crisisText988Name}>
              {t.crisisText988}
            </a>
          </div>
          {window && <p>{t.emergencyWindow(window)}</p>}
          <p>{t.doneCall(settings.phone)}</p>
        </section>
      );
    }
    return (
      <section class="status done" aria-labelledby="status-title">
        <h2 id="status-title" ref={heading} tabIndex={-1}>
          {t.doneTitle}
        </h2>
        {window && <p>{t.doneWindow(window)}</p>}
        <p>{t.doneCall(settings.phone)}</p>
        {call}
        <p class="help">{t.crisisReminder}</p>
      </section>
    );
  }
  if (state === 'failed') {
    return (
      <section class="status failed" aria-labelledby="status-title">
        <h2 id="status-title" ref={heading} tabIndex={-1}>
          {t.failedTitle}
        </h2>
        <p>{t.failedBody}</p>
        {call}
        <div class="actions">
          <button type="button" class="secondary" onClick={() => actor.send({ type: 'form.retry' })}>
            {t.retry}
          </button>
          <button type="button" class="link" onClick={() => actor.send({ type: 'visitor.back' })}>
            {t.editForm}
          </button>
        </div>
      </section>
    );
  }
  return (
    <section class="status" aria-labelledby="status-title">
      <div role="status">
        <h2 id="status-title">{t.sending}</h2>
      </div>
      <p>{t.orCall(settings.phone)}</p>
    </section>
  );
}
