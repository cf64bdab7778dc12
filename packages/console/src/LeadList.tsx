import { assigneeText } from './AssignForm.js';
import { LanguageBadge, SlaBadge, StatusBadge, UrgencyBadge } from './badges.js';
import type { Copy } from './copy.js';
import { hrefFor } from './router.js';
import type { LeadRow, Session } from './types.js';
import { targetOf, waitingTime } from './waitingTime.js';

interface Props {
  readonly leads: readonly LeadRow[];
  /** The server's clock now. */
  readonly now: number;
  /** Whose callback targets the waits are measured against when a row names none. */
  readonly center: Session['center'];
  /** The signed-in person's address: their own leads say "You". */
  readonly me: string;
  readonly t: Copy;
}

/**
 * The leads in the server's order (new first, by urgency, oldest first). A row on a desk, a card on a
 * phone (console.css). The name links to the lead; the call link sits above that link's hit area so
 * one tap dials. A visitor who wrote in Spanish has a badge that says so, next to the urgency.
 */
export function LeadList({ leads, now, center, me, t }: Props) {
  return (
    <ol class="leads" aria-labelledby="inbox-title">
      {leads.map((lead) => {
        const target = targetOf(lead, center);
        return (
          <li key={lead.id} class={`lead${lead.status === 'new' ? ' is-new' : ''}`}>
            <div class="lead-who">
              <h2 class="lead-name">
                <a href={hrefFor({ name: 'lead', id: lead.id })}>{lead.unreadable ? t.unreadable : lead.name}</a>
              </h2>
              <p class="badges">
                <UrgencyBadge urgency={lead.urgency} t={t} /> <span class="sr-only">{t.status}: </span>
                <StatusBadge status={lead.status} t={t} /> <LanguageBadge locale={lead.locale} t={t} />
              </p>
            </div>
            {lead.unreadable ? (
              <p class="lead-unreadable help">{t.unreadableHelp}</p>
            ) : (
              <a class="button call" href={`tel:${lead.phoneE164}`}>
                {t.call(lead.phone)}
              </a>
            )}
            <div class="lead-wait">
              <SlaBadge waiting={waitingTime(lead, now, target)} target={target} t={t} />
            </div>
            <div class="lead-work">
              <p class="lead-route">{t.routes[lead.route] ?? lead.routeTitle}</p>
              <p class="lead-assignee">
                {t.assignedTo}:{' '}
                <span class={`wrap${lead.assignee ? '' : ' help'}`}>{assigneeText(lead.assignee, me, t)}</span>
              </p>
            </div>
            {!lead.unreadable && <ContactFacts lead={lead} t={t} />}
          </li>
        );
      })}
    </ol>
  );
}

/** What the visitor chose about being called: the language, the time, voicemail and texts. */
function ContactFacts({ lead, t }: { readonly lead: LeadRow; readonly t: Copy }) {
  return (
    <dl class="lead-facts">
      <div>
        <dt>{t.visitorLanguage}</dt>
        <dd>{t.languages[lead.locale] ?? lead.locale}</dd>
      </div>
      <div>
        <dt>{t.bestTime}</dt>
        <dd>{t.times[lead.bestTime]}</dd>
      </div>
      <div>
        <dt>{t.voicemailOk}</dt>
        <dd>{lead.voicemailOk ? t.yes : t.no}</dd>
      </div>
      <div>
        <dt>{t.textOk}</dt>
        <dd>{lead.textOk ? t.yes : t.no}</dd>
      </div>
    </dl>
  );
}
