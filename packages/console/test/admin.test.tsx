import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';
import { renderConsole, SLOW } from './support/renderConsole.js';

afterEach(cleanup);

const admin = ACCOUNTS[0]?.email ?? '';
const staff = ACCOUNTS[1]?.email ?? '';

describe('admin pages', () => {
  it('are not in the navigation for staff, and say so if opened by address', async () => {
    const server = createFakeServer({ signedInAs: staff });
    renderConsole({ server, hash: '#/audit' });
    expect(await screen.findByText('Only admins can see this page.', {}, SLOW)).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Audit log' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Export' })).toBeNull();
    expect(within(nav).getByRole('link', { name: 'Failed deliveries' })).toBeTruthy();
    expect(server.lastRequest('GET', '/admin/api/audit')).toBeUndefined();
  });

  it('are in the navigation for admins', async () => {
    renderConsole({ server: createFakeServer({ signedInAs: admin }) });
    const nav = await screen.findByRole('navigation', { name: 'Main' }, SLOW);
    expect(within(nav).getByRole('link', { name: 'Audit log' }).getAttribute('href')).toBe('#/audit');
    expect(within(nav).getByRole('link', { name: 'Export' }).getAttribute('href')).toBe('#/export');
  });
});

describe('the audit log', () => {
  it('shows the newest entries, then older ones a page at a time', async () => {
    const server = createFakeServer({ signedInAs: admin });
    server.addAuditEntries(130);
    const { user } = renderConsole({ server, hash: '#/audit' });
    const table = await screen.findByRole('table', {}, SLOW);
    const rows = () => within(table).getAllByRole('row').length - 1;
    expect(rows()).toBe(100);
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['When', 'Who', 'Action', 'Lead', 'Detail']);
    expect(within(table).getAllByText('Viewed the inbox').length).toBe(100);

    await user.click(screen.getByRole('button', { name: 'Older entries' }));
    await waitFor(() => expect(rows()).toBe(130), SLOW);
    const before = server.lastRequest('GET', '/admin/api/audit?before=');
    expect(before?.path).toBe(`/admin/api/audit?before=${server.audit[99]?.id}`);
    expect(screen.queryByRole('button', { name: 'Older entries' })).toBeNull();
    // Focus goes to the first of the older entries, not back to the top of the page.
    expect(document.activeElement?.getAttribute('data-id')).toBe(server.audit[100]?.id);
  });
});

describe('the export', () => {
  it('downloads the CSV from the chosen day', async () => {
    renderConsole({ server: createFakeServer({ signedInAs: admin }), hash: '#/export' });
    const since = await screen.findByLabelText('Leads created since', {}, SLOW);
    // 30 days before the server's today, in the center's zone.
    await waitFor(() => expect((since as HTMLInputElement).value).toBe('2026-02-01'), SLOW);
    fireEvent.input(since, { target: { value: '2026-01-15' } });
    const link = await screen.findByRole('link', { name: 'Download CSV' }, SLOW);
    await waitFor(() => expect(link.getAttribute('href')).toBe('/admin/api/export.csv?since=2026-01-15'));
    // The same leads for another program.
    fireEvent.click(screen.getByLabelText('JSON'));
    const json = await screen.findByRole('link', { name: 'Download JSON' }, SLOW);
    expect(json.getAttribute('href')).toBe('/admin/api/export.json?since=2026-01-15');
  });
});

describe('failed deliveries', () => {
  it('lists each with its lead, target, attempts and error, and retries one', async () => {
    const server = createFakeServer({ signedInAs: staff });
    const lead = server.addLead({ name: 'Maria' });
    const other = server.addLead({ name: 'Dev' });
    const first = server.addDelivery(lead.id);
    server.addDelivery(other.id, {
      kind: 'email',
      target: 'admissions@riverbend.example',
      attempts: 3,
      lastError: 'SMTP 550 mailbox unavailable',
    });
    const { user } = renderConsole({ server });
    await user.click(await screen.findByRole('link', { name: '2 deliveries failed — review' }, SLOW));
    expect(await screen.findByRole('heading', { level: 1, name: 'Failed deliveries' }, SLOW)).toBeTruthy();

    const list = await screen.findByRole('list', { name: 'Failed deliveries' }, SLOW);
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const webhook = items.find((item) => item.textContent?.includes('Webhook'));
    if (!webhook) throw new Error('No webhook delivery shown');
    expect(webhook.textContent).toContain('https://crm.riverbend.example/hooks/intake');
    expect(webhook.textContent).toContain('Not sent: gave up after 8 attempts.');
    expect(webhook.textContent).toContain('HTTP 503 Service Unavailable');
    expect(within(webhook).getByRole('link', { name: 'Open the lead' }).getAttribute('href')).toBe(
      `#/leads/${lead.id}`,
    );

    await user.click(within(webhook).getByRole('button', { name: 'Retry now' }));
    expect(await within(webhook).findByText('Queued to send again', {}, SLOW)).toBeTruthy();
    const request = server.lastRequest('POST', `/admin/api/deliveries/${first.id}/replay`);
    expect(request?.headers.get('X-CSRF-Token')).toBe(server.session?.csrf);
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    // The inbox is polled again, so the count in the navigation drops.
    await waitFor(() => expect(screen.getByRole('link', { name: 'Failed deliveries 1' })).toBeTruthy(), SLOW);
  });

  it('says when there are none', async () => {
    renderConsole({ server: createFakeServer({ signedInAs: staff }), hash: '#/deliveries' });
    expect(await screen.findByText('No failed deliveries.', {}, SLOW)).toBeTruthy();
  });
});

describe('addresses', () => {
  it('shows a page-not-found view for an unknown route', async () => {
    renderConsole({ server: createFakeServer({ signedInAs: staff }), hash: '#/nowhere' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' }, SLOW)).toBeTruthy();
  });
});
