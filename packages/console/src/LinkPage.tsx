import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import './accounts.css';
import { type Api, ApiError } from './api.js';
import { copyFor } from './copy.js';
import { accountsCopy } from './copyAccounts.js';
import { errorMessage } from './errorMessage.js';
import { createFormatters } from './formatters.js';
import { PasswordField } from './PasswordField.js';
import { type LinkInfo, type Locale, PASSWORD_MIN, type Session } from './types.js';
import { useRefusal } from './useRefusal.js';

export interface LinkPageProps {
  readonly api: Api;
  /** The one-time token from `#/link/<token>`. */
  readonly token: string;
  /** The language to speak before anyone is signed in: the browser's, or the session's. */
  readonly locale: Locale;
  /** The password is set and the person signed in (API.md, One-time links). */
  readonly onSignedIn: (session: Session) => void;
}

type State =
  | { readonly name: 'loading' }
  | { readonly name: 'ready'; readonly link: LinkInfo }
  /**
   * Used, expired or unknown (or no answer): the server's sentence, and no form. `late` when it was
   * found out on sending the password: the form is gone, so focus moves to what replaced it.
   */
  | { readonly name: 'unusable'; readonly failure: unknown; readonly late: boolean };

type Field = 'password' | 'confirm';

/**
 * A one-time link (an invitation or a reset): whom it is for and at which center, a password and the
 * same again, then in. A link that cannot be used says why, in the server's words, and offers sign-in.
 */
export function LinkPage({ api, token, locale: before, onSignedIn }: LinkPageProps) {
  const [state, setState] = useState<State>({ name: 'loading' });
  // Once the link is known, the page speaks the language the admin chose for the account.
  const locale = state.name === 'ready' ? state.link.locale : before;
  const t = copyFor(locale);
  const w = accountsCopy(locale);
  // No center is known yet: times are shown in this device's zone.
  const format = useMemo(() => createFormatters(locale, Intl.DateTimeFormat().resolvedOptions().timeZone), [locale]);
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const { fields, formError, alert, refuse } = useRefusal<Field>(['password', 'confirm'], (field) => `link-${field}`);
  const badHeading = useRef<HTMLHeadingElement>(null);
  const late = state.name === 'unusable' && state.late;

  useEffect(() => {
    let stopped = false;
    setState({ name: 'loading' });
    api.link(token).then(
      (link) => {
        if (!stopped) setState({ name: 'ready', link });
      },
      (failure: unknown) => {
        if (!stopped) setState({ name: 'unusable', failure, late: false });
      },
    );
    return () => {
      stopped = true;
    };
  }, [api, token]);

  useLayoutEffect(() => {
    if (late) badHeading.current?.focus();
  }, [late]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (password.length < PASSWORD_MIN) return refuse({ password: w.tooShort }, null);
    if (confirm !== password) return refuse({ confirm: w.mismatch }, null);
    setBusy(true);
    try {
      const session = await api.useLink(token, password);
      onSignedIn(session);
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && (failure.status === 404 || failure.status === 410)) {
        setState({ name: 'unusable', failure, late: true });
        return;
      }
      const issue = failure instanceof ApiError ? failure.issues.find((item) => item.path === 'password') : undefined;
      if (issue) refuse({ password: issue.message }, null);
      else refuse({}, errorMessage(failure, t));
    }
  };

  if (state.name === 'loading') {
    return (
      <main id="main" class="signin link-page">
        <h1>{w.linkLabel}</h1>
        <p role="status">{w.linkChecking}</p>
      </main>
    );
  }
  if (state.name === 'unusable') {
    return (
      <main id="main" class="signin link-page">
        <h1 ref={badHeading} tabIndex={-1}>
          {w.linkBadTitle}
        </h1>
        {/* Shown as it is, in whichever language the page speaks now. */}
        <p class="error-box" role="alert">
          {errorMessage(state.failure, t)}
        </p>
        <p>
          <a class="button" href="#/">
            {w.goToSignIn}
          </a>
        </p>
      </main>
    );
  }

  const { link } = state;
  const input = (field: Field, label: string, value: string, set: (value: string) => void, help?: string) => (
    <PasswordField
      id={`link-${field}`}
      label={label}
      value={value}
      autocomplete="new-password"
      help={help}
      error={fields[field]}
      formErrorId={formError ? 'link-error' : undefined}
      onInput={set}
    />
  );

  return (
    <main id="main" class="signin link-page">
      <h1>{link.purpose === 'reset' ? w.linkResetTitle : w.linkInviteTitle}</h1>
      <p class="wrap">{w.linkFor(link.email, link.centerName)}</p>
      <p class="help">{w.linkUntil(format.dateTime(link.expiresAt))}</p>
      <form class="stack" noValidate onSubmit={submit}>
        {/* For password managers: whose password this is. */}
        <input type="email" name="username" autocomplete="username" value={link.email} readOnly hidden />
        {formError && (
          <p id="link-error" class="error-box" role="alert" tabIndex={-1} ref={alert}>
            {formError}
          </p>
        )}
        {input('password', w.newPassword, password, setPassword, w.passwordHelp)}
        {input('confirm', w.confirmPassword, confirm, setConfirm)}
        <button type="submit" class="primary" aria-busy={busy ? 'true' : undefined}>
          {busy ? w.settingPassword : w.setPassword}
        </button>
      </form>
    </main>
  );
}
