import { describe, expect, it } from 'vitest';
import { duration } from '../src/formatters.js';
import type { LeadRow } from '../src/types.js';
import { serverClock, slaFor, targetFor, waitingTime } from '../src/waitingTime.js';
import { CENTER } from './support/fakeServer.js';

const MINUTE = 60_000;
const serverNow = Date.parse('2026-03-03T21:00:00Z');

function row(overrides: Partial<LeadRow>): LeadRow {
  return {
    id: 'lead-1',
    createdAt: new Date(serverNow - 5 * MINUTE).toISOString(),
    status: 'new',
    statusChangedAt: null,
    urgency: 'normal',
    route: 'iop-fit',
    routeTitle: 'Our IOP may be a fit',
    name: 'Maria',
    phone: '(312) 555-0142',
    phoneE164: '+13125550142',
    bestTime: 'anytime',
    voicemailOk: true,
    textOk: true,
    forWhom: 'self',
    minutesWaiting: 5,
    sla: 'green',
    targetMinutes: 15,
    contactedAt: null,
    locale: 'en',
    assignee: null,
    ...overrides,
  };
}

describe('the callback target', () => {
  it('is green under half the target, amber up to it, red past it', () => {
    expect([0, 7, 7.5, 8, 15, 16].map((minutes) => slaFor(minutes, 15))).toEqual([
      'green',
      'green',
      'amber',
      'amber',
      'amber',
      'red',
    ]);
  });

  it("is the one of the lead's urgency, or the center's one target from a server that sends no others", () => {
    expect(targetFor(CENTER, 'emergency')).toBe(5);
    expect(targetFor(CENTER, 'normal')).toBe(15);
    expect(slaFor(4, targetFor(CENTER, 'emergency'))).toBe('amber');
    const { callbackTargets, ...older } = CENTER;
    expect(callbackTargets).toBeDefined();
    expect(targetFor(older as typeof CENTER, 'emergency')).toBe(15);
  });

  it('keeps ageing a new lead between polls, on the server clock', () => {
    const fetchedAt = 1_000;
    const later = serverClock('2026-03-03T21:00:00Z', fetchedAt, fetchedAt + 11 * MINUTE);
    expect(waitingTime(row({}), later, 15)).toEqual({ minutes: 16, sla: 'red' });
  });

  it("never shows a better badge than the server's", () => {
    expect(waitingTime(row({ sla: 'amber', minutesWaiting: 8 }), serverNow, 15).sla).toBe('amber');
  });

  it('stops the clock at the first contact', () => {
    expect(
      waitingTime(row({ status: 'contacted', minutesWaiting: 12, sla: null }), serverNow + 60 * MINUTE, 15),
    ).toEqual({
      minutes: 12,
      sla: null,
    });
  });

  it('ignores a device clock that runs backwards', () => {
    expect(serverClock('2026-03-03T21:00:00Z', 5_000, 1_000)).toBe(serverNow);
  });
});

describe('durations', () => {
  it('are short: minutes, then hours, then days', () => {
    expect([0, 12, 60, 65, 24 * 60, 24 * 60 + 190].map(duration)).toEqual([
      '0 min',
      '12 min',
      '1 h',
      '1 h 5 min',
      '1 d',
      '1 d 3 h',
    ]);
  });
});
