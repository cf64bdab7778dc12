import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CODE, createMfaServer } from './support/fakeMfa.js';
import { ACCOUNTS } from './support/fakeServer.js';
import { announced, renderConsole, SLOW, signIn } from './support/renderConsole.js';

afterEach(cleanup);

const [admin, staff] = ACCOUNTS as [(typeof ACCOUNTS)[0], (typeof ACCOUNTS)[0]];
const FIVE_MINUTES = 5 * 60_000;

/** The field's description, as a screen reader reads it after the label. */
function description(field: HTMLElement): string {
  return (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('signing in with two-step sign-in', () => {
  it('asks for the code after the password, in a field phones fill in, and says a wrong one beside it', async () => {
    const server = createMfaServer();
    server.enableMfa(staff.email);
    server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server });
    await signIn(user, staff.email, staff.password);

    const heading = await screen.findByRole('heading', { level: 1, name: 'Two-step sign-in' }, SLOW);
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const field = screen.getByLabelText('Code from your app');
    expect(field.getAttribute('autocomplete')).toBe('one-time-code');
    expect(field.getAttribute('inputmode')).toBe('numeric');
    expect(description(field)).toContain('The 6 digits your authenticator app shows, or one of your recovery codes.');
    // The password is not kept on the page while the code is asked for.
    expect(screen.queryByLabelText('Password')).toBeNull();

    await user.type(field, '111111');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const error = await screen.findByRole('alert', {}, SLOW);
    expect(error.textContent).toContain('That code is not right.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(description(field)).toContain('That code is not right.');
    expect(document.activeElement).toBe(field);

    await user.clear(field);
    await user.type(field, APP_CODE);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW)).toBeTruthy();
    expect(server.lastRequest('POST', '/admin/api/login/mfa')?.body).toEqual({
      ticket: expect.any(String),
      code: APP_CODE,
    });
  });

  it('takes a recovery code in the same field, and goes back to the password once the five minutes are up', async () => {
    const server = createMfaServer();
    const [recoveryCode = ''] = server.enableMfa(staff.email);
    const { user } = renderConsole({ server });
    await signIn(user, staff.email, staff.password);
    const field = await screen.findByLabelText('Code from your app', {}, SLOW);

    server.advance(FIVE_MINUTES + 1000);
    await user.type(field, recoveryCode);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByText(/waited more than 5 minutes/, {}, SLOW);
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(alert));

    await user.type(screen.getByLabelText('Password'), staff.password);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText('Code from your app', {}, SLOW), recoveryCode);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW)).toBeTruthy();
    expect(server.recoveryCodesOf(staff.email)).not.toContain(recoveryCode);
  });

  it('ends in setting it up, not in the inbox, where the center requires it', async () => {
    const server = createMfaServer();
    server.mfa.required = true;
    const { user } = renderConsole({ server });
    await signIn(user, staff.email, staff.password);

    const heading = await screen.findByRole('heading', { level: 1, name: 'Set up two-step sign-in' }, SLOW);
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText(/Your center requires two-step sign-in/)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Inbox' })).toBeNull();
    await user.type(screen.getByLabelText('Code from your app'), APP_CODE);
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Your recovery codes' }, SLOW)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'I have saved them' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW)).toBeTruthy();
  });

  it('a reload before it is set up comes back to setting it up, not to the inbox', async () => {
    const server = createMfaServer({ signedInAs: staff.email });
    server.mfa.required = true;
    renderConsole({ server });
    expect(await screen.findByRole('heading', { level: 1, name: 'Set up two-step sign-in' }, SLOW)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Inbox' })).toBeNull();
  });
});

describe('two-step sign-in in My settings', () => {
  it('sets it up with a QR code and the key as text, then shows the recovery codes once', async () => {
    const server = createMfaServer({ signedInAs: staff.email });
    const { user } = renderConsole({ server, hash: '#/settings' });
    const section = await screen.findByRole('region', { name: 'Two-step sign-in' }, SLOW);
    expect(within(section).getByText(/^Off:/)).toBeTruthy();
    await user.click(within(section).getByRole('button', { name: 'Set up two-step sign-in' }));

    const title = await within(section).findByRole('heading', { level: 3, name: 'Set up two-step sign-in' }, SLOW);
    expect(document.activeElement).toBe(title);
    const qr = within(section).getByRole('img', { name: 'QR code for your authenticator app' });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // For those who cannot scan: the key, in groups of four, to type.
    expect(within(section).getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeTruthy();
    const code = within(section).getByLabelText('Code from your app');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');

    await user.type(code, '000000');
    await user.click(within(section).getByRole('button', { name: 'Turn on' }));
    expect((await within(section).findByRole('alert', {}, SLOW)).textContent).toContain('That code is not right.');
    expect(code.getAttribute('aria-invalid')).toBe('true');
    await user.clear(code);
    await user.type(code, APP_CODE);
    await user.click(within(section).getByRole('button', { name: 'Turn on' }));

    const codesTitle = await within(section).findByRole('heading', { name: 'Your recovery codes' }, SLOW);
    expect(document.activeElement).toBe(codesTitle);
    const codes = server.recoveryCodesOf(staff.email);
    expect(codes).toHaveLength(10);
    for (const recoveryCode of codes) expect(within(section).getByText(recoveryCode)).toBeTruthy();
    const download = within(section).getByRole('link', { name: 'Download as a text file' });
    expect(download.getAttribute('download')).toBe('recovery-codes.txt');
    expect(decodeURIComponent(download.getAttribute('href') ?? '')).toContain(codes[0]);

    await user.click(within(section).getByRole('button', { name: 'I have saved them' }));
    await waitFor(() => expect(announced()).toBe('Two-step sign-in is on.'));
    expect(within(section).getByText(/^On:/)).toBeTruthy();
    // Shown once: gone from the page now.
    expect(screen.queryByText(codes[0] ?? '')).toBeNull();
  });

  it('turns it off only with the current password', async () => {
    const server = createMfaServer({ signedInAs: staff.email });
    server.enableMfa(staff.email);
    const { user } = renderConsole({ server, hash: '#/settings' });
    const section = await screen.findByRole('region', { name: 'Two-step sign-in' }, SLOW);
    const password = within(section).getByLabelText('Current password');
    await user.click(within(section).getByRole('button', { name: 'Turn off' }));
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(description(password)).toBe('Enter your current password.');

    await user.type(password, 'not my password');
    await user.click(within(section).getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(description(password)).toContain('not the one you typed'));
    await user.clear(password);
    await user.type(password, staff.password);
    await user.click(within(section).getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(announced()).toBe('Two-step sign-in is off.'));
    expect(within(section).getByText(/^Off:/)).toBeTruthy();
  });

  it('says it stays on where the center requires it', async () => {
    const server = createMfaServer({ signedInAs: staff.email });
    server.enableMfa(staff.email);
    server.mfa.required = true;
    renderConsole({ server, hash: '#/settings' });
    const section = await screen.findByRole('region', { name: 'Two-step sign-in' }, SLOW);
    await waitFor(() => expect(within(section).getByText(/^Your center requires it\./)).toBeTruthy(), SLOW);
    expect(within(section).queryByRole('button', { name: 'Turn off' })).toBeNull();
  });

  it('speaks Spanish to Spanish-speaking staff', async () => {
    const server = createMfaServer({ signedInAs: ACCOUNTS[2]?.email ?? '' });
    renderConsole({ server, hash: '#/settings' });
    const section = await screen.findByRole('region', { name: 'Verificación en dos pasos' }, SLOW);
    expect(within(section).getByRole('button', { name: 'Activar la verificación en dos pasos' })).toBeTruthy();
  });
});

describe('two-step sign-in on the team page', () => {
  const box = () => screen.getByRole('checkbox', { name: 'Require two-step sign-in for everyone at this center' });

  it('requires it for everyone once the admin has it, and says why not before', async () => {
    const server = createMfaServer({ signedInAs: admin.email });
    const { user } = renderConsole({ server, hash: '#/team' });
    await screen.findByRole('table', { name: 'Accounts' }, SLOW);
    expect((await screen.findByRole('checkbox', {}, SLOW)) as HTMLInputElement).toBe(box());
    expect((box() as HTMLInputElement).checked).toBe(false);

    await user.click(box());
    const refusal = await screen.findByText(/for your own account first/, {}, SLOW);
    expect(refusal.getAttribute('role')).toBe('alert');
    expect((box() as HTMLInputElement).checked).toBe(false);
    expect(description(box())).toContain('for your own account first');

    server.enableMfa(admin.email);
    await user.click(box());
    await waitFor(() => expect((box() as HTMLInputElement).checked).toBe(true));
    expect(server.mfa.required).toBe(true);
    await waitFor(() => expect(announced()).toBe('Two-step sign-in is now required.'));
  });

  it("resets a colleague's two-step sign-in after asking, with the safe choice focused", async () => {
    const server = createMfaServer({ signedInAs: admin.email });
    server.enableMfa(staff.email);
    const { user } = renderConsole({ server, hash: '#/team' });
    await screen.findByRole('table', { name: 'Accounts' }, SLOW);
    const row = () =>
      screen.getByRole('rowheader', { name: new RegExp(`^${staff.email}`) }).closest('tr') as HTMLElement;
    expect(row().textContent).toContain('Two-step sign-in on');

    await user.click(within(row()).getByRole('button', { name: 'Reset two-step sign-in' }));
    expect(document.activeElement).toBe(within(row()).getByRole('button', { name: 'Cancel' }));
    expect(within(row()).getByText(/For a lost phone/)).toBeTruthy();
    await user.click(within(row()).getByRole('button', { name: 'Reset two-step sign-in' }));
    await waitFor(() => expect(announced()).toBe(`Two-step sign-in reset for ${staff.email}.`));
    expect(row().textContent).not.toContain('Two-step sign-in on');
    expect(server.lastRequest('POST', '/admin/api/team/')?.path).toBe(
      `/admin/api/team/${encodeURIComponent(staff.email)}/mfa/reset`,
    );
  });
});
