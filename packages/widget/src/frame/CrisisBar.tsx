import type { RefObject } from 'preact';
import { copyFor } from './copy.js';

interface Props {
  readonly locale: string;
  /** The "More help" button, which focus returns to when the crisis screen closes. */
  readonly more: RefObject<HTMLButtonElement>;
  readonly onMore: () => void;
}

/**
 * Crisis help in one tap on every screen (DOMAIN.md, crisis resources): call 988, text 988 and call
 * 911 are links in the bar itself; "More help" opens the fuller crisis screen (Poison Help, SAMHSA,
 * 988 chat). Each link's accessible name says what it reaches, where the visible text is short.
 */
export function CrisisBar({ locale, more, onMore }: Props) {
  const t = copyFor(locale);
  return (
    <nav class="crisis-bar" aria-label={t.crisisBarLabel}>
      <span class="crisis-label" aria-hidden="true">
        {t.crisisBarLabel}
      </span>
      <a href="tel:988" aria-label={t.crisisCall988Name}>
        {t.crisisCall988}
      </a>
      <a href="sms:988" aria-label={t.crisisText988Name}>
        {t.crisisText988}
      </a>
      <a href="tel:911" aria-label={t.crisisCall911Name}>
        {t.crisisCall911}
      </a>
      <button ref={more} type="button" aria-label={t.crisisMoreName} onClick={onMore}>
        {t.crisisMore}
      </button>
    </nav>
  );
}
