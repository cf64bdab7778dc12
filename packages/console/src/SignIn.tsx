import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import type { Copy } from './copy.js';
import { errorMessage } from './errorMessage.js';
import type { Session } from './types.js';
import { useFocusOnce } from './useFocusOnce.js';

interface Props {
  readonly api: Api;
  readonly t: Copy;
  /** Why the form is back: the session ended, or the person signed out. */
  readonly notice: string | null;
  readonly onSignedIn: (session: Session) => void;
}

interface Failure {
  readonly message: string;
  /** Fields the server named in `issues` ("email", "password"). */
  readonly fields: ReadonlySet<string>;
}

/**
 * E-mail and password. The server's refusals (wrong password with tries left, locked until a time,
 * too many attempts) are shown word for word, announced, and focused, so the person hears them at once.
 */
export function SignIn({ api, t, notice, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  // Focus moves here only when the form replaced the console (the inbox would leave it nowhere).
  const heading = useFocusOnce<HTMLHeadingElement>(notice !== null);
  const alert = useRef<HTMLParagraphElement>(null);

  useLayoutEffect(() => {
    if (failure) alert.current?.focus();
  }, [failure]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const session = await api.login(email.trim(), password);
      onSignedIn(session);
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
