import { crisisResources } from '@intake-chat/engine';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { copyFor } from './copy.js';

interface Props {
  readonly locale: string;
  /** Opened because of words the visitor typed: say so gently, without alarm. */
  readonly byWords: boolean;
  readonly onContinue: () => void;
}

/**
 * 988, 911, Poison Help and SAMHSA as tap-to-call and tap-to-text links, before any consent and
 * with no lead needed (DOMAIN.md, crisis resources). A false alarm costs one tap: "go back".
 */
export function CrisisScreen({ locale, byWords, onContinue }: Props) {
  const t = copyFor(locale);
  const lang = locale === 'es' ? 'es' : 'en';
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), []);
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
                {t.call} {resource.id === '988' || resource.id === '911' ? resource.id : ''}
              </a>
              {resource.sms && (
                <a class="button" href={resource.sms}>
                  {t.text} {resource.id}
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
      <button type="button" class="secondary" onClick={onContinue}>
        {t.continue}
      </button>
    </section>
  );
}
