import { render, screen, within } from '@testing-library/preact';
import { type UserEvent, userEvent } from '@testing-library/user-event';
import { App } from '../../src/App.js';
import { createFakeServer, type FakeServer } from './fakeServer.js';

export interface RenderOptions {
  /** The lead server; a fresh one with no session by default. */
  server?: FakeServer;
  /** The hash route the page opens at. */
  hash?: string;
  /** Inbox polling interval; long by default, so only tests about polling see a second poll. */
  pollMs?: number;
  tickMs?: number;
  /** This device's clock. */
  clock?: () => number;
}

/** The console on a fresh /admin page, talking to `server`. */
export function renderConsole(options: RenderOptions = {}) {
  const server = options.server ?? createFakeServer();
  history.replaceState(null, '', `/admin${options.hash ?? '#/'}`);
  const view = render(
    <App
      fetcher={server.fetch}
      pollMs={options.pollMs ?? 600_000}
      tickMs={options.tickMs ?? 600_000}
      clock={options.clock ?? Date.now}
    />,
  );
  return { server, user: userEvent.setup(), ...view };
}

/** Generous for a loaded CPU: jsdom renders slowly when the machine is busy. */
export const SLOW = { timeout: 5000 };

export async function signIn(user: UserEvent, email: string, password: string) {
  await user.type(await screen.findByLabelText('E-mail', {}, SLOW), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

/** What the polite live region says now. */
export function announced(): string {
  return screen.getByTestId('announcer').textContent ?? '';
}

/** The names of the leads in the inbox, top to bottom. */
export function leadNames(): string[] {
  const list = screen.getByRole('list', { name: 'Inbox' });
  return within(list)
    .getAllByRole('heading', { level: 2 })
    .map((heading) => heading.textContent ?? '');
}
