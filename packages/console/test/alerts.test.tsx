import { cleanup, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';
import { announced, renderConsole, SLOW } from './support/renderConsole.js';

const staff = ACCOUNTS[1]?.email ?? '';
const spanishStaff = ACCOUNTS[2]?.email ?? '';

/** Tones started on the stand-in for the Web Audio API (jsdom has none). */
let tones: number[] = [];
let contexts = 0;

class FakeAudioContext {
  state: 'suspended' | 'running' | 'closed' = 'running';
  currentTime = 0;
  destination = {};
  constructor() {
    contexts += 1;
  }
  resume() {
    this.state = 'running';
    return Promise.resolve();
  }
  close() {
    this.state = 'closed';
    return Promise.resolve();
  }
  createOscillator() {
    let frequency = 0;
    return {
      type: 'sine',
      frequency: { setValueAtTime: (value: number) => (frequency = value) },
      connect: () => {},
      start: () => tones.push(frequency),
      stop: () => {},
    };
  }
  createGain() {
    return {
      gain: { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} },
      connect: () => {},
    };
  }
}

/** Notifications shown through the stand-in, with what they said. */
let shown: FakeNotification[] = [];
let asked = 0;

class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission() {
    asked += 1;
    return Promise.resolve(FakeNotification.permission);
  }
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions = {},
  ) {
    shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

beforeEach(() => {
  tones = [];
  contexts = 0;
  shown = [];
  asked = 0;
  FakeNotification.permission = 'granted';
  vi.stubGlobal('AudioContext', FakeAudioContext);
  vi.stubGlobal('Notification', FakeNotification);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The console open on the inbox, polled every 40 ms, with Maria already there (not news). */
async function openInbox(email: string, alerts: { sound?: boolean; desktop?: boolean }) {
  const server = createFakeServer({ signedInAs: email, alerts });
  server.addLead({ name: 'Maria' });
  const view = renderConsole({ server, pollMs: 40 });
  await screen.findByRole('link', { name: 'Maria' }, SLOW);
  return view;
}

describe('alerts for new leads', () => {
  it('play a short tone when sound is on, for an arrival and not for the leads already there', async () => {
    const { server } = await openInbox(staff, { sound: true });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(tones).toEqual([]);
    server.addLead({ name: 'Dev', urgency: 'urgent' });
    await waitFor(() => expect(announced()).toBe('1 new callback request'), SLOW);
    await waitFor(() => expect(tones.length).toBeGreaterThan(0), SLOW);
    expect(shown).toEqual([]);
  });

  it('show a desktop notification that names only the urgency, and open the lead on a click', async () => {
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => {});
    const { server } = await openInbox(staff, { desktop: true });
    const lead = server.addLead({
      name: 'Dev',
      urgency: 'urgent',
      route: 'withdrawal-first',
      phone: '(312) 555-0199',
      phoneE164: '+13125550199',
      answers: [{ stepId: 'substances', question: 'What do you use?', answer: ['Alcohol'] }],
    });
    await waitFor(() => expect(shown).toHaveLength(1), SLOW);
    const [notice] = shown;
    expect(notice?.title).toBe('New callback request (urgent)');
    // No health information: not the name, the number, the route or an answer, in any field.
    const said = JSON.stringify({ title: notice?.title, ...notice?.options });
    for (const secret of ['Dev', '555', '0199', 'Withdrawal', 'withdrawal', 'Alcohol']) {
      expect(said).not.toContain(secret);
    }
    expect(notice?.options.body).toBeUndefined();
    expect(tones).toEqual([]);

    notice?.onclick?.();
    expect(focus).toHaveBeenCalled();
    expect(location.hash).toBe(`#/leads/${lead.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Dev' }, SLOW)).toBeTruthy();
    expect(notice?.closed).toBe(true);
    expect(asked).toBe(0);
  });

  it('say it in Spanish to Spanish-speaking staff', async () => {
    const { server } = await openInbox(spanishStaff, { desktop: true, sound: true });
    server.addLead({ name: 'Lupe', urgency: 'emergency', route: 'crisis' });
    await waitFor(
      () => expect(shown.map((notice) => notice.title)).toEqual(['Nueva solicitud de llamada (emergencia)']),
      SLOW,
    );
    await waitFor(() => expect(tones.length).toBeGreaterThan(0), SLOW);
  });

  it('show nothing without permission, and never ask for it here', async () => {
    FakeNotification.permission = 'default';
    const { server } = await openInbox(staff, { desktop: true });
    server.addLead({ name: 'Dev' });
    await waitFor(() => expect(announced()).toBe('1 new callback request'), SLOW);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(shown).toEqual([]);
    expect(asked).toBe(0);
  });

  it('do nothing with both off, as they are by default', async () => {
    const { server } = await openInbox(staff, {});
    expect(server.session?.staff.alerts).toEqual({ sound: false, desktop: false });
    server.addLead({ name: 'Dev', urgency: 'emergency' });
    await waitFor(() => expect(announced()).toBe('1 new callback request'), SLOW);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tones).toEqual([]);
    expect(contexts).toBe(0);
    expect(shown).toEqual([]);
    expect(asked).toBe(0);
  });

  it('give many arrivals at once one notification, which opens the inbox', async () => {
    const { server } = await openInbox(staff, { desktop: true });
    for (const name of ['Dev', 'Ines', 'Lee', 'Ari']) server.addLead({ name });
    await waitFor(() => expect(shown.map((notice) => notice.title)).toEqual(['4 new callback requests']), SLOW);
    location.hash = '#/deliveries';
    shown[0]?.onclick?.();
    expect(location.hash).toBe('#/');
  });

  it('keep working on another page of the console', async () => {
    const server = createFakeServer({ signedInAs: staff, alerts: { desktop: true } });
    const first = server.addLead({ name: 'Maria' });
    renderConsole({ server, pollMs: 40, hash: `#/leads/${first.id}` });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.addLead({ name: 'Dev', urgency: 'high' });
    await waitFor(() => expect(shown.map((notice) => notice.title)).toEqual(['New callback request (high)']), SLOW);
  });
});
