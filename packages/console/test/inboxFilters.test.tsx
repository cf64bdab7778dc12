import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';
import { announced, leadNames, renderConsole, SLOW } from './support/renderConsole.js';

afterEach(cleanup);

const staff = ACCOUNTS[1]?.email ?? '';
const colleague = ACCOUNTS[2]?.email ?? '';
const MINUTE = 60_000;
/** Rendering a page of 500 leads takes jsdom a while on a busy machine. */
const PAGE = { timeout: 20_000 };

/**
 * The path of the last filtered inbox request the console sent. (Under a filter, the plain open inbox
 * is polled alongside, for new arrivals.)
 */
function lastInboxRequest(server: ReturnType<typeof createFakeServer>): string | undefined {
  return server.lastRequest('GET', '/admin/api/leads?')?.path;
}

/** The body of the last search: its words travel there, never in a URL. */
function lastSearch(server: ReturnType<typeof createFakeServer>): unknown {
  return server.lastRequest('POST', '/admin/api/leads/search')?.body;
}

/** Every inbox request since `from`, as paths. */
function inboxRequests(server: ReturnType<typeof createFakeServer>, from = 0): string[] {
  return server.requests
    .slice(from)
    .filter((request) => request.method === 'GET' && /^\/admin\/api\/leads(\?|$)/.test(request.path))
    .map((request) => request.path);
}

const select = (label: string) => screen.getByLabelText(label) as HTMLSelectElement;

describe('the inbox filters', () => {
  it('write each choice to the address and the request, and clear them all', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Lupe', locale: 'es' });
    server.addLead({ name: 'Maria', locale: 'en' });
    server.addLead({ name: 'Dev', locale: 'es', urgency: 'emergency', route: 'crisis', assignee: colleague });
    const { user } = renderConsole({ server });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);

    await user.selectOptions(select('Language'), 'Spanish');
    await waitFor(() => expect(location.hash).toBe('#/?locale=es'));
    await waitFor(() => expect(leadNames()).toEqual(['Dev', 'Lupe']), SLOW);
    expect(inboxRequests(server)).toContain('/admin/api/leads?locale=es');

    await user.selectOptions(select('Assigned to'), 'No one');
    await waitFor(() => expect(leadNames()).toEqual(['Lupe']), SLOW);
    expect(location.hash).toBe('#/?locale=es&assignee=none');
    expect(lastInboxRequest(server)).toBe('/admin/api/leads?locale=es&assignee=none');

    await user.selectOptions(select('Status'), 'New');
    await waitFor(() => expect(location.hash).toBe('#/?status=new&locale=es&assignee=none'));
    await user.selectOptions(select('Urgency'), 'Normal');
    await user.selectOptions(select('Route'), 'IOP may fit');
    fireEvent.change(screen.getByLabelText('Created from'), { target: { value: '2026-03-01' } });
    fireEvent.change(screen.getByLabelText('Created until'), { target: { value: '2026-03-03' } });
    const full = 'status=new&urgency=normal&route=iop-fit&locale=es&assignee=none&from=2026-03-01&to=2026-03-03';
    await waitFor(() => expect(location.hash).toBe(`#/?${full}`));
    await waitFor(() => expect(lastInboxRequest(server)).toBe(`/admin/api/leads?${full}`), SLOW);
    await waitFor(() => expect(leadNames()).toEqual(['Lupe']), SLOW);
    expect(screen.getByText('More filters (7 on)')).toBeTruthy();

    const cleared = server.requests.length;
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(location.hash).toBe('#/'));
    await waitFor(() => expect(leadNames()).toEqual(['Dev', 'Lupe', 'Maria']), SLOW);
    expect(new Set(inboxRequests(server, cleared))).toEqual(new Set(['/admin/api/leads']));
    expect(select('Language').value).toBe('');
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
    // The button is gone with the filters; focus waits in the search box, not lost at the top.
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'First name or phone number' }));
  });

  it('open a bookmarked view with its filters set', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Lupe', locale: 'es', urgency: 'urgent', minutesAgo: 60 });
    server.addLead({ name: 'Dev', locale: 'es', urgency: 'normal' });
    // Three days before the server's today (Mar 3 in Chicago): outside the bookmarked days.
    server.addLead({ name: 'Rosa', locale: 'es', urgency: 'urgent', minutesAgo: 3 * 24 * 60 });
    renderConsole({ server, hash: '#/?urgency=urgent&locale=es&from=2026-03-02&to=2026-03-03' });
    await screen.findByRole('link', { name: 'Lupe' }, SLOW);
    expect(leadNames()).toEqual(['Lupe']);
    expect(lastInboxRequest(server)).toBe('/admin/api/leads?urgency=urgent&locale=es&from=2026-03-02&to=2026-03-03');
    expect(select('Urgency').value).toBe('urgent');
    expect(select('Language').value).toBe('es');
    expect((screen.getByLabelText('Created from') as HTMLInputElement).value).toBe('2026-03-02');
    expect((screen.getByLabelText('Created until') as HTMLInputElement).value).toBe('2026-03-03');
    expect(screen.getByText('1 lead')).toBeTruthy();
    // A page load is not news: nothing is said until the person changes something.
    expect(announced()).toBe('');
  });

  it('follow back and forward', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Lupe', locale: 'es' });
    server.addLead({ name: 'Maria', locale: 'en' });
    const { user } = renderConsole({ server });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    await user.selectOptions(select('Language'), 'Spanish');
    await waitFor(() => expect(leadNames()).toEqual(['Lupe']), SLOW);

    history.back();
    await waitFor(() => expect(location.hash).toBe('#/'), SLOW);
    await waitFor(() => expect(leadNames()).toEqual(['Lupe', 'Maria']), SLOW);
    expect(select('Language').value).toBe('');
    history.forward();
    await waitFor(() => expect(leadNames()).toEqual(['Lupe']), SLOW);
    expect(select('Language').value).toBe('es');
  });

  it('switch between open leads, mine and all; a status replaces the view', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', assignee: staff });
    server.addLead({ name: 'Dev', assignee: colleague });
    server.addLead({
      name: 'Casey',
      status: 'admitted',
      assignee: staff,
      statusChangedAt: new Date(server.now - MINUTE).toISOString(),
    });
    const { user } = renderConsole({ server });
    await screen.findByRole('link', { name: 'Dev' }, SLOW);
    const show = screen.getByRole('group', { name: 'Show' });
    const pressed = () =>
      within(show)
        .getAllByRole('button')
        .filter((button) => button.getAttribute('aria-pressed') === 'true')
        .map((button) => button.textContent);
    expect(pressed()).toEqual(['Open']);

    await user.click(within(show).getByRole('button', { name: 'Mine' }));
    await waitFor(() => expect(leadNames()).toEqual(['Maria']), SLOW);
    expect(location.hash).toBe('#/?view=mine');
    expect(lastInboxRequest(server)).toBe('/admin/api/leads?view=mine');
    expect(pressed()).toEqual(['Mine']);

    await user.click(within(show).getByRole('button', { name: 'All' }));
    await waitFor(() => expect(leadNames()).toEqual(['Maria', 'Dev', 'Casey']), SLOW);

    await user.selectOptions(select('Status'), 'Admitted');
    await waitFor(() => expect(leadNames()).toEqual(['Casey']), SLOW);
    expect(location.hash).toBe('#/?status=admitted');
    expect(pressed()).toEqual([]);
    await user.click(within(show).getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(location.hash).toBe('#/'));
    expect(select('Status').value).toBe('');
  });

  it('offer colleagues from the team, and "Me" and "No one"', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Dev', assignee: colleague });
    server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server });
    await screen.findByRole('link', { name: 'Dev' }, SLOW);
    await waitFor(() => expect(within(select('Assigned to')).getByRole('option', { name: colleague })).toBeTruthy());
    expect(
      within(select('Assigned to'))
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Anyone', 'Me', 'No one', 'ana@riverbend.example', colleague]);
    await user.selectOptions(select('Assigned to'), colleague);
    await waitFor(() => expect(leadNames()).toEqual(['Dev']), SLOW);
    expect(location.hash).toBe(`#/?assignee=${encodeURIComponent(colleague)}`);
  });

  it("show the server's sentence for a view it cannot show, and a way out", async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server, hash: '#/?status=lost' });
    const alert = await screen.findByRole('alert', {}, SLOW);
    expect(alert.textContent).toContain('status is one of new, contacted, scheduled');
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('link', { name: 'Maria' }, SLOW)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('the search', () => {
  it('finds a first name whatever its case and accents, and says how many match', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'María' });
    server.addLead({ name: 'Mariana' });
    server.addLead({ name: 'Dev' });
    const { user } = renderConsole({ server });
    await screen.findByRole('link', { name: 'Dev' }, SLOW);
    expect(screen.getByText('3 leads')).toBeTruthy();

    const box = screen.getByRole('searchbox', { name: 'First name or phone number' });
    await user.type(box, 'maria');
    // Not on every key: only when sent.
    expect(location.hash).toBe('#/');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(leadNames()).toEqual(['María']), SLOW);
    // Names and phone numbers stay out of the address bar, its history and every URL asked for.
    expect(location.hash).toBe('#/');
    expect(lastSearch(server)).toEqual({ q: 'maria' });
    expect(server.requests.some((request) => request.path.includes('maria'))).toBe(false);
    expect(screen.getByText('1 lead')).toBeTruthy();
    await waitFor(() => expect(announced()).toBe('1 lead'), SLOW);
  });

  it('finds a phone number in any common format', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', phone: '(312) 555-0199', phoneE164: '+13125550199' });
    server.addLead({ name: 'Dev', phone: '(312) 555-0142', phoneE164: '+13125550142' });
    const { user } = renderConsole({ server });
    await screen.findByRole('link', { name: 'Dev' }, SLOW);
    await user.type(screen.getByRole('searchbox', { name: 'First name or phone number' }), '+1 312.555.0199');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(leadNames()).toEqual(['Maria']), SLOW);
    expect(lastSearch(server)).toEqual({ q: '+1 312.555.0199' });
  });

  it('says when nothing matches, once, and not again on every poll', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server, pollMs: 30 });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    await user.type(screen.getByRole('searchbox', { name: 'First name or phone number' }), 'Nadia{Enter}');
    expect(await screen.findByText('No leads match these filters.', {}, SLOW)).toBeTruthy();
    await waitFor(() => expect(announced()).toBe('0 leads'), SLOW);
    const said = screen.getByTestId('announcer').firstChild;
    const before = server.requests.length;
    await waitFor(() => expect(inboxRequests(server, before).length).toBeGreaterThanOrEqual(6), SLOW);
    // The same words in the same node: the live region was not spoken again.
    expect(screen.getByTestId('announcer').firstChild).toBe(said);
  });
});

describe('pages', () => {
  it('show 500 leads at a time, say which, and link to the others', async () => {
    const server = createFakeServer({ signedInAs: staff });
    for (let index = 0; index < 1234; index += 1) server.addLead({ name: `Lead ${index}`, minutesAgo: index });
    const { user } = renderConsole({ server, hash: '#/?page=2' });
    expect(await screen.findByText('Showing 501–1,000 of 1,234', {}, PAGE)).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 2 }).length).toBeGreaterThanOrEqual(500);
    expect(lastInboxRequest(server)).toBe('/admin/api/leads?page=2');
    const pages = screen.getByRole('navigation', { name: 'Pages of leads' });
    expect(within(pages).getByRole('link', { name: 'Previous' }).getAttribute('href')).toBe('#/');
    expect(within(pages).getByRole('link', { name: 'Next' }).getAttribute('href')).toBe('#/?page=3');

    await user.click(within(pages).getByRole('link', { name: 'Next' }));
    expect(await screen.findByText('Showing 1,001–1,234 of 1,234', {}, PAGE)).toBeTruthy();
    const after = screen.getByRole('navigation', { name: 'Pages of leads' });
    expect(within(after).queryByRole('link', { name: 'Next' })).toBeNull();
    expect(within(after).getByRole('link', { name: 'Previous' }).getAttribute('href')).toBe('#/?page=2');
    // The new page starts at its top, and says where it is.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Showing 1,001–1,234 of 1,234'), SLOW);
    await waitFor(() => expect(announced()).toBe('Showing 1,001–1,234 of 1,234'), SLOW);
  }, 60_000);

  it('start again at the first page when a filter changes', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Lupe', locale: 'es' });
    const { user } = renderConsole({ server, hash: '#/?page=2' });
    expect(await screen.findByText('1 lead', {}, SLOW)).toBeTruthy();
    await user.selectOptions(select('Language'), 'Spanish');
    await waitFor(() => expect(location.hash).toBe('#/?locale=es'));
    await waitFor(() => expect(leadNames()).toEqual(['Lupe']), SLOW);
  });
});

describe('alerts under a filter', () => {
  it('still announce and count a new lead the filter does not show', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', assignee: staff });
    renderConsole({ server, hash: '#/?view=mine', pollMs: 40 });
    await screen.findByRole('link', { name: 'Maria' }, SLOW);
    await waitFor(() => expect(document.title).toBe('(1) Admissions inbox'), SLOW);
    server.addLead({ name: 'Dev', urgency: 'urgent' });
    await waitFor(() => expect(announced()).toBe('1 new callback request'), SLOW);
    await waitFor(() => expect(document.title).toBe('(2) Admissions inbox'), SLOW);
    expect(leadNames()).toEqual(['Maria']);
    expect(screen.getByText('2 people are waiting for a first call.')).toBeTruthy();
  });

  it('do not take a change of filters for new leads', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Lupe', locale: 'es' });
    server.addLead({ name: 'Maria', locale: 'en' });
    const { user } = renderConsole({ server, hash: '#/?locale=es' });
    await screen.findByRole('link', { name: 'Lupe' }, SLOW);
    await user.selectOptions(select('Language'), 'Any language');
    await waitFor(() => expect(leadNames()).toEqual(['Lupe', 'Maria']), SLOW);
    await waitFor(() => expect(announced()).toBe('2 leads'), SLOW);
  });
});
