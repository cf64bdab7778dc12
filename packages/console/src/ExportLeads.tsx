import { useState } from 'preact/hooks';
import { exportUrl } from './api.js';
import { useConsole } from './context.js';
import { accountsCopy } from './copyAccounts.js';
import type { ExportFormat } from './types.js';
import { useViewHeading } from './useFocusOnce.js';

const DAY = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The export (admins only), as CSV for a spreadsheet or JSON for another program. A plain link: the
 * browser downloads it with the session cookie, and the server writes it to the audit log once
 * (leads.export). Signed out by then, the server sends the browser to sign in and back here.
 */
export function ExportLeads() {
  const { t, format, serverNow, session } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [kind, setKind] = useState<ExportFormat>('csv');
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
      <p class="help">{w.exportIntro}</p>
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
        <fieldset>
          <legend>{w.formatLegend}</legend>
          <div class="choices">
            {(['csv', 'json'] as const).map((option) => (
              <div class="choice" key={option}>
                <input
                  type="radio"
                  id={`export-${option}`}
                  name="export-format"
                  value={option}
                  checked={kind === option}
                  aria-describedby={`export-${option}-help`}
                  onChange={() => setKind(option)}
                />
                <label for={`export-${option}`}>{w.formats[option]}</label>
                <span id={`export-${option}-help`} class="help choice-help">
                  {w.formatHelp[option]}
                </span>
              </div>
            ))}
          </div>
        </fieldset>
        {valid ? (
          <a class="button primary" href={exportUrl(since, kind)}>
            {w.download(w.formats[kind])}
          </a>
        ) : (
          <p class="help">{t.pickDate}</p>
        )}
      </div>
    </>
  );
}
