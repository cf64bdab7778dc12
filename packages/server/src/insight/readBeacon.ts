import { CRISIS_ROUTE } from '@intake-chat/engine';
import { crisisLinks, type InsightEvent, insightEvents, isReferrerTag, isSourceTag } from '@intake-chat/engine/schema';
import { z } from 'zod';
import type { CenterConfig } from '../config/loadConfig.js';
import { wallClock } from '../time/wallClock.js';
import type { CountKey } from './createInsightStore.js';

const tag = (what: string, example: string) =>
  z
    .string({ error: `${what} must be text such as "${example}"` })
    .refine(isSourceTag, {
      error: `${what} must be at most 64 of a-z, 0-9, ".", "_", "+" and "-", with no e-mail address or phone number, such as "${example}"`,
    })
    .optional();

/**
 * One beacon's body. Strict: a key that is not listed here is refused, so nothing the visitor typed or
 * chose, and nothing that names them, can be counted (docs/insight.md, what is counted).
 */
export const beaconSchema = z.strictObject(
  {
    center: z.string({ error: 'center must be the center id, such as "riverbend"' }),
    event: z.enum(insightEvents, { error: `event must be one of ${insightEvents.join(', ')}` }),
    step: z.string({ error: 'step must be a step id of the flow' }).optional(),
    after: z.string({ error: 'after must be a step id of the flow' }).optional(),
    route: z.string({ error: 'route must be a route of the flow' }).optional(),
    link: z
      .enum(
        crisisLinks.map((link) => link.id),
        { error: `link must be one of ${crisisLinks.map((link) => link.id).join(', ')}` },
      )
      .optional(),
    source: z
      .strictObject(
        {
          source: tag('source.source', 'newsletter'),
          medium: tag('source.medium', 'email'),
          campaign: tag('source.campaign', 'spring-2026'),
          referrer: z
            .string({ error: 'source.referrer must be a host name such as "search.example"' })
            .refine(isReferrerTag, {
              error: 'source.referrer must be a lower-case host name alone, such as "search.example"',
            })
            .optional(),
        },
        { error: 'source must be { source, medium, campaign, referrer }, each optional' },
      )
      .optional(),
  },
  { error: 'Send one event as a JSON object, such as { "center": "riverbend", "event": "opened" }' },
);

export type Beacon = z.infer<typeof beaconSchema>;

/** Which of a beacon's parts each event must have; any part not listed for it is refused. */
const PARTS: Readonly<Record<InsightEvent, readonly ('step' | 'after' | 'route' | 'link' | 'source')[]>> = {
  shown: [],
  opened: ['source'],
  started: [],
  step: ['step', 'after'],
  result: ['route', 'after'],
  form: [],
  sent: ['source'],
  crisis: [],
  'crisis-link': ['link'],
};
const REQUIRED: Partial<Record<InsightEvent, 'step' | 'route' | 'link'>> = {
  step: 'step',
  result: 'route',
  'crisis-link': 'link',
};

export type BeaconReading =
  | { readonly ok: true; readonly center: CenterConfig; readonly keys: readonly CountKey[] }
  | { readonly ok: false; readonly status: 400 | 404; readonly message: string };

/**
 * The counts one beacon adds, on the day it arrived in the center's time zone (the browser's clock is
 * never asked), or what is wrong with it. `step` adds one to the step reached and, with `after`, one to
 * `answered` of the step answered to reach it; the difference between the two is where people leave.
 */
export function readBeacon(body: unknown, centers: ReadonlyMap<string, CenterConfig>, now: Date): BeaconReading {
  const parsed = beaconSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `${where}${issue.keys.map((key) => `"${key}"`).join(', ')} cannot be counted; an event carries only center, event, step, after, route, link and source`
        : `${where}${issue?.message ?? 'not an event'}`;
    return { ok: false, status: 400, message };
  }
  const beacon = parsed.data;
  const center = centers.get(beacon.center);
  if (center === undefined) return { ok: false, status: 404, message: `No center "${beacon.center}" is set up here.` };
  const allowed = PARTS[beacon.event];
  for (const part of ['step', 'after', 'route', 'link', 'source'] as const) {
    if (beacon[part] !== undefined && !allowed.includes(part)) {
      return { ok: false, status: 400, message: `${part}: a "${beacon.event}" event carries no ${part}` };
    }
  }
  const required = REQUIRED[beacon.event];
  if (required !== undefined && beacon[required] === undefined) {
    return { ok: false, status: 400, message: `${required}: a "${beacon.event}" event names its ${required}` };
  }
  const steps = new Set(center.flow.steps.map((step) => step.id));
  for (const part of ['step', 'after'] as const) {
    const id = beacon[part];
    if (id !== undefined && !steps.has(id)) {
      return { ok: false, status: 400, message: `${part}: "${id}" is not a step of flow ${center.flow.id}` };
    }
  }
  if (beacon.route !== undefined && beacon.route !== CRISIS_ROUTE && !(beacon.route in center.flow.routes)) {
    return { ok: false, status: 400, message: `route: "${beacon.route}" is not a route of flow ${center.flow.id}` };
  }

  const day = dayIn(center.timeZone, now);
  const source = beacon.source ?? {};
  const key = (event: string, detail = ''): CountKey => ({
    center: center.id,
    day,
    event,
    detail,
    source: source.source ?? '',
    medium: source.medium ?? '',
    campaign: source.campaign ?? '',
    referrer: source.referrer ?? '',
  });
  const detail = beacon.step ?? beacon.route ?? beacon.link ?? '';
  const keys = [key(beacon.event, detail)];
  if (beacon.after !== undefined) keys.push(key('answered', beacon.after));
  return { ok: true, center, keys };
}

/**
 * The date a wall clock in `timeZone` shows at `instant`, as YYYY-MM-DD. Asked for every beacon, so
 * the answer is kept for the rest of the minute: every zone's day starts on a whole minute.
 */
export function dayIn(timeZone: string, instant: Date): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  const known = days.get(timeZone);
  if (known?.minute === minute) return known.day;
  const { year, month, day } = wallClock(instant.getTime(), timeZone);
  const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  days.set(timeZone, { minute, day: text });
  return text;
}

const days = new Map<string, { minute: number; day: string }>();
