import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';
import { announced, renderConsole, SLOW } from './support/renderConsole.js';

afterEach(cleanup);

const staff = ACCOUNTS[1]?.email ?? '';
const colleague = ACCOUNTS[2]?.email ?? '';

function openLead(overrides: Parameters<ReturnType<typeof createFakeServer>['addLead']>[0] = {}) {
  const server = createFakeServer({ signedInAs: staff });
  const lead = server.addLead({ name: 'Maria', ...overrides });
  return { lead, ...renderConsole({ server, hash: `#/leads/${lead.id}` }) };
}

const panel = () => screen.getByRole('region', { name: 'Who calls back' });
const header = () => document.querySelector('.meta-assignee')?.textContent;

describe('assigning a lead', () => {
  it('takes it with "Assign to me", with the CSRF token, and says so', async () => {
    const { user, server, lead } = openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    expect(header()).toBe('Assigned to: No one yet');
    expect(within(panel()).queryByRole('button', { name: 'Give back' })).toBeNull();
    const before = server.requests.length;

    await user.click(within(panel()).getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(announced()).toBe('Assigned to you'), SLOW);
    const request = server.lastRequest('POST', `/admin/api/leads/${lead.id}/assign`);
    expect(request?.body).toEqual({ to: staff });
    expect(request?.headers.get('X-CSRF-Token')).toBe(server.session?.csrf);
    expect(header()).toBe('Assigned to: You');
    expect(within(panel()).queryByRole('button', { name: 'Assign to me' })).toBeNull();
    expect(within(panel()).getByRole('button', { name: 'Give back' })).toBeTruthy();
    // The pressed button is gone; the section's heading keeps the place.
    expect(document.activeElement).toBe(within(panel()).getByRole('heading', { name: 'Who calls back' }));
    // The inbox is polled again at once, so the list shows it too.
    await waitFor(() =>
      expect(
        server.requests.slice(before).some((sent) => sent.method === 'GET' && sent.path === '/admin/api/leads'),
      ).toBe(true),
    );
    expect(server.lead(lead.id)?.assignee).toBe(staff);
  });

  it('gives it to a colleague from the team', async () => {
    const { user, server, lead } = openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    const choose = within(panel()).getByLabelText('Colleague') as HTMLSelectElement;
    await waitFor(() => expect(within(choose).getByRole('option', { name: colleague })).toBeTruthy(), SLOW);
    // Oneself is "Assign to me", not one of the colleagues.
    expect(within(choose).queryByRole('option', { name: staff })).toBeNull();
    await user.selectOptions(choose, colleague);
    await user.click(within(panel()).getByRole('button', { name: 'Assign' }));

    await waitFor(() => expect(announced()).toBe(`Assigned to ${colleague}`), SLOW);
    expect(server.lastRequest('POST', `/admin/api/leads/${lead.id}/assign`)?.body).toEqual({ to: colleague });
    expect(header()).toBe(`Assigned to: ${colleague}`);
    expect(panel().textContent).toContain(`Assigned to: ${colleague}`);
    expect(choose.value).toBe('');
  });

  it('gives it back to no one', async () => {
    const { user, server, lead } = openLead({ assignee: staff });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    expect(header()).toBe('Assigned to: You');
    await user.click(within(panel()).getByRole('button', { name: 'Give back' }));
    await waitFor(() => expect(announced()).toBe('Given back: no one has this lead now'), SLOW);
    expect(server.lastRequest('POST', `/admin/api/leads/${lead.id}/assign`)?.body).toEqual({ to: null });
    expect(header()).toBe('Assigned to: No one yet');
    expect(within(panel()).getByRole('button', { name: 'Assign to me' })).toBeTruthy();
  });

  it('asks for a colleague before assigning to one', async () => {
    const { user, server } = openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    await user.click(within(panel()).getByRole('button', { name: 'Assign' }));
    expect((await screen.findByRole('alert', {}, SLOW)).textContent).toBe('Choose a colleague first.');
    expect(server.lastRequest('POST', '/admin/api/leads/')).toBeUndefined();
  });

  it("shows the server's sentence when the colleague is no longer on the team", async () => {
    const { user, server } = openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    const choose = within(panel()).getByLabelText('Colleague') as HTMLSelectElement;
    await waitFor(() => expect(within(choose).getByRole('option', { name: colleague })).toBeTruthy(), SLOW);
    await user.selectOptions(choose, colleague);
    server.removeAccount(colleague);
    await user.click(within(panel()).getByRole('button', { name: 'Assign' }));
    const alert = await screen.findByRole('alert', {}, SLOW);
    expect(alert.textContent).toBe(`${colleague} is not an account of this center. Choose someone on the team.`);
    expect(document.activeElement).toBe(alert);
    expect(header()).toBe('Assigned to: No one yet');
  });

  it('shows the new assignee in the inbox', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server });
    await user.click(await screen.findByRole('link', { name: 'Maria' }, SLOW));
    await user.click(
      await within(await screen.findByRole('region', { name: 'Who calls back' }, SLOW)).findByRole('button', {
        name: 'Assign to me',
      }),
    );
    await waitFor(() => expect(announced()).toBe('Assigned to you'), SLOW);
    await user.click(screen.getByRole('link', { name: 'Back to the inbox' }));
    const row = (await screen.findByRole('link', { name: 'Maria' }, SLOW)).closest('li');
    await waitFor(() => expect(row?.textContent).toContain('Assigned to: You'), SLOW);
  });

  it('speaks Spanish to Spanish-speaking staff', async () => {
    const server = createFakeServer({ signedInAs: colleague });
    const lead = server.addLead({ name: 'Lupe', locale: 'es' });
    const { user } = renderConsole({ server, hash: `#/leads/${lead.id}` });
    await screen.findByRole('heading', { level: 1, name: 'Lupe' }, SLOW);
    const section = screen.getByRole('region', { name: 'Quién devuelve la llamada' });
    expect(section.textContent).toContain('Asignada a: Nadie todavía');
    await user.click(within(section).getByRole('button', { name: 'Asignármela' }));
    await waitFor(() => expect(announced()).toBe('Asignada a usted'), SLOW);
    expect(within(section).getByRole('button', { name: 'Dejar sin asignar' })).toBeTruthy();
  });
});
