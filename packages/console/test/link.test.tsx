import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccountsServer } from './support/fakeAccounts.js';
import { ACCOUNTS } from './support/fakeServer.js';
import { renderConsole, SLOW, signIn } from './support/renderConsole.js';

const staff = ACCOUNTS[1]?.email ?? '';
const newcomer = 'kim@riverbend.example';
const chosen = 'lantern orchard pebble';

/** The browser's languages, as `navigator.languages` gives them; English unless a test says otherwise. */
function browserLanguages(languages: readonly string[] | null) {
  if (languages === null) Reflect.deleteProperty(navigator, 'languages');
  else Object.defineProperty(navigator, 'languages', { value: languages, configurable: true });
}

afterEach(() => {
  cleanup();
  browserLanguages(null);
});

function openLink(token: string, server: ReturnType<typeof createAccountsServer>) {
  return renderConsole({ server, hash: `#/link/${token}` });
}

describe('a one-time link', () => {
  it('sets the password of an invitation and signs in, on the inbox', async () => {
    const server = createAccountsServer();
    const token = server.addInvited(newcomer);
    const { user } = openLink(token, server);
    const historyBefore = history.length;

    expect(await screen.findByRole('heading', { level: 1, name: 'Set your password' }, SLOW)).toBeTruthy();
    expect(screen.getByText(`Set a password for ${newcomer} at Riverbend Recovery.`)).toBeTruthy();
    expect(screen.getByText(/^This link works once, until /)).toBeTruthy();
    const next = screen.getByLabelText('New password');
    const again = screen.getByLabelText('New password again');
    expect(next.getAttribute('autocomplete')).toBe('new-password');

    // Too short, then two that differ: each said beside its field, which takes focus.
    await user.type(next, 'short');
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(document.activeElement).toBe(next);
    expect(next.getAttribute('aria-invalid')).toBe('true');
    expect(
      next
        .getAttribute('aria-describedby')
        ?.split(' ')
        .map((id) => document.getElementById(id)?.textContent),
    ).toContain('Use at least 12 characters.');
    await user.clear(next);
    await user.type(next, chosen);
    await user.type(again, `${chosen}!`);
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(document.activeElement).toBe(again);
    expect(screen.getByText('The two new passwords are not the same.')).toBeTruthy();
    expect(server.lastRequest('POST', '/admin/api/links/use')).toBeUndefined();

    await user.clear(again);
    await user.type(again, chosen);
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));

    // Signed in: the console opens on the inbox, its heading focused, under the new account.
    const inbox = await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW);
    await waitFor(() => expect(document.activeElement).toBe(inbox), SLOW);
    expect(location.hash).toBe('#/');
    // The used link's address was replaced, not left behind it in the history.
    expect(history.length).toBe(historyBefore);
    expect(screen.getByRole('link', { name: new RegExp(`^My settings.*${newcomer}`) })).toBeTruthy();
    // The token travels in request bodies, never in a URL that a log could keep.
    expect(server.lastRequest('POST', '/admin/api/links/use')?.body).toEqual({ token, password: chosen });
    expect(server.requests.some((request) => request.path.includes(token))).toBe(false);
    expect(server.passwordOf(newcomer)).toBe(chosen);
    expect(server.links.get(token)?.used).toBe(true);
    expect(server.session?.staff.email).toBe(newcomer);
  });

  it('chooses a new password after a reset, and the new one signs in next time', async () => {
    const server = createAccountsServer();
    const token = server.addLink(staff, { purpose: 'reset' });
    const { user } = openLink(token, server);
    expect(await screen.findByRole('heading', { level: 1, name: 'Choose a new password' }, SLOW)).toBeTruthy();
    await user.type(screen.getByLabelText('New password'), chosen);
    await user.type(screen.getByLabelText('New password again'), chosen);
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW);

    // Signed out, and back in with the new password.
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await signIn(user, staff, chosen);
    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW)).toBeTruthy();
  });

  it('says an expired link cannot be used, what to do, and offers sign-in instead of a form', async () => {
    const server = createAccountsServer();
    const token = server.addLink(staff, { expired: true });
    const { user } = openLink(token, server);
    expect(await screen.findByRole('heading', { level: 1, name: 'This link cannot be used' }, SLOW)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'This link has expired; links work for 24 hours. Ask an admin of your center for a new link.',
    );
    expect(screen.queryByLabelText('New password')).toBeNull();

    await user.click(screen.getByRole('link', { name: 'Go to sign-in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' }, SLOW)).toBeTruthy();
    expect(location.hash).toBe('#/');
  });

  it('says a used link works only once', async () => {
    const server = createAccountsServer();
    const token = server.addLink(staff, { used: true });
    openLink(token, server);
    expect(await screen.findByRole('heading', { level: 1, name: 'This link cannot be used' }, SLOW)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'This link has already been used; it works only once. Ask an admin of your center for a new link.',
    );
  });

  it('says so when the link was replaced or used while the form was open, and moves focus to it', async () => {
    const server = createAccountsServer();
    const token = server.addInvited(newcomer);
    const { user } = openLink(token, server);
    await user.type(await screen.findByLabelText('New password', {}, SLOW), chosen);
    await user.type(screen.getByLabelText('New password again'), chosen);
    // An admin sent a newer link meanwhile.
    server.addLink(newcomer);
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));

    const heading = await screen.findByRole('heading', { level: 1, name: 'This link cannot be used' }, SLOW);
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('alert').textContent).toContain('it may have been replaced by a newer one');
    expect(server.session).toBeNull();
  });

  it('speaks the language the admin chose for the account, whatever the browser’s, into a Spanish console', async () => {
    browserLanguages(['en-US', 'en']);
    const server = createAccountsServer();
    const token = server.addInvited(newcomer, 'staff', 'es');
    const { user } = openLink(token, server);

    expect(await screen.findByRole('heading', { level: 1, name: 'Elija su contraseña' }, SLOW)).toBeTruthy();
    expect(document.documentElement.lang).toBe('es');
    expect(screen.getByText(`Elija una contraseña para ${newcomer} en Riverbend Recovery.`)).toBeTruthy();
    await user.type(screen.getByLabelText('Contraseña nueva'), 'corta');
    await user.click(screen.getByRole('button', { name: 'Guardar la contraseña e iniciar sesión' }));
    expect(screen.getByText('Use al menos 12 caracteres.')).toBeTruthy();

    await user.clear(screen.getByLabelText('Contraseña nueva'));
    await user.type(screen.getByLabelText('Contraseña nueva'), chosen);
    await user.type(screen.getByLabelText('Contraseña nueva otra vez'), chosen);
    await user.click(screen.getByRole('button', { name: 'Guardar la contraseña e iniciar sesión' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Bandeja' }, SLOW)).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Principal' });
    expect(within(nav).getByRole('link', { name: /^Mi configuración/ })).toBeTruthy();
  });

  it('says in Spanish that a link cannot be used', async () => {
    browserLanguages(['es-MX']);
    const server = createAccountsServer();
    const token = server.addLink(staff, { expired: true });
    openLink(token, server);
    expect(await screen.findByRole('heading', { level: 1, name: 'Este enlace no se puede usar' }, SLOW)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Ir a iniciar sesión' }).getAttribute('href')).toBe('#/');
  });
});
