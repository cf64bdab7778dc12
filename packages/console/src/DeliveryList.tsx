import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useConsole } from './context.js';
import { accountsCopy } from './copyAccounts.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { hrefFor } from './router.js';
import type { Delivery } from './types.js';

interface Props {
  readonly deliveries: readonly Delivery[];
  /** The id of the heading that names the list. */
  readonly labelledBy: string;
  /** On the failed-deliveries page, each item links to its lead. */
  readonly linkLeads?: boolean;
  /** The delivery as the server queued it again. */
  readonly onReplayed: (delivery: Delivery) => void;
}

/** Staff alerts for leads (webhooks and e-mails), with "Retry now" where one gave up or was skipped. */
export function DeliveryList({ deliveries, labelledBy, linkLeads = false, onReplayed }: Props) {
  return (
    <ul class="deliveries" aria-labelledby={labelledBy}>
      {deliveries.map((delivery) => (
        <DeliveryItem key={delivery.id} delivery={delivery} linkLead={linkLeads} onReplayed={onReplayed} />
      ))}
    </ul>
  );
}

function DeliveryItem({
  delivery,
  linkLead,
  onReplayed,
}: {
  delivery: Delivery;
  linkLead: boolean;
  onReplayed: (delivery: Delivery) => void;
}) {
  const { api, t, format, refreshInbox, session } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState(false);
  const [busy, setBusy] = useState(false);
  const outcome = useRef<HTMLParagraphElement>(null);
  const replayable = delivery.status === 'dead' || delivery.status === 'skipped';
  const title = `delivery-${delivery.id}`;

  // The button goes away once the delivery is queued: focus moves to the words that say so.
  useLayoutEffect(() => {
    if (queued || error) outcome.current?.focus();
  }, [queued, error]);

  const replay = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onReplayed(await api.replay(delivery.id));
      setQueued(true);
      refreshInbox();
    } catch (failure) {
      if (!isSignedOut(failure)) setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  // One sentence says what happened, so a skipped e-mail never reads as "Sent to" someone.
  const outcomeWords =
    delivery.status === 'delivered' && delivery.deliveredAt
      ? w.deliveredAt(format.dateTime(delivery.deliveredAt))
      : delivery.status === 'skipped' && delivery.lastError
        ? w.skippedBecause(delivery.lastError)
        : w.deliveryOutcome[delivery.status](delivery.attempts);
  return (
    <li class="delivery">
      <p class="delivery-title" id={title}>
        <strong>{w.deliveryTo[delivery.kind]}</strong> <span class="wrap">{delivery.target}</span>{' '}
        <span class={`badge delivery-${delivery.status}`}>{t.deliveryStatuses[delivery.status]}</span>
      </p>
      <p>{outcomeWords}</p>
      <dl class="facts">
        <div>
          <dt>{t.created}</dt>
          <dd>{format.dateTime(delivery.createdAt)}</dd>
        </div>
        {delivery.status === 'pending' && delivery.nextAttemptAt && (
          <div>
            <dt>{w.nextAttempt}</dt>
            <dd>{format.dateTime(delivery.nextAttemptAt)}</dd>
          </div>
        )}
        {delivery.lastError && delivery.status !== 'skipped' && (
          <div>
            <dt>{t.lastError}</dt>
            <dd class="wrap">{delivery.lastError}</dd>
          </div>
        )}
      </dl>
      <div class="actions">
        {linkLead && <a href={hrefFor({ name: 'lead', id: delivery.leadId })}>{t.openLead}</a>}
        {replayable && (
          <button type="button" aria-describedby={title} aria-busy={busy ? 'true' : undefined} onClick={replay}>
            {t.retryNow}
          </button>
        )}
      </div>
      {(queued || error) && (
        <p ref={outcome} tabIndex={-1} class={error ? 'error' : 'done'} role={error ? 'alert' : 'status'}>
          {error ?? t.queued}
        </p>
      )}
    </li>
  );
}
