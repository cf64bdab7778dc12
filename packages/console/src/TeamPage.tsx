import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import './accounts.css';
import { ApiError } from './api.js';
import { useConsole } from './context.js';
import { type AccountsCopy, accountsCopy, handoverWords } from './copyAccounts.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import type { Handover, HandoverBody, Locale, Role, TeamMember } from './types.js';
import { useViewHeading } from './useFocusOnce.js';
import { useRefusal } from './useRefusal.js';

/** What an admin hands over after an invitation or a reset, shown once and kept only in this view. */
interface Shown {
  readonly id: number;
  readonly email: string;
  readonly kind: 'invite' | 'reset';
  /** The whole link, after this page's own origin (the server cannot know it behind a proxy). */
  readonly link?: string;
  readonly password?: string;
  readonly expiresAt: string | null;
}

type Field = 'email' | 'role' | 'locale' | 'handover';

let shownCount = 0;

function shownFrom(kind: 'invite' | 'reset', answer: HandoverBody): Shown {
  shownCount += 1;
  return {
    id: shownCount,
    email: answer.member.email,
    kind,
    ...(answer.link ? { link: location.origin + answer.link } : {}),
    ...(answer.password ? { password: answer.password } : {}),
    expiresAt: answer.member.linkExpiresAt,
  };
}

/**
 * Admins: the center's accounts (API.md, Admins only: team). A table on a desk and a card per account
 * on a phone; per account, its role, a password reset (by link or a generated password), an unlock
 * while locked, and removal, which asks first. The link or password an invitation or a reset makes is
 * shown once, in this view only: it is gone when the admin leaves the page.
 */
export function TeamPage() {
  const { api, session, t, announce } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const heading = useViewHeading();
  const listHeading = useRef<HTMLHeadingElement>(null);
  const [members, setMembers] = useState<TeamMember[] | null>(null);
  const [mfaRequired, setMfaRequired] = useState<boolean | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [shown, setShown] = useState<Shown | null>(null);

  useEffect(() => {
    api.team().then(
      (team) => {
        setMembers(team.members);
        setMfaRequired(team.mfaRequired);
      },
      (failure: unknown) => {
        if (!isSignedOut(failure)) setLoadError(failure);
      },
    );
  }, [api]);

  const put = (member: TeamMember) =>
    setMembers((current) => {
      const others = (current ?? []).filter((item) => item.email !== member.email);
      return [...others, member].sort((a, b) => a.email.localeCompare(b.email));
    });

  const handedOver = (kind: 'invite' | 'reset', answer: HandoverBody) => {
    put(answer.member);
    setShown(shownFrom(kind, answer));
    announce(kind === 'invite' ? w.inviteMade(answer.member.email) : w.resetMade(answer.member.email));
  };

  return (
    <div class="accounts">
      <h1 ref={heading} tabIndex={-1}>
        {w.teamTitle}
      </h1>
      <p class="help">{w.teamIntro}</p>
      {shown && (
        <HandoverBox
          key={shown.id}
          shown={shown}
          onHide={() => {
            setShown(null);
            // The box and its button are gone: the accounts, with the new one among them, keep the place.
            listHeading.current?.focus();
          }}
        />
      )}
      <section aria-labelledby="members-title">
        <h2 id="members-title" ref={listHeading} tabIndex={-1}>
          {w.membersTitle}
        </h2>
        {loadError !== null ? (
          <p class="error-box">{errorMessage(loadError, t)}</p>
        ) : !members ? (
          <p role="status">{t.loading}</p>
        ) : members.length === 0 ? (
          <p class="empty">{w.noMembers}</p>
        ) : (
          <table class="team">
            <caption class="sr-only">{w.membersTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{w.account}</th>
                <th scope="col">{w.role}</th>
                <th scope="col">{w.language}</th>
                <th scope="col">{w.lastSignIn}</th>
                <th scope="col">{w.state}</th>
                <th scope="col">{w.actions}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <MemberRow
                  key={member.email}
                  member={member}
                  onChanged={put}
                  onHandedOver={(answer) => handedOver('reset', answer)}
                  onRemoved={() => {
                    setMembers((current) => current?.filter((item) => item.email !== member.email) ?? null);
                    listHeading.current?.focus();
                    announce(w.removed(member.email));
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {mfaRequired !== null && <MfaRule required={mfaRequired} onChange={setMfaRequired} />}
      <InviteForm onInvited={(answer) => handedOver('invite', answer)} />
    </div>
  );
}

/** The center's rule: two-step sign-in for everyone. Saved as it is ticked; the server's refusal stays beside the box. */
function MfaRule({ required, onChange }: { required: boolean; onChange: (required: boolean) => void }) {
  const { api, session, t, announce } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = async (event: Event) => {
    const box = event.currentTarget as HTMLInputElement;
    const wanted = box.checked;
    // The box shows what the server holds: it moves once the server says so.
    box.checked = required;
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await api.requireMfa(wanted);
      onChange(answer.mfaRequired);
      announce(w.mfaRequiredNow(answer.mfaRequired));
    } catch (failure) {
      if (!isSignedOut(failure)) setProblem(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="mfa-rule-title">
      <h2 id="mfa-rule-title">{w.mfaTitle}</h2>
      <div class="check">
        <input
          type="checkbox"
          id="mfa-required"
          checked={required}
          aria-busy={busy ? 'true' : undefined}
          aria-describedby={problem ? 'mfa-required-help mfa-required-error' : 'mfa-required-help'}
          onChange={toggle}
        />
        <label for="mfa-required">{w.requireMfa}</label>
        <span id="mfa-required-help" class="help check-help">
          {w.requireMfaHelp}
        </span>
      </div>
      {problem && (
        <p id="mfa-required-error" class="error-box" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** The link or password, once, with Copy and how to hand it over; focused as it appears. */
function HandoverBox({ shown, onHide }: { shown: Shown; onHide: () => void }) {
  const { session, format, announce } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const title = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const value = shown.link ?? shown.password ?? '';
  const isLink = shown.link !== undefined;

  useLayoutEffect(() => {
    title.current?.focus();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
      announce(w.copied);
    } catch {
      // No clipboard here (an http page, a refused permission): the text is selected, to copy by hand.
      setCopied('failed');
      announce(w.copyFailed);
      field.current?.focus();
      field.current?.select();
    }
  };

  return (
    <section class="handover" aria-labelledby="handover-title">
      <h2 id="handover-title" ref={title} tabIndex={-1}>
        {isLink ? w.handoverLinkTitle(shown.email) : w.handoverPasswordTitle(shown.email)}
      </h2>
      <p class="handover-once">{w.shownOnce}</p>
      <div class="field">
        <label for="handover-value">{isLink ? w.linkLabel : w.passwordLabel}</label>
        <div class="handover-row">
          <input
            id="handover-value"
            ref={field}
            type="text"
            readOnly
            value={value}
            class="handover-value"
            autocomplete="off"
            spellcheck={false}
            aria-describedby="handover-how"
            onFocus={(event) => event.currentTarget.select()}
          />
          <button type="button" class="primary" onClick={copy}>
            {w.copy}
          </button>
        </div>
      </div>
      <p id="handover-how">
        {isLink
          ? w.handOverLink(shown.email, shown.expiresAt ? format.dateTime(shown.expiresAt) : '')
          : w.handOverPassword(shown.email)}
      </p>
      {/* The live region says it; here it stays in sight. */}
      {copied && <p class={copied === 'failed' ? 'error' : 'done'}>{copied === 'yes' ? w.copied : w.copyFailed}</p>}
      <button type="button" onClick={onHide}>
        {w.hide}
      </button>
    </section>
  );
}

type Mode = null | 'reset' | 'remove' | 'mfa';

function MemberRow({
  member,
  onChanged,
  onHandedOver,
  onRemoved,
}: {
  member: TeamMember;
  onChanged: (member: TeamMember) => void;
  onHandedOver: (answer: HandoverBody) => void;
  onRemoved: () => void;
}) {
  const { api, session, t, format, announce, serverNow, updateSession } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [mode, setMode] = useState<Mode>(null);
  /** Opens one of the row's confirmations, without the message of the last. */
  const ask = (next: Mode) => {
    setError(null);
    setMode(next);
  };
  const [handover, setHandover] = useState<Handover>('link');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = useRef<HTMLTableCellElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const alert = useRef<HTMLParagraphElement>(null);
  const self = member.email.toLowerCase() === session.staff.email.toLowerCase();
  const slug = member.email.replace(/[^a-z0-9]/gi, (char) => `_${char.charCodeAt(0).toString(16)}`);
  const id = (part: string) => `member-${slug}-${part}`;
  const now = serverNow();
  const locked = member.lockedUntil !== null && Date.parse(member.lockedUntil) > now;

  useLayoutEffect(() => {
    if (mode === 'remove' || mode === 'mfa') safe.current?.focus();
    if (mode === 'reset') firstChoice.current?.focus();
  }, [mode]);
  useLayoutEffect(() => {
    if (error) alert.current?.focus();
  }, [error]);

  /** Runs one action on this account; its error is shown next to this row's actions. */
  const act = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      if (!isSignedOut(failure)) setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const changeRole = (role: Role) =>
    act(async () => {
      const updated = await api.changeRole(member.email, role);
      onChanged(updated);
      announce(w.roleNow(updated.email, updated.role));
      // Your own role: the console follows it (an admin made staff no longer sees this page).
      if (self) updateSession(await api.session());
    });

  const reset = () =>
    act(async () => {
      const answer = await api.resetPassword(member.email, handover);
      setMode(null);
      onHandedOver(answer);
    });

  const unlock = () =>
    act(async () => {
      const updated = await api.unlock(member.email);
      onChanged(updated);
      // The button is gone now; the account's name keeps the place.
      name.current?.focus();
      announce(w.unlocked(updated.email));
    });

  const remove = () =>
    act(async () => {
      try {
        await api.removeMember(member.email);
      } catch (failure) {
        // The question is answered: the row's own buttons come back, with the server's reason beside them.
        setMode(null);
        throw failure;
      }
      onRemoved();
      if (self) await api.session();
    });

  const resetMfa = () =>
    act(async () => {
      const updated = await api.resetMfa(member.email);
      setMode(null);
      onChanged(updated);
      name.current?.focus();
      announce(w.mfaResetDone(updated.email));
    });

  const cancel = () => {
    setMode(null);
    name.current?.focus();
  };

  const busyAttribute = busy ? 'true' : undefined;
  // Each action names its account, and the error it last met.
  const describedBy = error ? `${id('name')} ${id('error')}` : id('name');
  return (
    <tr class={locked ? 'is-locked' : undefined}>
      <th scope="row" data-label={w.account} class="wrap" id={id('name')} ref={name} tabIndex={-1}>
        {member.email}
        {self && <span class="help"> ({w.you})</span>}
      </th>
      <td data-label={w.role}>{w.roles[member.role]}</td>
      <td data-label={w.language}>{w.languages[member.locale]}</td>
      <td data-label={w.lastSignIn}>
        {member.lastSignInAt ? (
          <time dateTime={member.lastSignInAt}>{format.dateTime(member.lastSignInAt)}</time>
        ) : (
          w.neverSignedIn
        )}
        {member.linkExpiresAt && (
          <span class="help block">
            {Date.parse(member.linkExpiresAt) > now
              ? w.linkWorksUntil(format.dateTime(member.linkExpiresAt))
              : w.linkExpired(format.dateTime(member.linkExpiresAt))}
          </span>
        )}
      </td>
      <td data-label={w.state}>
        {locked && member.lockedUntil ? (
          <span class="badge locked">{w.lockedUntil(format.dateTime(member.lockedUntil))}</span>
        ) : member.lastSignInAt === null ? (
          w.invited
        ) : (
          w.active
        )}
        {member.mfaEnabledAt && <span class="help block">{w.mfaBadge}</span>}
      </td>
      <td data-label={w.actions} class="member-actions">
        {mode === null && (
          <div class="actions">
            <button
              type="button"
              aria-describedby={describedBy}
              aria-busy={busyAttribute}
              onClick={() => changeRole(member.role === 'admin' ? 'staff' : 'admin')}
            >
              {member.role === 'admin' ? w.makeStaff : w.makeAdmin}
            </button>
            {/* Your own password changes in My settings: a reset would sign you out before you saw the link. */}
            {!self && (
              <button
                type="button"
                aria-describedby={describedBy}
                aria-busy={busyAttribute}
                onClick={() => {
                  setHandover('link');
                  ask('reset');
                }}
              >
                {w.resetPassword}
              </button>
            )}
            {locked && (
              <button type="button" aria-describedby={describedBy} aria-busy={busyAttribute} onClick={unlock}>
                {w.unlock}
              </button>
            )}
            {/* Your own is turned off in My settings, with your password. */}
            {member.mfaEnabledAt && !self && (
              <button type="button" aria-describedby={describedBy} aria-busy={busyAttribute} onClick={() => ask('mfa')}>
                {w.resetMfa}
              </button>
            )}
            <button
              type="button"
              class="danger"
              aria-describedby={describedBy}
              aria-busy={busyAttribute}
              onClick={() => ask('remove')}
            >
              {w.remove}
            </button>
          </div>
        )}
        {mode === 'reset' && (
          <fieldset class="confirm" aria-describedby={id('reset-warning')}>
            <legend>{w.handoverLegend}</legend>
            <p id={id('reset-warning')} class="help">
              {w.resetWarning(member.email)}
              {member.mfaEnabledAt && ` ${w.resetMfaToo}`}
            </p>
            <HandoverChoice
              name={id('handover')}
              value={handover}
              onChange={setHandover}
              w={w}
              firstRef={firstChoice}
            />
            <div class="actions">
              <button type="button" class="primary" aria-busy={busyAttribute} onClick={reset}>
                {w.confirmReset}
              </button>
              <button type="button" onClick={cancel}>
                {w.cancel}
              </button>
            </div>
          </fieldset>
        )}
        {mode === 'mfa' && (
          <fieldset class="confirm" aria-describedby={id('mfa-warning')}>
            <legend class="confirm-question wrap">{w.resetMfa}</legend>
            <p id={id('mfa-warning')} class="help">
              {w.resetMfaWarning(member.email)}
            </p>
            <div class="actions">
              <button type="button" ref={safe} onClick={cancel}>
                {w.cancel}
              </button>
              <button type="button" class="primary" aria-busy={busyAttribute} onClick={resetMfa}>
                {w.resetMfa}
              </button>
            </div>
          </fieldset>
        )}
        {mode === 'remove' && (
          <fieldset class="confirm" aria-describedby={id('remove-warning')}>
            <legend class="confirm-question wrap">{w.removeQuestion(member.email)}</legend>
            <p id={id('remove-warning')} class="help">
              {w.removeWarning}
              {self && ` ${w.removeSelfWarning}`}
            </p>
            <div class="actions">
              {/* The safe choice first, and focused. */}
              <button type="button" ref={safe} onClick={cancel}>
                {w.keepAccount}
              </button>
              <button type="button" class="danger" aria-busy={busyAttribute} onClick={remove}>
                {w.confirmRemove}
              </button>
            </div>
          </fieldset>
        )}
        {error && (
          <p id={id('error')} class="error-box" role="alert" tabIndex={-1} ref={alert}>
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

/** A link (the default) or a generated password, each with a line on what it means. */
function HandoverChoice({
  name,
  value,
  onChange,
  w,
  firstRef,
  describedBy,
}: {
  name: string;
  value: Handover;
  onChange: (handover: Handover) => void;
  w: AccountsCopy;
  firstRef?: RefObject<HTMLInputElement> | undefined;
  describedBy?: string | undefined;
}) {
  return (
    <div class="choices">
      {(['link', 'password'] as const).map((handover, index) => {
        const words = handoverWords(w, handover);
        const key = `${name}-${handover}`;
        return (
          <div class="choice" key={handover}>
            <input
              type="radio"
              id={key}
              name={name}
              value={handover}
              checked={value === handover}
              ref={(index === 0 && firstRef) || null}
              aria-describedby={[`${key}-help`, describedBy].filter(Boolean).join(' ')}
              onChange={() => onChange(handover)}
            />
            <label for={key}>{words.label}</label>
            <span id={`${key}-help`} class="help choice-help">
              {words.help}
            </span>
          </div>
        );
      })}
    </div>
  );
}

/** E-mail, role, language and handover; the server's refusals shown beside the field they concern. */
function InviteForm({ onInvited }: { onInvited: (answer: HandoverBody) => void }) {
  const { api, session, t } = useConsole();
  const w = accountsCopy(session.staff.locale);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [locale, setLocale] = useState<Locale>(session.staff.locale);
  const [handover, setHandover] = useState<Handover>('link');
  const [busy, setBusy] = useState(false);
  // The e-mail and language fields take focus themselves; the radio groups' errors do for them.
  const { fields, formError, alert, refuse, clear } = useRefusal<Field>(
    ['email', 'role', 'locale', 'handover'],
    (field) => (field === 'email' || field === 'locale' ? `invite-${field}` : `invite-${field}-error`),
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const address = email.trim();
    if (!address) return refuse({ email: w.emailMissing });
    setBusy(true);
    try {
      const answer = await api.invite({ email: address, role, locale, handover });
      setEmail('');
      setRole('staff');
      setHandover('link');
      clear();
      onInvited(answer);
    } catch (failure) {
      if (isSignedOut(failure)) return;
      const next: Partial<Record<Field, string>> = {};
      let general: string | null = errorMessage(failure, t);
      if (failure instanceof ApiError) {
        if (failure.code === 'staff_exists') {
          next.email = failure.message;
          general = null;
        }
        for (const issue of failure.issues) {
          if (isField(issue.path)) next[issue.path] = issue.message;
        }
      }
      refuse(next, general);
    } finally {
      setBusy(false);
    }
  };

  const errorId = (field: Field) => (fields[field] ? `invite-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    fields[field] && (
      <p id={`invite-${field}-error`} class="error field-error" tabIndex={-1}>
        {fields[field]}
      </p>
    );

  return (
    <section class="panel invite" aria-labelledby="invite-title">
      <h2 id="invite-title">{w.inviteTitle}</h2>
      <form class="stack" noValidate onSubmit={submit}>
        {formError && (
          <p id="invite-error" class="error-box" role="alert" tabIndex={-1} ref={alert}>
            {formError}
          </p>
        )}
        <div class="field">
          <label for="invite-email">{w.inviteEmail}</label>
          <input
            id="invite-email"
            type="email"
            autocomplete="off"
            inputMode="email"
            autoCapitalize="none"
            spellcheck={false}
            required
            value={email}
            aria-invalid={fields.email ? 'true' : undefined}
            aria-describedby={errorId('email') ?? (formError ? 'invite-error' : undefined)}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
          {fieldError('email')}
        </div>
        <fieldset aria-describedby={errorId('role')}>
          <legend>{w.inviteRole}</legend>
          <div class="choices">
            {(['staff', 'admin'] as const).map((choice) => (
              <div class="choice" key={choice}>
                <input
                  type="radio"
                  id={`invite-role-${choice}`}
                  name="invite-role"
                  value={choice}
                  checked={role === choice}
                  aria-describedby={`invite-role-${choice}-help`}
                  onChange={() => setRole(choice)}
                />
                <label for={`invite-role-${choice}`}>{w.roles[choice]}</label>
                <span id={`invite-role-${choice}-help`} class="help choice-help">
                  {w.roleHelp[choice]}
                </span>
              </div>
            ))}
          </div>
          {fieldError('role')}
        </fieldset>
        <div class="field">
          <label for="invite-locale">{w.inviteLanguage}</label>
          <select
            id="invite-locale"
            value={locale}
            aria-invalid={fields.locale ? 'true' : undefined}
            aria-describedby={errorId('locale')}
            onChange={(event) => setLocale(event.currentTarget.value as Locale)}
          >
            <option value="en">English</option>
            <option value="es" lang="es">
              Español
            </option>
          </select>
          {fieldError('locale')}
        </div>
        <fieldset aria-describedby={errorId('handover')}>
          <legend>{w.handoverLegend}</legend>
          <HandoverChoice name="invite-handover" value={handover} onChange={setHandover} w={w} />
          {fieldError('handover')}
        </fieldset>
        <button type="submit" class="primary" aria-busy={busy ? 'true' : undefined}>
          {busy ? w.inviting : w.invite}
        </button>
      </form>
    </section>
  );
}

function isField(path: string): path is Field {
  return path === 'email' || path === 'role' || path === 'locale' || path === 'handover';
}
