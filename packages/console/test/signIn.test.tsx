import { cleanup, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';
import { renderConsole, SLOW, signIn } from './support/renderConsole.js';

afterEach(cleanup);

const [admin, staff, spanish] = ACCOUNTS as [(typeof ACCOUNTS)[0], (typeof ACCOUNTS)[0], (typeof ACCOUNTS)[0]];

describe('signing in', () => {
  it('asks for e-mail and password in labelled fields that password managers recognise', async () => {
    renderConsole();
    const email = await screen.findByLabelText('E-mail', {}, SLOW);
    expect(email.getAttribute('autocomplete')).toBe('username');
    expect(email.getAttribute('type')).toBe('email');
    expect(screen.getByLabelText('Password').getAttribute('autocomplete')).toBe('current-password');
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
  });

  it('opens the inbox after signing in, with the heading focused', async () => {
    const server = createFakeServer();
    server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server });
    await signIn(user, admin.email, admin.password);
    const heading = await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW);
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(await screen.findByRole('link', { name: 'Maria' }, SLOW)).toBeTruthy();
    expect(screen.getByRole('link', { name: `My settings ${admin.email}` })).toBeTruthy();
  });

  it('says how many tries are left after a wrong password, announced and focused', async () => {
    const { user } = renderConsole();
    await signIn(user, staff.email, 'wrong password');
    const alert = await screen.findByRole('alert', {}, SLOW);
    expect(alert.textContent).toBe('That e-mail and password do not match. 4 tries left before the account locks.');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(screen.getByLabelText('E-mail').getAttribute('aria-describedby')).toBe(alert.id);
  });

  it('shows the lockout as the server words it, once the tries are used up', async () => {
    const server = createFakeServer({ lockAfter: 2 });
    const { user } = renderConsole({ server });
    await signIn(user, staff.email, 'wrong once');
    await screen.findByText(/1 try left/, {}, SLOW);
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'wrong twice');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByText('Too many failed sign-ins. This account is locked until 3:15 PM.', {}, SLOW);
    expect(alert.getAttribute('role')).toBe('alert');
    await waitFor(() => expect(document.activeElement).toBe(alert));
  });

  it('shows the rate limit as the server words it', async () => {
    const { user } = renderConsole({ server: createFakeServer({ rateLimited: true }) });
    await signIn(user, staff.email, staff.password);
    expect((await screen.findByRole('alert', {}, SLOW)).textContent).toBe(
      'Too many sign-ins from this network. Try again in 10 minutes.',
    );
  });

  it('marks the field the server says is missing', async () => {
    const { user } = renderConsole();
    await user.type(await screen.findByLabelText('E-mail', {}, SLOW), staff.email);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert', {}, SLOW)).textContent).toBe('Enter your password.');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('E-mail').getAttribute('aria-invalid')).toBeNull();
  });

  it('speaks Spanish to Spanish-speaking staff, and sets the page language', async () => {
    const server = createFakeServer();
    server.addLead({ name: 'Rosa' });
    const { user } = renderConsole({ server });
    await signIn(user, spanish.email, spanish.password);
    expect(await screen.findByRole('heading', { level: 1, name: 'Bandeja' }, SLOW)).toBeTruthy();
    expect(document.documentElement.lang).toBe('es');
    expect(await screen.findByText('Nuevo', {}, SLOW)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cerrar sesión' })).toBeTruthy();
  });
});

describe('the session', () => {
  it('brings sign-in back when the session ends mid-task, then returns to the same lead', async () => {
    const server = createFakeServer({ signedInAs: staff.email });
    const lead = server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server, hash: `#/leads/${lead.id}` });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);

    server.endSession();
    await user.click(screen.getByRole('button', { name: 'Mark as Contacted' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' }, SLOW)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(
      'Your session ended. Sign in again to go back to where you were.',
    );
    // Nothing of the lead stays on screen behind the form.
    expect(screen.queryByText('Maria')).toBeNull();
    expect(location.hash).toBe(`#/leads/${lead.id}`);

    await signIn(user, staff.email, staff.password);
    expect(await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW)).toBeTruthy();
  });

  it('signs out on the server, with the CSRF token, and shows the form again', async () => {
    const server = createFakeServer({ signedInAs: staff.email });
    const { user } = renderConsole({ server });
    const csrf = server.session?.csrf;
    await user.click(await screen.findByRole('button', { name: 'Sign out' }, SLOW));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' }, SLOW)).toBeTruthy();
    expect(screen.getByText('You are signed out.')).toBeTruthy();
    expect(server.session).toBeNull();
    expect(server.lastRequest('POST', '/admin/api/logout')?.headers.get('X-CSRF-Token')).toBe(csrf);
  });
});
