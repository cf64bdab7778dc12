import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.js';
import type { Copy } from './copy.js';
import type { Formatters } from './formatters.js';
import type { Session } from './types.js';

/** What every signed-in view needs: the API, the session, its words and clock, and the live region. */
export interface ConsoleContext {
  readonly api: Api;
  readonly session: Session;
  readonly t: Copy;
  readonly format: Formatters;
  /** Says `text` in the polite live region, once, even if it is the same as last time. */
  readonly announce: (text: string) => void;
  /** Polls the inbox now, after a change that alters it (a status, a replayed delivery). */
  readonly refreshInbox: () => void;
  /** This device's clock, in ms; only differences of it are trusted. */
  readonly clock: () => number;
  /** The server's clock now: the latest inbox's `now` plus the time elapsed here since. */
  readonly serverNow: () => number;
  /** After the person changed their own settings: the session the server answered with (new language, alerts). */
  readonly updateSession: (session: Session) => void;
  /** Whether a view focuses its heading as it opens: after sign-in or a move, not on page load. */
  readonly focusViews: boolean;
}

export const ConsoleContext = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole() is for views inside <Console>.');
  return value;
}
