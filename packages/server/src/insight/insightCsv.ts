import type { InsightReport, InsightTable, SpeedRow } from '../admin/consoleApi.js';

export { type InsightTable, insightTables } from '../admin/consoleApi.js';

import { csvRow } from '../leads/exportLeads.js';

/** A count of people below this is written "fewer than 5" outside the console (docs/insight.md, small numbers). */
export const SMALL = 5;

/**
 * A count as it may leave the console: 1 to 4 as "fewer than 5", and any other rounded to the nearest
 * five, so that no exact small number can be had by subtracting one printed figure from another (the
 * people who left a question from those who reached and answered it, a route from the total).
 */
export function shared(count: number): string {
  if (count === 0) return '0';
  return count < SMALL ? `fewer than ${SMALL}` : String(Math.max(SMALL, Math.round(count / SMALL) * SMALL));
}

/** The sources with five or more opens or requests, and the rest summed as one unnamed row. */
function namedSources(sources: InsightReport['sources']): InsightReport['sources'] {
  const named = sources.filter((row) => Math.max(row.opened, row.requests) >= SMALL);
  const rest = sources.filter((row) => Math.max(row.opened, row.requests) < SMALL);
  if (rest.length === 0) return named;
  const sum = (part: 'opened' | 'requests' | 'scheduled' | 'admitted') =>
    rest.reduce((total, row) => total + row[part], 0);
  const others = { source: 'other sources', medium: '', campaign: '', referrer: '' };
  return [
    ...named,
    {
      ...others,
      opened: sum('opened'),
      requests: sum('requests'),
      scheduled: sum('scheduled'),
      admitted: sum('admitted'),
    },
  ];
}

/** A figure worked out from `people` people: blank when they are fewer than five. */
const from = (people: number, value: number | null) => (people < SMALL || value === null ? '' : String(value));

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** One table of the report as CSV: a header line, then a line per row, small counts suppressed. */
export function insightCsv(report: InsightReport, table: InsightTable): string {
  const lines: (string | number)[][] = [];
  const speed = (label: string, row: SpeedRow<unknown>) => [
    label,
    ...(row.targetMinutes === undefined ? [] : [row.targetMinutes]),
    shared(row.requests),
    shared(row.contacted),
    shared(row.withinTarget),
    from(row.contacted, row.medianMinutes),
  ];
  const speedHeader = ['requests', 'contacted', 'contacted within target', 'median minutes to contact'];
  switch (table) {
    case 'funnel':
      lines.push(['stage', 'count']);
      for (const { stage, count } of report.funnel) lines.push([stage, shared(count)]);
      break;
    case 'steps':
      lines.push(['step', 'question', 'reached', 'answered', 'left here']);
      for (const step of report.steps) {
        lines.push([step.stepId, step.question, shared(step.reached), shared(step.answered), shared(step.left)]);
      }
      break;
    case 'routes':
      lines.push(['route', 'title', 'results shown', 'requests', 'admitted']);
      for (const route of report.routes) {
        lines.push([route.route, route.title, shared(route.results), shared(route.requests), shared(route.admitted)]);
      }
      break;
    case 'sources':
      lines.push([
        'source',
        'medium',
        'campaign',
        'referring site',
        'chats opened',
        'requests',
        'scheduled',
        'admitted',
      ]);
      // A source with only small numbers is not named: its tags could be someone's (a link made for one person).
      for (const row of namedSources(report.sources)) {
        lines.push([
          row.source,
          row.medium,
          row.campaign,
          row.referrer,
          shared(row.opened),
          shared(row.requests),
          shared(row.scheduled),
          shared(row.admitted),
        ]);
      }
      break;
    case 'crisis':
      lines.push(['crisis help', 'count']);
      lines.push(['crisis screen opened', shared(report.crisis.opened)]);
      for (const { link, taps } of report.crisis.links) lines.push([`tapped ${link}`, shared(taps)]);
      break;
    case 'urgency':
      lines.push(['urgency', 'target minutes', ...speedHeader]);
      for (const row of report.speed.byUrgency) lines.push(speed(row.key, row));
      break;
    case 'hours':
      lines.push(['hour of request', ...speedHeader]);
      for (const row of report.speed.byHour) lines.push(speed(`${String(row.key).padStart(2, '0')}:00`, row));
      break;
    case 'weekdays':
      lines.push(['weekday of request', ...speedHeader]);
      for (const row of report.speed.byWeekday) lines.push(speed(WEEKDAYS[row.key] ?? String(row.key), row));
      break;
  }
  return lines.map((cells) => csvRow(cells.map(String))).join('');
}
