import type { Copy } from './copy.js';
import { duration } from './formatters.js';
import type { Sla, Status, Urgency } from './types.js';
import type { Waiting } from './waitingTime.js';

/** Urgency in words, on a colour that tells it at a glance. */
export function UrgencyBadge({ urgency, t }: { urgency: Urgency; t: Copy }) {
  return <span class={`badge urgency-${urgency}`}>{t.urgencies[urgency]}</span>;
}

export function StatusBadge({ status, t }: { status: Status; t: Copy }) {
  return <span class={`badge status-${status}`}>{t.statuses[status]}</span>;
}

/**
 * The visitor's language, when it is not English: a Spanish speaker needs a Spanish-speaking caller,
 * so it shows at a glance. English, the usual case, goes without a badge.
 */
export function LanguageBadge({ locale, t }: { locale: string; t: Copy }) {
  if (locale === 'en') return null;
  return <span class="badge language">{t.languages[locale] ?? locale}</span>;
}

/**
 * Time waited against the lead's callback target. Not colour alone (WCAG 2.2 SC 1.4.1): the words
 * say where it stands and each level has its own shape, a circle, a triangle and a diamond. Its two
 * parts ("22 min ·", "over the 15-min target") never break inside; the chip wraps between them.
 */
export function SlaBadge({ waiting, target, t }: { waiting: Waiting; target: number; t: Copy }) {
  const age = duration(waiting.minutes);
  if (!waiting.sla) return <span class="age">{t.firstContact(age)}</span>;
  const verdict = { green: t.slaGreen, amber: t.slaAmber, red: t.slaRed }[waiting.sla](target);
  return (
    <span class={`badge sla sla-${waiting.sla}`}>
      <span class="part">
        <SlaIcon sla={waiting.sla} />
        {`${age} ·`}
      </span>{' '}
      <span class="part">{verdict}</span>
    </span>
  );
}

const SHAPES: Record<Sla, string> = {
  green: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Z',
  amber: 'M8 1 15.5 14.5H.5Z',
  red: 'M8 0 16 8 8 16 0 8Z',
};

function SlaIcon({ sla }: { sla: Sla }) {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path fill="currentColor" d={SHAPES[sla]} />
    </svg>
  );
}
