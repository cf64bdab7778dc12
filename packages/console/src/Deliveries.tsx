import { useEffect, useState } from 'preact/hooks';
import { useConsole } from './context.js';
import { DeliveryList } from './DeliveryList.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import type { Delivery } from './types.js';
import { useViewHeading } from './useFocusOnce.js';

/** Staff alerts that gave up, newest first, each with its lead and "Retry now". */
export function Deliveries() {
  const { api, t } = useConsole();
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heading = useViewHeading();

  useEffect(() => {
    api.deadDeliveries().then(
      (answer) => setDeliveries(answer.deliveries),
      (failure: unknown) => {
        if (!isSignedOut(failure)) setError(failure);
      },
    );
  }, [api]);

  return (
    <>
      <h1 id="deliveries-title" ref={heading} tabIndex={-1}>
        {t.deliveriesTitle}
      </h1>
      <p class="help">{t.deliveriesIntro}</p>
      {error ? (
        <p class="error-box">{errorMessage(error, t)}</p>
      ) : !deliveries ? (
        <p role="status">{t.loading}</p>
      ) : deliveries.length === 0 ? (
        <p class="empty">{t.noDeadDeliveries}</p>
      ) : (
        <DeliveryList
          deliveries={deliveries}
          labelledBy="deliveries-title"
          linkLeads
          onReplayed={(delivery) =>
            setDeliveries((current) => current?.map((item) => (item.id === delivery.id ? delivery : item)) ?? null)
          }
        />
      )}
    </>
  );
}
