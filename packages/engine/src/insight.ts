// Conversion insight without tracking (docs/insight.md): what the widget may count, and the only forms a
// campaign tag or referring site may take in a count. Shared by the frame, which sends the counts, and
// the lead server, which refuses anything else. No event names a visitor, and none carries free text.
import { crisisResources } from './crisis/crisisResources.js';

/**
 * The events counted per center and day. `shown` comes from the launcher, every other from the frame;
 * `step` names the question reached and the one answered to reach it (`after`), `result` the route,
 * `crisis-link` which crisis line was tapped. Only `opened` and `sent` carry the visit's source.
 */
export const insightEvents = [
  'shown',
  'opened',
  'started',
  'step',
  'result',
  'form',
  'sent',
  'crisis',
  'crisis-link',
] as const;
export type InsightEvent = (typeof insightEvents)[number];

/** Where the visit came from, each part in the form `sourceTag` and `referrerTag` give. */
export interface InsightSource {
  readonly source?: string;
  readonly medium?: string;
  readonly campaign?: string;
  readonly referrer?: string;
}

/** One beacon: the center, the event, and at most the step, route, crisis line or source it concerns. */
export interface InsightBeacon {
  readonly center: string;
  readonly event: InsightEvent;
  readonly step?: string;
  readonly after?: string;
  readonly route?: string;
  readonly link?: string;
  readonly source?: InsightSource;
}

/** Each crisis line the chat offers, by how it is reached: `988` (a call), `988-text`, `988-web`, `911`... */
export const crisisLinks: readonly { readonly id: string; readonly href: string }[] = crisisResources.flatMap(
  (resource) => [
    { id: resource.id, href: resource.tel },
    ...(resource.sms ? [{ id: `${resource.id}-text`, href: resource.sms }] : []),
    ...(resource.web ? [{ id: `${resource.id}-web`, href: resource.web }] : []),
  ],
);

/** Which crisis line a link reaches, by its href; undefined for any other link. */
export function crisisLinkOf(href: string): string | undefined {
  const normalized = href.replace(/\/$/, '');
  return crisisLinks.find((link) => link.href === normalized)?.id;
}

const TAG = /^[a-z0-9][a-z0-9._+-]{0,63}$/;

/**
 * A campaign tag as counts keep it: lower case, spaces as hyphens, at most 64 of `a-z 0-9 . _ + -`.
 * A value that looks like an e-mail address (an "@" of any width, "(at)", "[at]") or holds a phone
 * number (ten or eleven digits once every separator is gone; a date's eight are fine) is dropped
 * whole, as is one with nothing left: undefined. Someone may have put a person into a link.
 */
export function sourceTag(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.normalize('NFKC').toLowerCase();
  if (/[@＠]|[([]\s*at\s*[)\]]/.test(lower)) return undefined;
  if (/(?:^|\D)1?\d{10}(?:\D|$)/.test(lower.replace(/[^a-z0-9]/g, ''))) return undefined;
  const tag = lower
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9._+-]/g, '')
    .replace(/^[._+-]+/, '')
    .slice(0, 64);
  return TAG.test(tag) ? tag : undefined;
}

const HOST = /^(?=.{4,253}$)[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)+$/;

/**
 * The referring site as counts keep it: its host name alone, lower case, without "www."; undefined
 * for anything that is not a host name, and for the host page's own site (`ownHost`), since moving
 * between a center's pages is not a source.
 */
export function referrerTag(value: unknown, ownHost = ''): string | undefined {
  if (typeof value !== 'string') return undefined;
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^www\./, '');
  if (!HOST.test(host)) return undefined;
  return host === ownHost.toLowerCase().replace(/^www\./, '') ? undefined : host;
}

/** Whether a value is already in the form counts keep (the server refuses anything else). */
export const isSourceTag = (value: unknown): boolean => typeof value === 'string' && sourceTag(value) === value;
export const isReferrerTag = (value: unknown): boolean => typeof value === 'string' && referrerTag(value) === value;

/** The source of a visit from its campaign tags and referring host, with only the parts that pass. */
export function insightSource(utm: Readonly<Record<string, string>> | undefined, referrer?: string): InsightSource {
  const parts = {
    source: sourceTag(utm?.source),
    medium: sourceTag(utm?.medium),
    campaign: sourceTag(utm?.campaign),
    referrer: referrerTag(referrer),
  };
  return Object.fromEntries(Object.entries(parts).filter(([, part]) => part !== undefined));
}
