import { crisisResources } from '@intake-chat/engine';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { copyFor } from './copy.js';

interface Props {
  readonly locale: string;
  /** Opened because of words the visitor typed: say so gently, without alarm. */
  readonly byWords: boolean;
  /** Opened over the callback form (crisis words in the name): the request can still be sent. */
  readonly fromForm: boolean;
  readonly onContinue: () => void;
  readonly onSendAnyway: () => void;
}

/**
 * 988, 911, Poison Help and SAMHSA as tap-to-call and tap-to-text links, before any consent and
 * with no lead needed (docs/conversation.md, crisis resources). Each button names what it calls. A false alarm
 * costs one tap: "go back" returns to exactly where the visitor was, with what they typed; over the
 * form, "send my request now" sends it as it is, and staff see an emergency.
 */
export function CrisisScreen({ locale, byWords, fromForm, onContinue, onSendAnyway }: Props) {
  const t = copyFor(locale);
  const lang = locale === 'es' ? 'es' : 'en';
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), []);
  const offerSend = byWords && fromForm;
  return (
    <section class="crisis" aria-labelledby="crisis-title">
      <h2 id="crisis-title" ref={heading} tabIndex={-1}>
        {t.crisisTitle}
      </h2>
      {byWords && <p>{t.crisisWords}</p>}
      <p>{t.crisisLead}</p>
      <ul class="resources">
        {crisisResources.map((resource) => (
          <li key={resource.id}>
            <h3>{resource.label[lang]}</h3>
            <p>{resource.when[lang]}</p>
            <div class="actions">
              <a class="button primary" href={resource.tel}>
                {t.callResource[resource.id]}
              </a>
              {resource.sms && (
                <a class="button" href={resource.sms}>
                  {t.textResource}
                </a>
              )}
              {resource.web && (
                <a class="button" href={resource.web} target="_blank" rel="noopener noreferrer">
                  {t.chat}
                </a>
              )}
            </div>
          </li>
        ))}
      </ul>
      {offerSend && <p>{t.crisisWordsForm}</p>}
      <div class="actions stacked">
        {offerSend && (
          <button type="button" class="primary send-anyway" onClick={onSendAnyway}>
            {t.sendAnyway}
          </button>
        )}
        <button type="button" class="secondary" onClick={onContinue}>
          {fromForm ? t.continueForm : t.continue}
        </button>
      </div>
    </section>
  );
}
