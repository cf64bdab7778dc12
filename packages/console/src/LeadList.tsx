import { SlaBadge, StatusBadge, UrgencyBadge } from './badges.js';
import type { Copy } from './copy.js';
import { hrefFor } from './router.js';
import type { LeadRow, Session } from './types.js';
import { targetFor, waitingTime } from './waitingTime.js';

interface Props {
  readonly leads: readonly LeadRow[];
  /** The server's clock now. */
  readonly now: number;
  /** Whose callback targets the waits are measured against: each lead its urgency's. */
  readonly center: Session['center'];
  readonly t: Copy;
}

/**
 * The leads in the server's order (new first, by urgency, oldest first). A row on a desk, a card on a
 * phone (console.css). The name links to the lead; the call link sits above that link's hit area so
 * one tap dials.
 */
export function LeadList({ leads, now, center, t }: Props) {
  return (
    <ol class="leads" aria-labelledby="inbox-title">
      {leads.map((lead) => (
        <li key={lead.id} class={`lead${lead.status === 'new' ? ' is-new' : ''}`}>
          <div class="lead-who">
            <h2 class="lead-name">
              <a href={hrefFor({ name: 'lead', id: lead.id })}>{lead.name}</a>
            </h2>
            <p class="badges">
              <UrgencyBadge urgency={lead.urgency} t={t} /> <span class="sr-only">{t.status}: </span>
              <StatusBadge status={lead.status} t={t} />
            </p>
          </div>
          <a class="button call" href={`tel:${lead.phoneE164}`}>
            {t.call(lead.phone)}
          </a>
          <div class="lead-wait">
            <SlaBadge
              waiting={waitingTime(lead, now, targetFor(center, lead.urgency))}
              target={targetFor(center, lead.urgency)}
              t={t}
            />
          </div>
          <div class="lead-route">{t.routes[lead.route] ?? lead.routeTitle}</div>
          <dl class="lead-facts">
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
        </li>
      ))}
    </ol>
  );
}
