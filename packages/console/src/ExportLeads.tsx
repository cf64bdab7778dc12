import { useState } from 'preact/hooks';
import { exportUrl } from './api.js';
import { useConsole } from './context.js';
import { useViewHeading } from './useFocusOnce.js';

const DAY = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The CSV export (admins only). A plain link: the browser downloads it with the session cookie, and the
 * server writes it to the audit log (leads.export).
 */
export function ExportLeads() {
  const { t, format, serverNow } = useConsole();
  // Until the person picks a day, the default follows the server's clock, known after the first poll.
  const [chosen, setChosen] = useState<string | null>(null);
  const since = chosen ?? format.day(serverNow() - 30 * DAY);
  const heading = useViewHeading();
  const valid = DATE.test(since);

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {t.exportTitle}
      </h1>
      <p class="help">{t.exportIntro}</p>
      <div class="stack narrow">
        <div class="field">
          <label for="export-since">{t.since}</label>
          <input
            id="export-since"
            type="date"
            value={since}
            max={format.day(serverNow())}
            onInput={(event) => setChosen(event.currentTarget.value)}
          />
        </div>
        {valid ? (
          <a class="button primary" href={exportUrl(since)}>
            {t.download}
          </a>
        ) : (
          <p class="help">{t.pickDate}</p>
        )}
      </div>
    </>
  );
}
