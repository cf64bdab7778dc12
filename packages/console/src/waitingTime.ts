import type { LeadRow, Session, Sla, Urgency } from './types.js';

const MINUTE = 60_000;
const SEVERITY: readonly Sla[] = ['green', 'amber', 'red'];

export interface Waiting {
  readonly minutes: number;
  /** Null once the lead is no longer new. */
  readonly sla: Sla | null;
}

/**
 * How long a lead has waited, on the server's clock: `serverNow` is the inbox's `now` plus the time
 * elapsed on this device since it was fetched, so a device clock that is hours off does not change
 * what staff see. Between polls a new lead keeps ageing; its badge only ever gets worse than the
 * server's, since the server drew it a moment ago with the same rule (API.md, LeadRow.sla).
 */
export function waitingTime(lead: LeadRow, serverNow: number, targetMinutes: number): Waiting {
  if (lead.status !== 'new') return { minutes: lead.minutesWaiting, sla: null };
  const created = Date.parse(lead.createdAt);
  const local = Number.isNaN(created) ? 0 : Math.floor((serverNow - created) / MINUTE);
  const minutes = Math.max(lead.minutesWaiting, local);
  return { minutes, sla: worse(lead.sla, slaFor(minutes, targetMinutes)) };
}

/**
 * The center's callback target for a lead of this urgency, in minutes. A session from a server that
 * sends no per-urgency targets falls back to its one target.
 */
export function targetFor(center: Session['center'], urgency: Urgency): number {
  return center.callbackTargets?.[urgency] ?? center.callbackTargetMinutes;
}

/**
 * The callback target a lead is measured against: the one the server sent with it (`targetMinutes`,
 * its urgency's), or the center's for that urgency from a server that sends none.
 */
export function targetOf(lead: LeadRow, center: Session['center']): number {
  return typeof lead.targetMinutes === 'number' ? lead.targetMinutes : targetFor(center, lead.urgency);
}

/** Green under half the target, amber up to it, red past it (API.md, LeadRow.sla). */
export function slaFor(minutes: number, targetMinutes: number): Sla {
  if (minutes > targetMinutes) return 'red';
  return minutes < targetMinutes / 2 ? 'green' : 'amber';
}

/** The server's clock now, from its last `now` and this device's time elapsed since. */
export function serverClock(serverNow: string, fetchedAt: number, deviceNow: number): number {
  const at = Date.parse(serverNow);
  return (Number.isNaN(at) ? fetchedAt : at) + Math.max(0, deviceNow - fetchedAt);
}

function worse(a: Sla | null, b: Sla): Sla {
  return a && SEVERITY.indexOf(a) > SEVERITY.indexOf(b) ? a : b;
}
