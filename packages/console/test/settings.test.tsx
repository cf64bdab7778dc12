import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccountsServer } from './support/fakeAccounts.js';
import { ACCOUNTS } from './support/fakeServer.js';
import { announced, renderConsole, SLOW } from './support/renderConsole.js';

const staff = ACCOUNTS[1];
const email = staff?.email ?? '';
const password = staff?.password ?? '';

/** The browser's answer to the permission request, and how often it was asked. */
let answer: NotificationPermission = 'granted';
let asked = 0;

/** The stand-in for the Notification API: only what the settings page reads and asks. */
const FakeNotification = {
  permission: 'default' as NotificationPermission,
  requestPermission() {
    asked += 1;
    FakeNotification.permission = answer;
    return Promise.resolve(answer);
  },
};

beforeEach(() => {
  answer = 'granted';
  asked = 0;
  FakeNotification.permission = 'default';
  vi.stubGlobal('Notification', FakeNotification);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openSettings(server = createAccountsServer({ signedInAs: email })) {
  const view = renderConsole({ server, hash: '#/settings' });
  await screen.findByRole('heading', { level: 1, name: 'My settings' }, SLOW);
  return { ...view, server };
}

const passwordPanel = () => screen.getByRole('region', { name: 'Change your password' });
/** The words an input is described by (its help and its error), as a screen reader reads them after the label. */
function description(input: HTMLElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('my settings', () => {
  it('is in the navigation for everyone, and names whose settings they are', async () => {
    await openSettings();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(
      within(nav)
        .getByRole('link', { name: /^My settings/ })
        .getAttribute('aria-current'),
    ).toBe('page');
    expect(screen.getByText(`The settings of your own account, ${email}. They change no one else's.`)).toBeTruthy();
  });

  it('changes your own password: says why a short one will not do, then that it is done', async () => {
    const { user, server } = await openSettings();
    const panel = passwordPanel();
    const current = within(panel).getByLabelText('Current password');
    const next = within(panel).getByLabelText('New password');
    const again = within(panel).getByLabelText('New password again');
    expect(current.getAttribute('autocomplete')).toBe('current-password');
    expect(next.getAttribute('autocomplete')).toBe('new-password');

    await user.type(current, password);
    await user.type(next, 'too short');
    await user.type(again, 'too short');
    await user.click(within(panel).getByRole('button', { name: 'Change password' }));
    expect(document.activeElement).toBe(next);
    expect(next.getAttribute('aria-invalid')).toBe('true');
    expect(description(next)).toContain('Use at least 12 characters.');
    expect(server.lastRequest('POST', '/admin/api/me/password')).toBeUndefined();

    // A wrong current password: the server's words, beside that field.
    await user.clear(current);
    await user.type(current, 'not my password');
    await user.clear(next);
    await user.type(next, 'lantern orchard pebble');
    await user.clear(again);
    await user.type(again, 'lantern orchard pebble');
    await user.click(within(panel).getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(document.activeElement).toBe(current), SLOW);
    expect(description(current)).toBe(
      'Your current password is not the one you typed. Nothing was changed; try again.',
    );
    expect(next.getAttribute('aria-invalid')).toBeNull();
    expect(server.passwordOf(email)).toBe(password);

    await user.clear(current);
    await user.type(current, password);
    await user.click(within(panel).getByRole('button', { name: 'Change password' }));
    const done = 'Password changed. You stay signed in here; your other sessions were signed out.';
    expect(await within(panel).findByText(done, {}, SLOW)).toBeTruthy();
    await waitFor(() => expect(announced()).toBe(done));
    expect(server.lastRequest('POST', '/admin/api/me/password')?.body).toEqual({
      current: password,
      password: 'lantern orchard pebble',
    });
    expect(server.passwordOf(email)).toBe('lantern orchard pebble');
    // The fields are empty again, and nothing is marked wrong.
    for (const field of [current, next, again]) {
      expect((field as HTMLInputElement).value).toBe('');
      expect(field.getAttribute('aria-invalid')).toBeNull();
    }
  });

  it('says when the two new passwords differ', async () => {
    const { user, server } = await openSettings();
    const panel = passwordPanel();
    await user.type(within(panel).getByLabelText('Current password'), password);
    await user.type(within(panel).getByLabelText('New password'), 'lantern orchard pebble');
    await user.type(within(panel).getByLabelText('New password again'), 'lantern orchard pebbel');
    await user.click(within(panel).getByRole('button', { name: 'Change password' }));
    const again = within(panel).getByLabelText('New password again');
    expect(document.activeElement).toBe(again);
    expect(description(again)).toBe('The two new passwords are not the same.');
    expect(server.lastRequest('POST', '/admin/api/me/password')).toBeUndefined();
  });

  it('switches the whole console to Spanish as soon as the language is saved', async () => {
    const { user, server } = await openSettings();
    expect(document.documentElement.lang).toBe('en');
    await user.click(screen.getByRole('radio', { name: 'Español' }));
    await user.click(screen.getByRole('button', { name: 'Save language' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Mi configuración' }, SLOW)).toBeTruthy();
    await waitFor(() => expect(announced()).toBe('Idioma guardado.'));
    expect(document.documentElement.lang).toBe('es');
    const nav = screen.getByRole('navigation', { name: 'Principal' });
    expect(within(nav).getByRole('link', { name: 'Bandeja' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Guardar idioma' })).toBeTruthy();
    expect(server.lastRequest('POST', '/admin/api/me')?.body).toEqual({ locale: 'es' });
    expect(server.accounts.get(email)?.locale).toBe('es');
  });

  it('has both alerts off by default, and saves each as it is ticked', async () => {
    const { user, server } = await openSettings();
    const sound = screen.getByRole('checkbox', { name: 'Play a sound for each new callback request' });
    const desktop = screen.getByRole('checkbox', { name: 'Show a desktop notification' });
    expect((sound as HTMLInputElement).checked).toBe(false);
    expect((desktop as HTMLInputElement).checked).toBe(false);

    await user.click(sound);
    await waitFor(() => expect(announced()).toBe('Alerts saved: sound on, desktop notifications off.'), SLOW);
    expect(server.lastRequest('POST', '/admin/api/me')?.body).toEqual({ alerts: { sound: true, desktop: false } });
    expect(server.accounts.get(email)?.alerts).toEqual({ sound: true, desktop: false });
    // The browser is asked only for the desktop notification, and only when it is ticked.
    expect(asked).toBe(0);

    await user.click(desktop);
    await waitFor(() => expect(announced()).toBe('Alerts saved: sound on, desktop notifications on.'), SLOW);
    expect(asked).toBe(1);
    expect((desktop as HTMLInputElement).checked).toBe(true);
    expect(server.accounts.get(email)?.alerts).toEqual({ sound: true, desktop: true });

    // Saved on the account: a new page load shows them as they were left.
    cleanup();
    await openSettings(server);
    expect((screen.getByRole('checkbox', { name: /^Play a sound/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: /^Show a desktop/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('loses no tick made while the one before is still being saved', async () => {
    const server = createAccountsServer({ signedInAs: email });
    // The server answers each save only after 50 ms, as on a slow phone connection.
    const answer = server.fetch;
    server.fetch = async (input, init) => {
      if (String(input).endsWith('/admin/api/me')) await new Promise((resolve) => setTimeout(resolve, 50));
      return answer(input, init);
    };
    const { user } = await openSettings(server);
    FakeNotification.permission = 'granted';
    const sound = screen.getByRole('checkbox', { name: 'Play a sound for each new callback request' });
    const desktop = screen.getByRole('checkbox', { name: 'Show a desktop notification' });
    // Two ticks in a row, the second before the first save has answered.
    await user.click(sound);
    await user.click(desktop);
    await waitFor(() => expect(server.accounts.get(email)?.alerts).toEqual({ sound: true, desktop: true }), SLOW);
    await waitFor(() => expect(announced()).toBe('Alerts saved: sound on, desktop notifications on.'), SLOW);
    expect((sound as HTMLInputElement).checked).toBe(true);
    expect((desktop as HTMLInputElement).checked).toBe(true);
    // And changing one's mind at once ends where the person left it.
    await user.click(sound);
    await user.click(sound);
    await user.click(desktop);
    await waitFor(() => expect(announced()).toBe('Alerts saved: sound on, desktop notifications off.'), SLOW);
    expect(server.accounts.get(email)?.alerts).toEqual({ sound: true, desktop: false });
  });

  it('keeps the desktop notification off when the browser does not allow it, and says how to allow it', async () => {
    answer = 'denied';
    const { user, server } = await openSettings();
    const desktop = screen.getByRole('checkbox', { name: 'Show a desktop notification' });
    await user.click(desktop);
    const alert = await screen.findByRole('alert', {}, SLOW);
    expect(alert.textContent).toContain('The browser did not allow notifications, so they stay off.');
    expect((desktop as HTMLInputElement).checked).toBe(false);
    expect(description(desktop)).toContain('The browser did not allow notifications');
    expect(server.lastRequest('POST', '/admin/api/me')).toBeUndefined();
    expect(server.accounts.get(email)?.alerts).toEqual({ sound: false, desktop: false });
  });
});
