import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import './accounts.css';
import { ApiError } from './api.js';
import { useConsole } from './context.js';
import { accountsCopy } from './copyAccounts.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { MfaSetup } from './MfaSetup.js';
import { PasswordField } from './PasswordField.js';
import { type AlertPreferences, type Locale, PASSWORD_MIN } from './types.js';
import { type Holder, playTone } from './useAlerts.js';
import { useViewHeading } from './useFocusOnce.js';
import { useRefusal } from './useRefusal.js';

/**
 * Everyone: their own language, alerts, password and two-step sign-in (API.md, Your own account). Each
 * section saves on its own and says so once in the live region; the server's refusals are shown beside
 * their field. Where the center requires two-step sign-in and it is not set up, that comes first.
 */
export function SettingsPage() {
  const { session } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const heading = useViewHeading();
  // Where it was when the page opened: set up, the section stays in place, and focus with it.
  const [first] = useState(session.mfaSetupRequired);
  return (
    <div class="accounts settings">
      <h1 ref={heading} tabIndex={-1}>
        {w.settingsTitle}
      </h1>
      <p class="help wrap">{w.settingsIntro(session.staff.email)}</p>
      {first && <MfaSection />}
      <LanguageForm />
      <AlertsForm />
      <PasswordForm />
      {!first && <MfaSection />}
    </div>
  );
}

/** On or off, with why; setting it up in place; turning it off with the password, unless the center requires it. */
function MfaSection() {
  const { api, session, t, announce, updateSession } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [settingUp, setSettingUp] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const title = useRef<HTMLHeadingElement>(null);

  const enabled = (next: typeof session) => {
    setSettingUp(false);
    updateSession(next);
    announce(w.mfaNowOn);
    title.current?.focus();
  };

  let body: ComponentChildren;
  if (settingUp) {
    body = (
      <MfaSetup
        api={api}
        t={t}
        w={w}
        email={session.staff.email}
        level={3}
        onEnabled={enabled}
        onCancel={() => {
          setSettingUp(false);
          button.current?.focus();
        }}
      />
    );
  } else if (session.mfaEnabled) {
    body = (
      <>
        <p>{w.mfaOn}</p>
        {session.mfaRequired ? (
          <p class="help">{w.requiredStays}</p>
        ) : (
          <MfaOffForm onOff={() => title.current?.focus()} />
        )}
      </>
    );
  } else {
    body = (
      <>
        {session.mfaSetupRequired ? <p class="notice">{w.setupRequired}</p> : <p>{w.mfaOff}</p>}
        <p class="help">{w.mfaWhy}</p>
        <button type="button" class="primary" ref={button} onClick={() => setSettingUp(true)}>
          {w.setUp}
        </button>
      </>
    );
  }
  return (
    <section class="panel" aria-labelledby="mfa-title">
      <h2 id="mfa-title" ref={title} tabIndex={-1}>
        {w.mfaTitle}
      </h2>
      {body}
    </section>
  );
}

/** The current password, to turn two-step sign-in off: an unlocked screen alone is not enough. */
function MfaOffForm({ onOff }: { onOff: () => void }) {
  const { api, session, t, announce, updateSession } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const { fields, refuse } = useRefusal<'password'>(['password'], () => 'mfa-password');

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (password === '') return refuse({ password: w.currentMissing });
    setBusy(true);
    try {
      updateSession(await api.disableMfa(password));
      announce(w.mfaNowOff);
      onOff();
    } catch (failure) {
      // Every refusal is about the password (wrong, or the lock it led to): said beside it.
      if (!isSignedOut(failure)) refuse({ password: errorMessage(failure, t) });
      setBusy(false);
    }
  };

  return (
    <form class="stack narrow" noValidate onSubmit={submit}>
      <input type="email" name="username" autocomplete="username" value={session.staff.email} readOnly hidden />
      <h3>{w.turnOffLegend}</h3>
      <PasswordField
        id="mfa-password"
        label={w.currentPassword}
        value={password}
        autocomplete="current-password"
        error={fields.password}
        onInput={setPassword}
      />
      <button type="submit" aria-busy={busy ? 'true' : undefined}>
        {busy ? w.saving : w.turnOff}
      </button>
    </form>
  );
}

const LANGUAGES: readonly { locale: Locale; label: string }[] = [
  { locale: 'en', label: 'English' },
  { locale: 'es', label: 'Español' },
];

/** English or Español, each named in its own language; the whole console follows once saved. */
function LanguageForm() {
  const { api, session, t, announce, updateSession } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [chosen, setChosen] = useState<Locale>(session.staff.locale);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const alert = useRef<HTMLParagraphElement>(null);

  useLayoutEffect(() => {
    if (error) alert.current?.focus();
  }, [error]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const next = await api.updateMe({ locale: chosen });
      updateSession(next);
      // Said in the language just chosen, as the rest of the console now is.
      announce(accountsCopy(next.staff.locale).languageSaved);
    } catch (failure) {
      if (!isSignedOut(failure)) setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="language-title">
      <h2 id="language-title">{w.languageTitle}</h2>
      <form class="stack" noValidate onSubmit={save}>
        {error && (
          <p id="language-error" class="error-box" role="alert" tabIndex={-1} ref={alert}>
            {error}
          </p>
        )}
        <fieldset aria-describedby={error ? 'language-error' : undefined}>
          <legend>{w.languageLegend}</legend>
          <div class="choices">
            {LANGUAGES.map(({ locale, label }) => (
              <div class="choice" key={locale}>
                <input
                  type="radio"
                  id={`language-${locale}`}
                  name="language"
                  value={locale}
                  checked={chosen === locale}
                  onChange={() => setChosen(locale)}
                />
                <label for={`language-${locale}`} lang={locale}>
                  {label}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit" aria-busy={busy ? 'true' : undefined}>
          {busy ? w.saving : w.saveLanguage}
        </button>
      </form>
    </section>
  );
}

type Permission = NotificationPermission | 'unsupported';

function notificationPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * The sound and the desktop notification for each new lead, saved as they are ticked. Turning the
 * desktop notification on asks the browser's permission there and then (in the click, as browsers
 * require), and only then; if the browser says no, it says so and the box stays off.
 */
function AlertsForm() {
  const { api, session, t, announce, updateSession } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [alerts, setAlerts] = useState<AlertPreferences>(() => ({
    sound: session.staff.alerts?.sound === true,
    desktop: session.staff.alerts?.desktop === true,
  }));
  const [permission, setPermission] = useState<Permission>(notificationPermission);
  const [problem, setProblem] = useState<string | null>(null);
  const [soundProblem, setSoundProblem] = useState<string | null>(null);
  // What the person last chose, and what the server last confirmed: a tick made while an earlier one
  // is being saved is kept, and saved after it, never dropped.
  const wanted = useRef(alerts);
  const confirmed = useRef(alerts);
  const saving = useRef<Promise<void>>(Promise.resolve());

  const save = (next: AlertPreferences) => {
    wanted.current = next;
    setAlerts(next);
    saving.current = saving.current.then(async () => {
      const sending = wanted.current;
      if (sending.sound === confirmed.current.sound && sending.desktop === confirmed.current.desktop) return;
      try {
        const updated = await api.updateMe({ alerts: sending });
        confirmed.current = { sound: updated.staff.alerts.sound, desktop: updated.staff.alerts.desktop };
        updateSession(updated);
        // Said once the last choice is saved, not for each step on the way.
        if (wanted.current === sending) {
          setAlerts(confirmed.current);
          announce(w.alertsSaved(confirmed.current.sound, confirmed.current.desktop));
        }
      } catch (failure) {
        wanted.current = confirmed.current;
        setAlerts(confirmed.current);
        if (!isSignedOut(failure)) setProblem(errorMessage(failure, t));
      }
    });
  };

  const toggleSound = (event: Event) => {
    setProblem(null);
    save({ ...wanted.current, sound: (event.currentTarget as HTMLInputElement).checked });
  };

  const toggleDesktop = (event: Event) => {
    const box = event.currentTarget as HTMLInputElement;
    setProblem(null);
    if (!box.checked) {
      save({ ...wanted.current, desktop: false });
      return;
    }
    if (typeof Notification === 'undefined') {
      box.checked = false;
      setProblem(w.noNotifications);
      return;
    }
    if (Notification.permission === 'granted') {
      save({ ...wanted.current, desktop: true });
      return;
    }
    // Off until the browser says yes; asked here, inside the click, and nowhere else.
    box.checked = false;
    let asked: Promise<NotificationPermission>;
    try {
      asked = Promise.resolve(Notification.requestPermission());
    } catch {
      asked = Promise.resolve<NotificationPermission>('denied');
    }
    asked
      .catch((): NotificationPermission => 'denied')
      .then((answer) => {
        setPermission(answer);
        if (answer === 'granted') save({ ...wanted.current, desktop: true });
        else setProblem(w.notificationsRefused);
      });
  };

  const testSound = () => {
    setSoundProblem(playTestTone() ? null : w.noSound);
  };

  const notAllowedHere = alerts.desktop && permission !== 'granted' && !problem;
  return (
    <section class="panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{w.alertsTitle}</h2>
      <p id="alerts-intro" class="help">
        {w.alertsIntro}
      </p>
      <div class="stack">
        <div class="check">
          <input
            type="checkbox"
            id="alert-sound"
            checked={alerts.sound}
            aria-describedby="alerts-intro"
            onChange={toggleSound}
          />
          <label for="alert-sound">{w.soundLabel}</label>
        </div>
        <div class="check">
          <input
            type="checkbox"
            id="alert-desktop"
            checked={alerts.desktop}
            aria-describedby={['alert-desktop-help', problem || notAllowedHere ? 'alerts-problem' : '']
              .filter(Boolean)
              .join(' ')}
            onChange={toggleDesktop}
          />
          <label for="alert-desktop">{w.desktopLabel}</label>
          <span id="alert-desktop-help" class="help check-help">
            {w.desktopHelp}
          </span>
        </div>
        {problem ? (
          <p id="alerts-problem" class="error-box" role="alert">
            {problem}
          </p>
        ) : (
          notAllowedHere && (
            <p id="alerts-problem" class="notice">
              {w.notAllowedHere}
            </p>
          )
        )}
        <button type="button" aria-describedby={soundProblem ? 'sound-problem' : undefined} onClick={testSound}>
          {w.testSound}
        </button>
        {soundProblem && (
          <p id="sound-problem" class="error" role="alert">
            {soundProblem}
          </p>
        )}
      </div>
    </section>
  );
}

type PasswordFieldName = 'current' | 'password' | 'confirm';

/** Current, new and again; each field's problem beside it. Other sessions of the account end. */
function PasswordForm() {
  const { api, session, t, announce } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [values, setValues] = useState<Record<PasswordFieldName, string>>({ current: '', password: '', confirm: '' });
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const { fields, formError, alert, refuse, clear } = useRefusal<PasswordFieldName>(
    ['current', 'password', 'confirm'],
    (field) => `password-${field}`,
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setDone(false);
    const problems: Partial<Record<PasswordFieldName, string>> = {};
    if (values.current === '') problems.current = w.currentMissing;
    if (values.password.length < PASSWORD_MIN) problems.password = w.tooShort;
    else if (values.confirm !== values.password) problems.confirm = w.mismatch;
    if (Object.keys(problems).length > 0) return refuse(problems, null);
    setBusy(true);
    try {
      await api.changePassword(values.current, values.password);
      setValues({ current: '', password: '', confirm: '' });
      clear();
      setDone(true);
      announce(w.passwordChanged);
    } catch (failure) {
      if (isSignedOut(failure)) return;
      const next: Partial<Record<PasswordFieldName, string>> = {};
      let general: string | null = errorMessage(failure, t);
      if (failure instanceof ApiError) {
        if (failure.code === 'bad_credentials') {
          next.current = failure.message;
          general = null;
        }
        for (const issue of failure.issues) {
          if (issue.path === 'current' || issue.path === 'password') next[issue.path] = issue.message;
        }
        if (Object.keys(next).length > 0) general = null;
      }
      refuse(next, general);
    } finally {
      setBusy(false);
    }
  };

  const input = (
    field: PasswordFieldName,
    label: string,
    autocomplete: 'current-password' | 'new-password',
    help?: string,
  ) => (
    <PasswordField
      id={`password-${field}`}
      label={label}
      value={values[field]}
      autocomplete={autocomplete}
      help={help}
      error={fields[field]}
      formErrorId={formError ? 'password-form-error' : undefined}
      onInput={(value) => {
        setValues((current) => ({ ...current, [field]: value }));
        // "Password changed" is about the last one: typing a new one takes it away.
        setDone(false);
      }}
    />
  );

  return (
    <section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">{w.passwordTitle}</h2>
      <form class="stack narrow" noValidate onSubmit={submit}>
        {/* For password managers: whose password this is. */}
        <input type="email" name="username" autocomplete="username" value={session.staff.email} readOnly hidden />
        {formError && (
          <p id="password-form-error" class="error-box" role="alert" tabIndex={-1} ref={alert}>
            {formError}
          </p>
        )}
        {input('current', w.currentPassword, 'current-password')}
        {input('password', w.newPassword, 'new-password', w.passwordHelp)}
        {input('confirm', w.confirmPassword, 'new-password')}
        <button type="submit" class="primary" aria-busy={busy ? 'true' : undefined}>
          {busy ? w.saving : w.changePassword}
        </button>
        {done && <p class="done">{w.passwordChanged}</p>}
      </form>
    </section>
  );
}

/** The same two soft rising notes as a new lead's, made with the Web Audio API (no file). */
function playTestTone(): boolean {
  const holder: Holder = { current: null };
  const played = playTone(holder);
  // Closed once the notes are over, so test after test does not pile up contexts.
  setTimeout(() => void holder.current?.close?.().catch(() => {}), 600);
  return played;
}
