import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { insightCsvUrl } from './api.js';
import { useConsole } from './context.js';
import { insightCopy } from './copyInsight.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { duration } from './formatters.js';
import { hrefFor } from './router.js';
import { type InsightRange, type InsightReport, type InsightTable, insightRanges } from './types.js';
import { useViewHeading } from './useFocusOnce.js';

type Cell = string | number;

/**
 * Conversion insight (admins only): the funnel from launcher to admission, where people leave the
 * conversation, results by route, requests and admissions by source, speed to lead and crisis help,
 * for the last 7, 30 or 90 days. Each chart is plain HTML bars, hidden from screen readers, beside a
 * table that says the same in numbers; each table downloads as CSV, where counts under five are
 * written "fewer than 5". The range is in the address (#/insight?days=90), so a view can be bookmarked.
 */
export function Insight({ days }: { readonly days: InsightRange }) {
  const { api, t, session } = useConsole();
  const w = insightCopy(session.staff.locale);
  const [report, setReport] = useState<InsightReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heading = useViewHeading();
  const tag = session.staff.locale === 'es' ? 'es-US' : 'en-US';
  const number = new Intl.NumberFormat(tag);
  const percent = new Intl.NumberFormat(tag, { style: 'percent' });
  const share = (part: number, whole: number) => (whole > 0 ? percent.format(part / whole) : '–');
  const wait = (minutes: number | null) => (minutes === null ? '–' : duration(minutes));

  useEffect(() => {
    let live = true;
    setError(null);
    api.insight(days).then(
      (answer) => live && setReport(answer),
      (failure) => live && !isSignedOut(failure) && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [days]);

  /** A chart and its table, then the table's CSV link. */
  const section = (table: InsightTable, title: string, body: ComponentChildren) => (
    <section class="insight" aria-labelledby={`insight-${table}`}>
      <h2 id={`insight-${table}`}>{title}</h2>
      {body}
      <p>
        <a href={insightCsvUrl(days, table)} download>
          {w.csv(w.tables[table] ?? table)}
        </a>
      </p>
    </section>
  );
  /** A table whose first column names the row; numbers are formatted for the person's language. */
  const figures = (caption: string, columns: readonly string[], rows: readonly Cell[][]) => (
    <table class="audit figures">
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([first, ...rest], index) => (
          <tr key={index}>
            <th scope="row" data-label={columns[0]}>
              {first}
            </th>
            {rest.map((cell, column) => (
              <td key={column} data-label={columns[column + 1]} class={typeof cell === 'number' ? 'num' : undefined}>
                {typeof cell === 'number' ? number.format(cell) : cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  /** Horizontal bars for the eye only: the table beside them is what is read out and copied. */
  const bars = (rows: readonly { label: string; value: number; text?: string }[]) => {
    const most = Math.max(1, ...rows.map((row) => row.value));
    return (
      <div class="bars" aria-hidden="true">
        {rows.map((row) => (
          <div class="bar" key={row.label}>
            <span class="bar-label">{row.label}</span>
            <span class="bar-track">
              <span class="bar-fill" style={{ width: `${(row.value / most) * 100}%` }} />
            </span>
            <span class="bar-value">{row.text ?? number.format(row.value)}</span>
          </div>
        ))}
      </div>
    );
  };

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {w.title}
      </h1>
      <p class="help">{w.intro}</p>
      <div class="range">
        <span id="insight-range">{w.range}</span>
        <nav class="segmented" aria-labelledby="insight-range">
          {insightRanges.map((option) => (
            <a
              key={option}
              class="button"
              href={hrefFor({ name: 'insight', days: option })}
              aria-current={option === days ? 'true' : undefined}
            >
              {w.days(option)}
            </a>
          ))}
        </nav>
      </div>
      {error !== null && <p class="error-box">{errorMessage(error, t)}</p>}
      {report === null || report.days !== days
        ? error === null && <p role="status">{t.loading}</p>
        : renderReport(report)}
    </>
  );

  function renderReport(report: InsightReport) {
    const { speed } = report;
    const stage = (name: string) => w.stages[name] ?? name;
    const speedRows = (rows: InsightReport['speed']['byHour'], label: (key: number) => string) =>
      rows.map((row) => [
        label(row.key),
        row.requests,
        row.contacted,
        share(row.withinTarget, row.contacted),
        wait(row.medianMinutes),
      ]);
    const speedColumns = (first: string) => [first, w.requests, w.contacted, w.withinTarget, w.median];
    const hour = (key: number) => `${String(key).padStart(2, '0')}:00`;
    return (
      <>
        <p class="help">{w.span(report.from, report.to)}</p>
        <div class="pair">
          {section(
            'funnel',
            w.funnelTitle,
            <>
              {bars(report.funnel.map((row) => ({ label: stage(row.stage), value: row.count })))}
              {figures(
                w.funnelTitle,
                [w.stage, w.count, w.share],
                report.funnel.map((row, index) => [
                  stage(row.stage),
                  row.count,
                  index === 0 ? '–' : share(row.count, report.funnel[index - 1]?.count ?? 0),
                ]),
              )}
            </>,
          )}
          {section(
            'steps',
            w.stepsTitle,
            <>
              {bars(report.steps.map((row) => ({ label: row.question, value: row.left })))}
              {figures(
                w.stepsTitle,
                [w.question, w.reached, w.answered, w.left],
                report.steps.map((row) => [row.question, row.reached, row.answered, row.left]),
              )}
            </>,
          )}
          {section(
            'routes',
            w.routesTitle,
            <>
              {bars(report.routes.map((row) => ({ label: row.title, value: row.results })))}
              {figures(
                w.routesTitle,
                [w.route, w.results, w.requests, w.admitted],
                report.routes.map((row) => [row.title, row.results, row.requests, row.admitted]),
              )}
            </>,
          )}
        </div>
        {section(
          'sources',
          w.sourcesTitle,
          report.sources.length === 0 ? (
            <p class="empty">{w.noSources}</p>
          ) : (
            figures(
              w.sourcesTitle,
              [w.source, w.medium, w.campaign, w.referrer, w.opened, w.requests, w.scheduled, w.admitted],
              report.sources.map((row) => [
                row.source === '(other)'
                  ? w.otherSources
                  : row.source || (row.medium || row.campaign || row.referrer ? '–' : w.direct),
                row.medium,
                row.campaign,
                row.referrer,
                row.opened,
                row.requests,
                row.scheduled,
                row.admitted,
              ]),
            )
          ),
        )}
        <section class="insight" aria-labelledby="insight-speed">
          <h2 id="insight-speed">{w.speedTitle}</h2>
          <p>
            {speed.medianMinutes === null || speed.p90Minutes === null
              ? w.noneContacted(speed.requests)
              : w.speedSummary(wait(speed.medianMinutes), wait(speed.p90Minutes), speed.contacted, speed.requests)}
          </p>
        </section>
        <div class="pair">
          {section(
            'urgency',
            w.byUrgency,
            figures(
              w.byUrgency,
              [w.urgency, w.target, w.requests, w.contacted, w.withinTarget, w.median],
              speed.byUrgency.map((row) => [
                w.urgencies[row.key],
                wait(row.targetMinutes ?? null),
                row.requests,
                row.contacted,
                share(row.withinTarget, row.contacted),
                wait(row.medianMinutes),
              ]),
            ),
          )}
          {section(
            'weekdays',
            w.byWeekday,
            <>
              {bars(
                speed.byWeekday.map((row) => ({
                  label: w.weekdays[row.key] ?? '',
                  value: row.medianMinutes ?? 0,
                  text: wait(row.medianMinutes),
                })),
              )}
              {figures(
                w.byWeekday,
                speedColumns(w.weekday),
                speedRows(speed.byWeekday, (key) => w.weekdays[key] ?? ''),
              )}
            </>,
          )}
          {section(
            'hours',
            w.byHour,
            <>
              {bars(
                speed.byHour.map((row) => ({
                  label: hour(row.key),
                  value: row.medianMinutes ?? 0,
                  text: wait(row.medianMinutes),
                })),
              )}
              {figures(w.byHour, speedColumns(w.hour), speedRows(speed.byHour, hour))}
            </>,
          )}
          {section(
            'crisis',
            w.crisisTitle,
            figures(
              w.crisisTitle,
              [w.crisisTitle, w.count],
              [
                [w.crisisOpened, report.crisis.opened],
                ...report.crisis.links.map((row) => [w.tapped(w.links[row.link] ?? row.link), row.taps]),
              ],
            ),
          )}
        </div>
        <p class="help">{w.csvHelp}</p>
      </>
    );
  }
}
