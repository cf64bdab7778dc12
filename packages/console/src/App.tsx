import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { createApi } from './api.js';
import { Console } from './Console.js';
import { browserLocale, copyFor } from './copy.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { LinkPage } from './LinkPage.js';
import { useRoute } from './router.js';
import { SignIn } from './SignIn.js';
import type { Session } from './types.js';

export interface AppProps {
  /** The lead server; tests pass a stand-in that keeps the API in memory. */
  readonly fetcher?: typeof fetch;
  /** How often the inbox is polled (API.md: every 10 s is the live update). */
  readonly pollMs?: number;
  /** How often waiting times are redrawn between polls. */
  readonly tickMs?: number;
  /** This device's clock; only the time elapsed on it is trusted, never its date. */
  readonly clock?: () => number;
}

type Notice = 'ended' | 'signedOut' | null;

/**
 * Signed in or not. The session is asked for once; a `401 signed_out` from any call later brings the
 * sign-in form back over the same hash route, so signing in again returns to what the person was doing.
 */
export function App({ fetcher = fetch, pollMs = 10_000, tickMs = 30_000, clock = Date.now }: AppProps) {
  /** undefined while the first answer is awaited. */
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState<Notice>(null);
  const [bootError, setBootError] = useState<unknown>(null);
  /** Whether the session came from the form (true) or was already there on page load (false). */
  const [viaForm, setViaForm] = useState(false);
  const signedIn = useRef(false);
  const [api] = useState(() =>
    createApi({
      fetcher,
      onSignedOut: () => {
        if (signedIn.current) setNotice('ended');
        signedIn.current = false;
        setSession(null);
      },
    }),
  );
  const enter = useCallback((next: Session) => {
    signedIn.current = true;
    setNotice(null);
    setSession(next);
  }, []);

  const check = useCallback(() => {
    setBootError(null);
    api.session().then(enter, (error: unknown) => {
      if (!isSignedOut(error)) setBootError(error);
    });
  }, [api, enter]);
  useEffect(check, [check]);

  const route = useRoute();
  const locale = session?.staff.locale ?? browserLocale();
  const t = copyFor(locale);
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  if (route.name === 'link') {
    // A one-time link is for whoever holds it, signed in or not: it ends by signing them in.
    return (
      <LinkPage
        api={api}
        token={route.token}
        locale={locale}
        onSignedIn={(next) => {
          setViaForm(true);
          enter(next);
          // In place of the link's entry: the used token stays in no one's back button or history.
          history.replaceState(null, '', '#/');
          dispatchEvent(new HashChangeEvent('hashchange'));
        }}
      />
    );
  }
  if (session?.mfaSetupRequired) {
    // A reload while the center's required two-step sign-in is not set up: set it up before anything else.
    return <SignIn api={api} t={t} notice={null} onSignedIn={enter} enrol={session} />;
  }
  if (session) {
    return (
      <Console
        api={api}
        session={session}
        signedInNow={viaForm}
        pollMs={pollMs}
        tickMs={tickMs}
        clock={clock}
        onSessionChange={setSession}
        onSignedOut={() => {
          signedIn.current = false;
          setNotice('signedOut');
          setSession(null);
          // The next person to sign in on this device starts at the inbox, not at this lead.
          location.hash = '#/';
        }}
      />
    );
  }
  if (session === null) {
    const text = notice === 'ended' ? t.sessionEnded : notice === 'signedOut' ? t.signedOut : null;
    return (
      <SignIn
        api={api}
        t={t}
        notice={text}
        onSignedIn={(next) => {
          setViaForm(true);
          enter(next);
        }}
      />
    );
  }
  return (
    <main id="main" class="boot">
      {bootError ? (
        <>
          <h1>{t.appTitle}</h1>
          <p class="error-box" role="alert">
            {errorMessage(bootError, t)}
          </p>
          <button type="button" onClick={check}>
            {t.retry}
          </button>
        </>
      ) : (
        <p role="status">{t.loading}</p>
      )}
    </main>
  );
}
