import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccountsServer } from './support/fakeAccounts.js';
import { ACCOUNTS } from './support/fakeServer.js';
import { announced, renderConsole, SLOW, signIn } from './support/renderConsole.js';

afterEach(cleanup);

const admin = ACCOUNTS[0]?.email ?? '';
const staff = ACCOUNTS[1]?.email ?? '';
const colleague = ACCOUNTS[2]?.email ?? '';
const newcomer = 'kim@riverbend.example';

/** The team page, open for `email` (an admin by default). */
async function openTeam(email = admin, setup: (server: ReturnType<typeof createAccountsServer>) => void = () => {}) {
  const server = createAccountsServer({ signedInAs: email });
  setup(server);
  const view = renderConsole({ server, hash: '#/team' });
  await screen.findByRole('table', { name: 'Accounts' }, SLOW);
  return { ...view, server };
}

/** An account's row in the table, found by its address. */
function row(email: string): HTMLElement {
  const header = screen.getAllByRole('rowheader').find((cell) => cell.textContent?.startsWith(email));
  const found = header?.closest('tr');
  if (!found) throw new Error(`No row for ${email}`);
  return found;
}

const rowHeader = (email: string) => within(row(email)).getByRole('rowheader');
const handover = () => screen.queryByRole('region', { name: /^(One-time link|Password) for / });

describe('the team page', () => {
  it('invites a colleague by a one-time link, shown once with Copy, and gone after leaving the page', async () => {
    const { user, server } = await openTeam();
    expect(screen.getByRole('heading', { level: 1, name: 'Team' })).toBeTruthy();
    await user.type(screen.getByLabelText('Their e-mail address'), newcomer);
    // A link is the default, and the new account is staff in the admin's language.
    expect((screen.getByRole('radio', { name: 'A one-time link (recommended)' }) as HTMLInputElement).checked).toBe(
      true,
    );
    expect((screen.getByRole('radio', { name: 'Staff' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Invite' }));

    const title = await screen.findByRole('heading', { name: `One-time link for ${newcomer}` }, SLOW);
    expect(document.activeElement).toBe(title);
    expect(server.lastRequest('POST', '/admin/api/team')?.body).toEqual({
      email: newcomer,
      role: 'staff',
      locale: 'en',
      handover: 'link',
    });
    const [token] = [...server.links.keys()];
    const field = screen.getByLabelText('One-time link') as HTMLInputElement;
    // The whole address, after this page's own origin, to send as it is.
    expect(field.value).toBe(`${location.origin}/admin#/link/${token}`);
    expect(field.readOnly).toBe(true);
    expect(handover()?.textContent).toContain('Shown this once.');
    await waitFor(() => expect(announced()).toBe(`Account made for ${newcomer}. Hand over the sign-in shown below.`));

    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(field.value);
    expect(within(handover() as HTMLElement).getByText('Copied.')).toBeTruthy();

    // The colleague is in the list, invited and not yet signed in; the form is empty again.
    expect(row(newcomer).textContent).toContain('Never signed in');
    expect(row(newcomer).textContent).toContain('Invited');
    expect((screen.getByLabelText('Their e-mail address') as HTMLInputElement).value).toBe('');

    // Away and back: the link is not shown again, anywhere.
    await user.click(screen.getByRole('link', { name: 'Inbox' }));
    await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW);
    await user.click(screen.getByRole('link', { name: 'Team' }));
    await screen.findByRole('table', { name: 'Accounts' }, SLOW);
    await waitFor(() => expect(row(newcomer)).toBeTruthy(), SLOW);
    expect(handover()).toBeNull();
    expect(document.body.textContent).not.toContain(String(token));
  });

  it('invites by a generated password, and hides it when the admin is done', async () => {
    const { user, server } = await openTeam();
    await user.type(screen.getByLabelText('Their e-mail address'), newcomer);
    await user.click(screen.getByRole('radio', { name: 'Admin' }));
    await user.selectOptions(screen.getByLabelText('Language of their console'), 'es');
    await user.click(screen.getByRole('radio', { name: 'A generated password' }));
    await user.click(screen.getByRole('button', { name: 'Invite' }));

    expect(await screen.findByRole('heading', { name: `Password for ${newcomer}` }, SLOW)).toBeTruthy();
    const password = server.passwordOf(newcomer) ?? '';
    expect(password).not.toBe('');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe(password);
    expect(server.lastRequest('POST', '/admin/api/team')?.body).toEqual({
      email: newcomer,
      role: 'admin',
      locale: 'es',
      handover: 'password',
    });
    expect(row(newcomer).textContent).toContain('Admin');
    expect(row(newcomer).textContent).toContain('Spanish');

    await user.click(screen.getByRole('button', { name: 'Done, hide it' }));
    expect(handover()).toBeNull();
    expect(document.body.textContent).not.toContain(password);
    // The box is gone; the accounts keep the place.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Accounts' }));
  });

  it("shows the server's refusal beside the address, and focuses the field", async () => {
    const { user } = await openTeam();
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    const email = screen.getByLabelText('Their e-mail address');
    expect(document.activeElement).toBe(email);
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(email.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      "Enter the colleague's e-mail address.",
    );

    await user.type(email, colleague);
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    await waitFor(
      () =>
        expect(document.getElementById(email.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
          `${colleague} already has a console account.`,
        ),
      SLOW,
    );
    expect(document.activeElement).toBe(email);
    expect(handover()).toBeNull();
  });

  it('changes a role', async () => {
    const { user, server } = await openTeam();
    await user.click(within(row(staff)).getByRole('button', { name: 'Make admin' }));
    await waitFor(() => expect(announced()).toBe(`${staff} is now an admin.`), SLOW);
    expect(server.lastRequest('POST', '/admin/api/team/')?.path).toBe(
      `/admin/api/team/${encodeURIComponent(staff)}/role`,
    );
    expect(server.accounts.get(staff)?.role).toBe('admin');
    expect(within(row(staff)).getByRole('cell', { name: 'Admin' })).toBeTruthy();
    expect(within(row(staff)).getByRole('button', { name: 'Make staff' })).toBeTruthy();

    await user.click(within(row(staff)).getByRole('button', { name: 'Make staff' }));
    await waitFor(() => expect(announced()).toBe(`${staff} is now staff.`), SLOW);
    expect(server.accounts.get(staff)?.role).toBe('staff');
  });

  it('cannot demote or remove the last admin: the reason is shown by that row and focused', async () => {
    const { user, server } = await openTeam();
    await user.click(within(row(admin)).getByRole('button', { name: 'Make staff' }));
    const refusal = await within(row(admin)).findByRole('alert', {}, SLOW);
    expect(refusal.textContent).toBe("The center's last admin cannot be made staff: make a colleague an admin first.");
    expect(document.activeElement).toBe(refusal);
    expect(within(row(admin)).getByRole('cell', { name: 'Admin' })).toBeTruthy();
    // The buttons name the refusal too, for whoever comes back to them.
    const button = within(row(admin)).getByRole('button', { name: 'Make staff' });
    expect(button.getAttribute('aria-describedby')?.split(' ')).toContain(refusal.id);

    await user.click(within(row(admin)).getByRole('button', { name: 'Remove' }));
    await user.click(within(row(admin)).getByRole('button', { name: 'Remove the account' }));
    await waitFor(
      () =>
        expect(within(row(admin)).getByRole('alert').textContent).toBe(
          "The center's last admin cannot be removed: make a colleague an admin first.",
        ),
      SLOW,
    );
    expect(document.activeElement).toBe(within(row(admin)).getByRole('alert'));
    // The question is closed; the account and its buttons are still there.
    expect(within(row(admin)).queryByRole('group')).toBeNull();
    expect(within(row(admin)).getByRole('button', { name: 'Remove' })).toBeTruthy();
    expect(server.accounts.has(admin)).toBe(true);
    expect(server.session?.staff.email).toBe(admin);
  });

  it('resets a password by a generated password, and by a link', async () => {
    const { user, server } = await openTeam();
    const old = server.passwordOf(staff);
    await user.click(within(row(staff)).getByRole('button', { name: 'Reset password' }));
    const question = within(row(staff)).getByRole('group', { name: 'How to hand over the sign-in' });
    expect(question.textContent).toContain(`The current password of ${staff} stops working at once`);
    expect(document.activeElement).toBe(within(question).getByRole('radio', { name: 'A one-time link (recommended)' }));
    await user.click(within(question).getByRole('radio', { name: 'A generated password' }));
    await user.click(within(question).getByRole('button', { name: 'Reset the password' }));

    const title = await screen.findByRole('heading', { name: `Password for ${staff}` }, SLOW);
    expect(document.activeElement).toBe(title);
    const password = server.passwordOf(staff);
    expect(password).not.toBe(old);
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe(password);
    expect(server.lastRequest('POST', '/admin/api/team/')?.body).toEqual({ handover: 'password' });
    await waitFor(() => expect(announced()).toBe(`Password reset for ${staff}. Hand over the sign-in shown below.`));

    await user.click(within(row(colleague)).getByRole('button', { name: 'Reset password' }));
    await user.click(within(row(colleague)).getByRole('button', { name: 'Reset the password' }));
    await screen.findByRole('heading', { name: `One-time link for ${colleague}` }, SLOW);
    // One box at a time: the password shown before is gone.
    expect(screen.queryByRole('heading', { name: `Password for ${staff}` })).toBeNull();
    const [token, link] = [...server.links.entries()].find(([, item]) => item.email === colleague) ?? [];
    expect(link?.purpose).toBe('reset');
    expect((screen.getByLabelText('One-time link') as HTMLInputElement).value).toBe(
      `${location.origin}/admin#/link/${token}`,
    );
    expect(row(colleague).textContent).toContain('Link works until');
  });

  it('does not offer a reset of your own password (that is in My settings)', async () => {
    await openTeam();
    expect(rowHeader(admin).textContent).toBe(`${admin} (you)`);
    expect(within(row(admin)).queryByRole('button', { name: 'Reset password' })).toBeNull();
  });

  it('cancels a reset and keeps the place', async () => {
    const { user, server } = await openTeam();
    const old = server.passwordOf(staff);
    await user.click(within(row(staff)).getByRole('button', { name: 'Reset password' }));
    await user.click(within(row(staff)).getByRole('button', { name: 'Cancel' }));
    expect(within(row(staff)).queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(rowHeader(staff));
    expect(server.passwordOf(staff)).toBe(old);
    expect(server.lastRequest('POST', '/admin/api/team/')).toBeUndefined();
  });

  it('unlocks a locked account', async () => {
    const { user, server } = await openTeam(admin, (fake) => fake.lock(staff));
    const unlock = await within(row(staff)).findByRole('button', { name: 'Unlock' }, SLOW);
    expect(row(staff).textContent).toContain('Locked until');
    // Only the locked account has the button.
    expect(within(row(colleague)).queryByRole('button', { name: 'Unlock' })).toBeNull();
    await user.click(unlock);

    await waitFor(() => expect(announced()).toBe(`${staff} is unlocked and can sign in again.`), SLOW);
    expect(server.accounts.get(staff)?.lockedUntil).toBeNull();
    expect(within(row(staff)).queryByRole('button', { name: 'Unlock' })).toBeNull();
    expect(row(staff).textContent).toContain('Can sign in');
    // The button is gone; the account's name keeps the place.
    expect(document.activeElement).toBe(rowHeader(staff));

    // And the colleague can sign in again.
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await signIn(user, staff, ACCOUNTS[1]?.password ?? '');
    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW)).toBeTruthy();
  });

  it('removes an account only after asking, with the safe choice first and focused', async () => {
    const { user, server } = await openTeam();
    await user.click(within(row(staff)).getByRole('button', { name: 'Remove' }));
    const question = within(row(staff)).getByRole('group', { name: `Remove ${staff}?` });
    expect(question.textContent).toContain('This cannot be undone.');
    const choices = within(question).getAllByRole('button');
    expect(choices.map((button) => button.textContent)).toEqual(['Keep the account', 'Remove the account']);
    expect(document.activeElement).toBe(choices[0]);

    await user.click(within(question).getByRole('button', { name: 'Keep the account' }));
    expect(within(row(staff)).queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(rowHeader(staff));
    expect(server.accounts.has(staff)).toBe(true);
    expect(server.lastRequest('POST', '/admin/api/team/')).toBeUndefined();

    await user.click(within(row(staff)).getByRole('button', { name: 'Remove' }));
    await user.click(within(row(staff)).getByRole('button', { name: 'Remove the account' }));
    await waitFor(() => expect(announced()).toBe(`${staff} was removed.`), SLOW);
    expect(screen.getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual([`${admin} (you)`, colleague]);
    expect(server.accounts.has(staff)).toBe(false);
    expect(server.lastRequest('POST', '/admin/api/team/')?.path).toBe(
      `/admin/api/team/${encodeURIComponent(staff)}/remove`,
    );
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Accounts' }));
  });

  it('speaks Spanish to a Spanish-speaking admin', async () => {
    const server = createAccountsServer({ signedInAs: colleague });
    const account = server.accounts.get(colleague);
    if (account) account.role = 'admin';
    const { user } = renderConsole({ server, hash: '#/team' });
    const table = await screen.findByRole('table', { name: 'Cuentas' }, SLOW);
    expect(screen.getByRole('heading', { level: 1, name: 'Equipo' })).toBeTruthy();
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Cuenta', 'Rol', 'Idioma', 'Último inicio de sesión', 'Estado', 'Acciones']);
    expect(rowHeader(colleague).textContent).toBe(`${colleague} (usted)`);
    await user.click(within(row(staff)).getByRole('button', { name: 'Eliminar' }));
    expect(document.activeElement?.textContent).toBe('Conservar la cuenta');
    expect(within(row(staff)).getByRole('group', { name: `¿Eliminar ${staff}?` })).toBeTruthy();
  });
});

describe('the team page for staff', () => {
  it('is not in the navigation, and its address says it is for admins only', async () => {
    const server = createAccountsServer({ signedInAs: staff });
    renderConsole({ server, hash: '#/team' });
    expect(await screen.findByText('Only admins can see this page.', {}, SLOW)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Team' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Team' })).toBeNull();
    expect(within(nav).getByRole('link', { name: /^My settings/ })).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByLabelText('Their e-mail address')).toBeNull();
    expect(server.lastRequest('GET', '/admin/api/team')).toBeUndefined();
  });
});
