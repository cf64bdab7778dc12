import { insightSource, localize, urgencies } from '@intake-chat/engine';
import type { InsightReport, SpeedRow } from '../admin/consoleApi.js';
import { callbackTarget, routeTitle } from '../admin/leadViews.js';
import type { CenterConfig } from '../config/loadConfig.js';
import type { LeadOutcome } from '../leads/createLeadStore.js';
import { instantsOf, wallClock } from '../time/wallClock.js';
import type { CountRow } from './createInsightStore.js';

export { type InsightRange, insightRanges } from '../admin/consoleApi.js';

const DAY_MS = 86_400_000;

/**
 * The `days` whole days before today on the center's clock, and the instants they cover. Today is
 * left out on purpose: counts that moved while a visitor was in the chat could be matched with the
 * moments the host page's own analytics saw them open it, and so tell which way that visitor went
 * (docs/insight.md, "Complete days only").
 */
export function rangeOf(center: Pick<CenterConfig, 'timeZone'>, days: number, now: Date) {
  const { local } = wallClock(now.getTime(), center.timeZone);
  const todayLocal = Math.floor(local / DAY_MS) * DAY_MS;
  const firstLocal = todayLocal - days * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const instant = (ms: number) => new Date(instantsOf(ms, center.timeZone)[0] ?? ms);
  return { from: day(firstLocal), to: day(todayLocal - DAY_MS), start: instant(firstLocal), end: instant(todayLocal) };
}

/** The report of one range, from the day counts and the requests made in it. */
export function insightReport(
  center: CenterConfig,
  range: { days: number; from: string; to: string },
  counts: readonly CountRow[],
  outcomes: readonly LeadOutcome[],
  locale: string,
): InsightReport {
  const { flow } = center;
  // One pass over the rows: each event's total, and each event and detail's.
  const totals = new Map<string, number>();
  for (const row of counts) {
    for (const id of [row.event, `${row.event}\u0000${row.detail}`]) totals.set(id, (totals.get(id) ?? 0) + row.count);
  }
  const total = (event: string, detail?: string) =>
    totals.get(detail === undefined ? event : `${event}\u0000${detail}`) ?? 0;
  const reachedStatus = (outcome: LeadOutcome, status: string) => outcome.reached.includes(status);
  const scheduled = (outcome: LeadOutcome) => reachedStatus(outcome, 'scheduled') || reachedStatus(outcome, 'admitted');
  const admitted = (outcome: LeadOutcome) => reachedStatus(outcome, 'admitted');
  const contacted = outcomes.filter((outcome) => outcome.contactedAt !== null);

  const funnel = [
    { stage: 'shown' as const, count: total('shown') },
    { stage: 'opened' as const, count: total('opened') },
    { stage: 'started' as const, count: total('started') },
    { stage: 'result' as const, count: total('result') },
    { stage: 'requested' as const, count: outcomes.length },
    { stage: 'contacted' as const, count: contacted.length },
    { stage: 'scheduled' as const, count: outcomes.filter(scheduled).length },
    { stage: 'admitted' as const, count: outcomes.filter(admitted).length },
  ];

  const steps = flow.steps.map((step) => {
    const reached = total('step', step.id);
    const answered = total('answered', step.id);
    return {
      stepId: step.id,
      question: localize(step.prompt, locale, flow),
      reached,
      answered,
      left: Math.max(0, reached - answered),
    };
  });

  const routeIds = new Set([
    ...Object.keys(flow.routes),
    ...counts.filter((row) => row.event === 'result').map((row) => row.detail),
    ...outcomes.map((outcome) => outcome.route),
  ]);
  const routes = [...routeIds].map((route) => {
    const requests = outcomes.filter((outcome) => outcome.route === route);
    return {
      route,
      title: routeTitle(flow, route, locale),
      results: total('result', route),
      requests: requests.length,
      admitted: requests.filter(admitted).length,
    };
  });

  const sources = new Map<
    string,
    {
      source: string;
      medium: string;
      campaign: string;
      referrer: string;
      opened: number;
      requests: number;
      scheduled: number;
      admitted: number;
    }
  >();
  const sourceRow = (parts: { source?: string; medium?: string; campaign?: string; referrer?: string }) => {
    const key = {
      source: parts.source ?? '',
      medium: parts.medium ?? '',
      campaign: parts.campaign ?? '',
      referrer: parts.referrer ?? '',
    };
    const id = `${key.source}\u0000${key.medium}\u0000${key.campaign}\u0000${key.referrer}`;
    let row = sources.get(id);
    if (row === undefined) {
      row = { ...key, opened: 0, requests: 0, scheduled: 0, admitted: 0 };
      sources.set(id, row);
    }
    return row;
  };
  for (const row of counts) if (row.event === 'opened') sourceRow(row).opened += row.count;
  for (const outcome of outcomes) {
    const row = sourceRow(insightSource(outcome.utm ?? undefined, outcome.referrer ?? undefined));
    row.requests += 1;
    if (scheduled(outcome)) row.scheduled += 1;
    if (admitted(outcome)) row.admitted += 1;
  }

  const linkIds = [...new Set(counts.filter((row) => row.event === 'crisis-link').map((row) => row.detail))];

  return {
    days: range.days,
    from: range.from,
    to: range.to,
    funnel,
    steps,
    routes,
    sources: [...sources.values()].sort((a, b) => b.requests - a.requests || b.opened - a.opened),
    crisis: {
      opened: total('crisis'),
      links: linkIds.map((link) => ({ link, taps: total('crisis-link', link) })).sort((a, b) => b.taps - a.taps),
    },
    speed: speedToLead(center, outcomes),
  };
}

function speedToLead(center: CenterConfig, outcomes: readonly LeadOutcome[]): InsightReport['speed'] {
  const waits = (rows: readonly LeadOutcome[]) =>
    rows.flatMap((row) =>
      row.contactedAt === null ? [] : [(Date.parse(row.contactedAt) - Date.parse(row.createdAt)) / 60_000],
    );
  const row = <K>(key: K, rows: readonly LeadOutcome[], targetMinutes?: number): SpeedRow<K> => {
    const minutes = waits(rows);
    const withinTarget = rows.filter(
      (outcome) =>
        outcome.contactedAt !== null &&
        (Date.parse(outcome.contactedAt) - Date.parse(outcome.createdAt)) / 60_000 <=
          callbackTarget(center, outcome.urgency),
    ).length;
    return {
      key,
      requests: rows.length,
      contacted: minutes.length,
      withinTarget,
      medianMinutes: percentile(minutes, 0.5),
      ...(targetMinutes === undefined ? {} : { targetMinutes }),
    };
  };
  const clock = (outcome: LeadOutcome) => wallClock(Date.parse(outcome.createdAt), center.timeZone);
  const all = waits(outcomes);
  return {
    requests: outcomes.length,
    contacted: all.length,
    medianMinutes: percentile(all, 0.5),
    p90Minutes: percentile(all, 0.9),
    byUrgency: urgencies.map((urgency) =>
      row(
        urgency,
        outcomes.filter((outcome) => outcome.urgency === urgency),
        callbackTarget(center, urgency),
      ),
    ),
    byHour: Array.from({ length: 24 }, (_, hour) =>
      row(
        hour,
        outcomes.filter((outcome) => Math.floor(clock(outcome).minutes / 60) === hour),
      ),
    ),
    byWeekday: Array.from({ length: 7 }, (_, weekday) =>
      row(
        weekday,
        outcomes.filter((outcome) => clock(outcome).weekday === weekday),
      ),
    ),
  };
}

/** The nearest-rank percentile, rounded to a tenth of a minute; null for no values. */
export function percentile(values: readonly number[], share: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return Math.round((sorted[rank - 1] as number) * 10) / 10;
}
