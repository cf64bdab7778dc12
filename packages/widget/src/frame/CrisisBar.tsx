import type { RefObject } from 'preact';
import { copyFor } from './copy.js';

interface Props {
  readonly locale: string;
  /** The "More help" button, which focus returns to when the crisis screen closes. */
  readonly more: RefObject<HTMLButtonElement>;
  readonly onMore: () => void;
}

// 16 px glyphs: a handset for calls, a speech bubble for texts. Drawn, not fonts: nothing loads.
const PHONE =
  'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2Z';
const BUBBLE = 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2Z';

const Icon = ({ d }: { d: string }) => (
  <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
    <path fill="currentColor" d={d} />
  </svg>
);

/**
 * Crisis help in one tap on every screen (docs/conversation.md, crisis resources): call 988, text 988 and call
 * 911 are links in the bar itself; "More help" opens the fuller crisis screen (Poison Help, SAMHSA,
 * 988 chat). One line at any width: on narrow phones the verbs give way to icons, and each link's
 * accessible name still says in full what it reaches (the visible number is part of that name).
 */
export function CrisisBar({ locale, more, onMore }: Props) {
  const t = copyFor(locale);
  return (
    <nav class="crisis-bar" aria-label={t.crisisBarLabel}>
      <a href="tel:988" aria-label={t.crisisCall988Name}>
        <Icon d={PHONE} />
        <span class="verb">{t.crisisCallVerb} </span>988
      </a>
      <a href="sms:988" aria-label={t.crisisText988Name}>
        <Icon d={BUBBLE} />
        <span class="verb">{t.crisisTextVerb} </span>988
      </a>
      <a href="tel:911" aria-label={t.crisisCall911Name}>
        <Icon d={PHONE} />
        <span class="verb">{t.crisisCallVerb} </span>911
      </a>
      <button ref={more} type="button" aria-label={t.crisisMoreName} onClick={onMore}>
        {t.crisisMoreShort}
        <span class="verb"> {t.crisisMoreRest}</span>
      </button>
    </nav>
  );
}
