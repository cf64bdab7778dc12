import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { type Copy, copyFor } from './copy.js';
import { type AccountsCopy, accountsCopy, accountsCopyLike } from './copyAccounts.js';
import { errorMessage } from './errorMessage.js';
import { CodeField, MfaSetup, useRefusedField } from './MfaSetup.js';
import type { Session } from './types.js';
import { useFocusOnce } from './useFocusOnce.js';

interface Props {
  readonly api: Api;
  readonly t: Copy;
  /** Why the form is back: the session ended, or the person signed out. */
  readonly notice: string | null;
  readonly onSignedIn: (session: Session) => void;
  /** Signed in already, but the center requires a code and this person has none yet: start at enrolment. */
  readonly enrol?: Session | undefined;
}

interface Failure {
  readonly message: string;
  /** Fields the server named in `issues` ("email", "password"). */
  readonly fields: ReadonlySet<string>;
}

/** The password; then, for an account with two-step sign-in, the code; or, where the center requires it, setting it up. */
type Step =
  | { readonly name: 'password' }
  | { readonly name: 'code'; readonly ticket: string }
  | { readonly name: 'enrol'; readonly session: Session };

/**
 * E-mail and password, then the code from the app where the account has one. The server's refusals
 * (wrong password with tries left, locked until a time, too many attempts) are shown word for word,
 * announced, and focused, so the person hears them at once. Where the center requires two-step sign-in
 * and the person has none, signing in ends in setting it up, not in the inbox.
 */
export function SignIn({ api, t, notice, onSignedIn, enrol }: Props) {
  const w = accountsCopyLike(t);
  const [step, setStep] = useState<Step>(enrol ? { name: 'enrol', session: enrol } : { name: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  /** Counts the returns to the password step, after which its heading (or its message) takes focus. */
  const [returns, setReturns] = useState(0);
  // Focus moves here only when the form replaced the console (the inbox would leave it nowhere).
  const heading = useFocusOnce<HTMLHeadingElement>(notice !== null);
  const alert = useRef<HTMLParagraphElement>(null);

  useLayoutEffect(() => {
    if (failure) alert.current?.focus();
  }, [failure]);
  useLayoutEffect(() => {
    if (returns > 0 && !failure) heading.current?.focus();
  }, [returns]);

  const signedIn = (session: Session) =>
    session.mfaSetupRequired ? setStep({ name: 'enrol', session }) : onSignedIn(session);

  /** Back to e-mail and password: the ticket ran out, or the person chose to start again. */
  const startOver = (message: string | null) => {
    setStep({ name: 'password' });
    setBusy(false);
    setFailure(message === null ? null : { message, fields: new Set() });
    setReturns((count) => count + 1);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const answer = await api.login(email.trim(), password);
      if ('mfa' in answer) {
        // The password has done its part; it is not kept while the code is asked for.
        setPassword('');
        setFailure(null);
        setBusy(false);
        setStep({ name: 'code', ticket: answer.ticket });
      } else {
        signedIn(answer);
      }
    } catch (error) {
      const fields = new Set(error instanceof ApiError ? error.issues.map((issue) => issue.path) : []);
      setFailure({ message: errorMessage(error, t), fields });
      setBusy(false);
    }
  };

  const invalid = (name: string) =>
    failure?.fields.has(name)
      ? { 'aria-invalid': 'true' as const, 'aria-describedby': 'signin-error' }
      : { 'aria-describedby': failure ? 'signin-error' : undefined };

  if (step.name === 'code') {
    return (
      <main id="main" class="signin">
        <CodeStep api={api} t={t} w={w} ticket={step.ticket} onSignedIn={signedIn} onStartOver={startOver} />
      </main>
    );
  }
  if (step.name === 'enrol') {
    // In the person's own language from here on, as the console will be.
    const { locale } = step.session.staff;
    return (
      <main id="main" class="signin" lang={locale}>
        <MfaSetup
          api={api}
          t={copyFor(locale)}
          w={accountsCopy(locale)}
          email={step.session.staff.email}
          level={1}
          intro={w.setupRequired}
          onEnabled={onSignedIn}
        />
        {/* Not now, on a shared desk: the session that can only set up ends here. */}
        <button
          type="button"
          class="quiet"
          onClick={() =>
            api.logout().then(
              () => startOver(null),
              () => {},
            )
          }
        >
          {copyFor(locale).signOut}
        </button>
      </main>
    );
  }
  return (
    <main id="main" class="signin">
      <h1 ref={heading} tabIndex={-1}>
        {t.signInTitle}
      </h1>
      <p class="help">{t.signInIntro}</p>
      {notice && !failure && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form class="stack" noValidate onSubmit={submit}>
        {failure && (
          <p id="signin-error" class="error-box" role="alert" tabIndex={-1} ref={alert}>
            {failure.message}
          </p>
        )}
        <div class="field">
          <label for="signin-email">{t.email}</label>
          <input
            id="signin-email"
            type="email"
            name="username"
            autocomplete="username"
            inputMode="email"
            autoCapitalize="none"
            spellcheck={false}
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
            {...invalid('email')}
          />
        </div>
        <div class="field">
          <label for="signin-password">{t.password}</label>
          <input
            id="signin-password"
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
            {...invalid('password')}
          />
        </div>
        <button type="submit" class="primary" aria-busy={busy ? 'true' : undefined}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}

/**
 * The code from the app, or a recovery code (digits too, so one number pad takes both). A wrong one is said beside the field, which keeps
 * focus; a ticket that ran out (5 minutes) goes back to the password with the server's words.
 */
function CodeStep({
  api,
  t,
  w,
  ticket,
  onSignedIn,
  onStartOver,
}: {
  api: Api;
  t: Copy;
  w: AccountsCopy;
  ticket: string;
  onSignedIn: (session: Session) => void;
  onStartOver: (message: string | null) => void;
}) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useFocusOnce<HTMLHeadingElement>();
  const field = useRef<HTMLInputElement>(null);
  const refused = useRefusedField(field);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      onSignedIn(await api.loginCode(ticket, code));
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'mfa_expired') return onStartOver(failure.message);
      setError(errorMessage(failure, t));
      setBusy(false);
      refused();
    }
  };

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {w.mfaTitle}
      </h1>
      <form class="stack" noValidate onSubmit={submit}>
        <CodeField
          id="signin-code"
          label={w.codeLabel}
          help={w.codeIntro}
          value={code}
          error={error}
          inputRef={field}
          onInput={setCode}
        />
        <button type="submit" class="primary" aria-busy={busy ? 'true' : undefined}>
          {busy ? t.signingIn : t.signIn}
        </button>
        <button type="button" class="quiet" onClick={() => onStartOver(null)}>
          {w.startOver}
        </button>
      </form>
    </>
  );
}
