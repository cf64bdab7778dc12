import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Inbox } from '../src/types.js';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';
import { announced, leadNames, renderConsole, SLOW } from './support/renderConsole.js';

afterEach(cleanup);

const staff = ACCOUNTS[1]?.email ?? '';
const MINUTE = 60_000;

function rowOf(name: string): HTMLElement {
  const row = screen.getByRole('link', { name }).closest('li');
  if (!row) throw new Error(`No row for ${name}`);
  return row;
}

/** What the row's wait chip says. */
function waitOf(name: string): string {
  return rowOf(name).querySelector('.lead-wait')?.textContent ?? '';
}

describe('the inbox', () => {
  it('lists leads in the order the server sends them: new first, emergencies on top', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({
      name: 'Casey',
      status: 'contacted',
      minutesAgo: 90,
      contactedAt: new Date(server.now - 80 * MINUTE).toISOString(),
    });
    server.addLead({ name: 'Maria', urgency: 'normal', minutesAgo: 4 });
    server.addLead({ name: 'Dev', urgency: 'emergency', minutesAgo: 2 });
    server.addLead({ name: 'Lee', urgency: 'normal', minutesAgo: 20 });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Casey' }, SLOW);
    expect(leadNames()).toEqual(['Dev', 'Lee', 'Maria', 'Casey']);
    expect(within(rowOf('Dev')).getByText('Emergency')).toBeTruthy();
    expect(screen.getByText('3 people are waiting for a first call.')).toBeTruthy();
  });

  it('shows a request the server cannot read with its keys as such, with no number to call, among the others', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', minutesAgo: 4 });
    server.addLead({ name: '', phone: '', phoneE164: '', urgency: 'urgent', minutesAgo: 6, unreadable: true });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    const row = rowOf('Cannot be read with the current keys');
    expect(within(row).getByText(/lacks the data key/)).toBeTruthy();
    expect(within(row).queryByRole('link', { name: /^Call/ })).toBeNull();
    expect(within(row).getByText('Urgent')).toBeTruthy();
    expect(within(rowOf('Maria')).getByRole('link', { name: 'Call (312) 555-0142' })).toBeTruthy();
  });

  it("opened, such a request says in the reader's language why it cannot be shown", async () => {
    const server = createFakeServer({ signedInAs: staff });
    const id = server.addLead({ name: '', phone: '', phoneE164: '', unreadable: true }).id;
    renderConsole({ server, hash: `#/leads/${id}` });
    expect(await screen.findByText(/lacks the data key this request was sealed with/, {}, SLOW)).toBeTruthy();
  });

  it('shows each wait against the 15-minute target in words, not colour alone', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', minutesAgo: 4 });
    server.addLead({ name: 'Ines', minutesAgo: 9 });
    server.addLead({ name: 'Lee', minutesAgo: 22 });
    server.addLead({
      name: 'Casey',
      status: 'contacted',
      minutesAgo: 90,
      contactedAt: new Date(server.now - 78 * MINUTE).toISOString(),
    });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Lee' }, SLOW);
    expect(waitOf('Lee')).toBe('22 min · over the 15-min target');
    expect(rowOf('Lee').querySelector('.lead-wait svg')?.getAttribute('aria-hidden')).toBe('true');
    expect(waitOf('Ines')).toBe('9 min · nearing the 15-min target');
    expect(waitOf('Maria')).toBe('4 min · within the 15-min target');
    expect(waitOf('Casey')).toBe('First contact after 12 min');
    // Two parts that each stay on one line: the chip may wrap between them, never inside "15-min".
    expect([...rowOf('Lee').querySelectorAll('.sla .part')].map((part) => part.textContent)).toEqual([
      '22 min ·',
      'over the 15-min target',
    ]);
  });

  it("measures each wait against its urgency's target: an emergency at 4 minutes of 5 is amber", async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Dev', urgency: 'emergency', route: 'crisis', minutesAgo: 4 });
    server.addLead({ name: 'Ari', urgency: 'emergency', route: 'crisis', minutesAgo: 2 });
    server.addLead({ name: 'Maria', urgency: 'normal', minutesAgo: 4 });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    expect(waitOf('Dev')).toBe('4 min · nearing the 5-min target');
    expect(rowOf('Dev').querySelector('.sla-amber')).toBeTruthy();
    expect(waitOf('Ari')).toBe('2 min · within the 5-min target');
    expect(waitOf('Maria')).toBe('4 min · within the 15-min target');
  });

  it('measures the wait against the target the server sent with the row', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', urgency: 'high', minutesAgo: 20 });
    // A center whose high-urgency target is 30 minutes: the row says so, whatever the session holds.
    const fetcher: typeof fetch = async (input, init) => {
      const response = await server.fetch(input, init);
      if (!String(input).startsWith('/admin/api/leads?') && String(input) !== '/admin/api/leads') return response;
      const inbox = (await response.json()) as Inbox;
      return Response.json({
        ...inbox,
        leads: inbox.leads.map((lead) => ({ ...lead, targetMinutes: 30, sla: 'amber' })),
      });
    };
    renderConsole({ server: { ...server, fetch: fetcher } });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    expect(waitOf('Maria')).toBe('20 min · nearing the 30-min target');
  });

  it('offers a one-tap call link to the number, and what the caller agreed to, in words', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({
      name: 'Maria',
      phone: '312-555-0199',
      phoneE164: '+13125550199',
      voicemailOk: true,
      textOk: false,
      bestTime: 'morning',
    });
    renderConsole({ server });
    const call = await screen.findByRole('link', { name: 'Call 312-555-0199' }, SLOW);
    expect(call.getAttribute('href')).toBe('tel:+13125550199');
    const row = rowOf('Maria');
    expect(row.textContent).toContain('Best timeMorning');
    expect(row.textContent).toContain('Voicemail OKYes');
    expect(row.textContent).toContain('Texts OKNo');
    // Staff read the route by its staff name, not the visitor's headline.
    expect(row.textContent).toContain('IOP may fit');
    expect(row.textContent).not.toContain('Our IOP may be a fit');
    expect(within(row).getByText('New')).toBeTruthy();
  });

  it('shows a Spanish-speaking visitor at a glance, and their language on every row', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Lupe', locale: 'es' });
    server.addLead({ name: 'Maria', locale: 'en' });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Lupe' }, SLOW);
    // Next to the urgency, as a badge: the first thing read after the name.
    expect(rowOf('Lupe').querySelector('.badges')?.textContent).toBe('Normal Status: New Spanish');
    expect(rowOf('Lupe').textContent).toContain('LanguageSpanish');
    expect(rowOf('Maria').querySelector('.badge.language')).toBeNull();
    expect(rowOf('Maria').textContent).toContain('LanguageEnglish');
  });

  it('says "Español" to Spanish-speaking staff', async () => {
    const server = createFakeServer({ signedInAs: ACCOUNTS[2]?.email ?? '' });
    server.addLead({ name: 'Lupe', locale: 'es' });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Lupe' }, SLOW);
    expect(rowOf('Lupe').querySelector('.badges')?.textContent).toBe('Normal Estado: Nuevo Español');
    expect(rowOf('Lupe').textContent).toContain('Asignada a: Nadie todavía');
  });

  it('shows who has each lead: you, a colleague, or no one yet', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', assignee: staff });
    server.addLead({ name: 'Dev', assignee: 'lucia@riverbend.example' });
    server.addLead({ name: 'Ines' });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Ines' }, SLOW);
    expect(rowOf('Maria').textContent).toContain('Assigned to: You');
    expect(rowOf('Dev').textContent).toContain('Assigned to: lucia@riverbend.example');
    expect(rowOf('Ines').textContent).toContain('Assigned to: No one yet');
  });

  it('says how many leads there are', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    server.addLead({ name: 'Dev' });
    renderConsole({ server });
    expect(await screen.findByText('2 leads', {}, SLOW)).toBeTruthy();
  });

  it('opens the lead from its row', async () => {
    const server = createFakeServer({ signedInAs: staff });
    const lead = server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server });
    await user.click(await screen.findByRole('link', { name: 'Maria' }, SLOW));
    expect(location.hash).toBe(`#/leads/${lead.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW)).toBeTruthy();
  });

  it('warns of failed deliveries with a link to review them', async () => {
    const server = createFakeServer({ signedInAs: staff });
    const lead = server.addLead({ name: 'Maria' });
    server.addDelivery(lead.id);
    server.addDelivery(lead.id, { kind: 'email', target: 'admissions@riverbend.example' });
    renderConsole({ server });
    const banner = await screen.findByRole('link', { name: '2 deliveries failed — review' }, SLOW);
    expect(banner.getAttribute('href')).toBe('#/deliveries');
  });

  it('shows every lead, closed ones too, on request', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    server.addLead({ name: 'Casey', status: 'admitted', statusChangedAt: new Date(server.now).toISOString() });
    const { user } = renderConsole({ server });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    expect(screen.queryByRole('link', { name: 'Casey' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Open' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'All' }));
    expect(await screen.findByRole('link', { name: 'Casey' }, SLOW)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'All' }).getAttribute('aria-pressed')).toBe('true');
    expect(location.hash).toBe('#/?view=all');
    expect(server.lastRequest('GET', '/admin/api/leads?')?.path).toBe('/admin/api/leads?view=all');
  });
});

describe('live updates', () => {
  it('picks up a new lead on the next poll, announces it, and counts new leads in the title', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    renderConsole({ server, pollMs: 40 });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    await waitFor(() => expect(document.title).toBe('(1) Admissions inbox'), SLOW);
    expect(announced()).toBe('');

    server.addLead({ name: 'Dev', urgency: 'urgent' });
    expect(await screen.findByRole('link', { name: 'Dev' }, SLOW)).toBeTruthy();
    await waitFor(() => expect(announced()).toBe('1 new callback request'), SLOW);
    await waitFor(() => expect(document.title).toBe('(2) Admissions inbox'), SLOW);
    expect(screen.getByRole('link', { name: 'Inbox 2 new' })).toBeTruthy();
  });

  it('polls at once when the tab becomes visible again', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    renderConsole({ server });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    server.addLead({ name: 'Dev' });
    server.addLead({ name: 'Ines' });
    fireEvent(document, new Event('visibilitychange'));
    expect(await screen.findByRole('link', { name: 'Dev' }, SLOW)).toBeTruthy();
    await waitFor(() => expect(announced()).toBe('2 new callback requests'), SLOW);
  });

  it("ages leads on the server's clock, even when this device's clock is wrong", async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', minutesAgo: 4 });
    // A device clock set years back; only the time that passes on it counts.
    let device = Date.parse('2019-01-01T00:00:00Z');
    renderConsole({ server, clock: () => device, tickMs: 30 });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    expect(waitOf('Maria')).toBe('4 min · within the 15-min target');

    device += 8 * MINUTE;
    await waitFor(() => expect(waitOf('Maria')).toBe('12 min · nearing the 15-min target'), SLOW);
    device += 5 * MINUTE;
    await waitFor(() => expect(waitOf('Maria')).toBe('17 min · over the 15-min target'), SLOW);
  });

  it('says when the list could not be refreshed, and keeps the last one', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    let offline = false;
    const fetcher: typeof fetch = (input, init) =>
      offline ? Promise.reject(new TypeError('Failed to fetch')) : server.fetch(input, init);
    renderConsole({ server: { ...server, fetch: fetcher }, pollMs: 40 });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    offline = true;
    expect(
      await screen.findByText(/^Not updated since .* Trying again\. The server did not answer/, {}, SLOW),
    ).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Maria' })).toBeTruthy();
  });
});
