import type { MfaEnrolment } from '@intake-chat/server/console-api';
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import './accounts.css';
import type { Api } from './api.js';
import type { Copy } from './copy.js';
import type { AccountsCopy } from './copyAccounts.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { FieldFrame } from './PasswordField.js';
import type { Session } from './types.js';

interface Props {
  readonly api: Api;
  readonly t: Copy;
  readonly w: AccountsCopy;
  readonly email: string;
  /** 1 as a page of its own (at sign-in), 3 inside My settings' section. */
  readonly level: 1 | 3;
  /** Said under the heading: why this is asked now. */
  readonly intro?: string | undefined;
  /** After the recovery codes were saved: the session with two-step sign-in on. */
  readonly onEnabled: (session: Session) => void;
  readonly onCancel?: (() => void) | undefined;
}

/**
 * Setting up an authenticator app (API.md, Two-step sign-in): the QR code the server made, with the
 * key as text beside it for those who cannot scan, then the first code, then the recovery codes shown
 * once. Each step's heading takes focus as it appears.
 */
export function MfaSetup({ api, t, w, email, level, intro, onEnabled, onCancel }: Props) {
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [enabled, setEnabled] = useState<{ codes: string[]; session: Session } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const refused = useRefusedField(field);
  const Heading = level === 1 ? 'h1' : 'h3';

  useEffect(() => {
    api.startMfa().then(setEnrolment, (failure: unknown) => {
      if (!isSignedOut(failure)) setError(errorMessage(failure, t));
    });
  }, [api]);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, [enrolment !== null]);

  const confirm = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const answer = await api.confirmMfa(code);
      setError(null);
      setEnabled({ codes: answer.recoveryCodes, session: answer.session });
    } catch (failure) {
      if (isSignedOut(failure)) return;
      setError(errorMessage(failure, t));
      refused();
    } finally {
      setBusy(false);
    }
  };

  if (enabled) {
    return (
      <RecoveryCodes
        codes={enabled.codes}
        email={email}
        w={w}
        level={level}
        onSaved={() => onEnabled(enabled.session)}
      />
    );
  }
  if (!enrolment) {
    return error ? (
      <p class="error-box" role="alert">
        {error}
      </p>
    ) : (
      <p role="status">{t.loading}</p>
    );
  }
  return (
    <div class="mfa-setup">
      <Heading ref={heading} tabIndex={-1}>
        {w.setUp}
      </Heading>
      {intro && <p class="notice">{intro}</p>}
      <ol class="mfa-steps">
        <li>{w.stepApp}</li>
        <li>
          {w.stepScan}
          <img
            class="mfa-qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
            alt={w.qrAlt}
            width={200}
            height={200}
          />
          <span class="block">{w.cantScan}</span>
          <code class="mfa-key">{enrolment.secret.match(/.{1,4}/g)?.join(' ')}</code>
        </li>
        <li>
          <form class="stack narrow" noValidate onSubmit={confirm}>
            <CodeField
              id="mfa-code"
              label={w.codeLabel}
              value={code}
              error={error}
              inputRef={field}
              onInput={setCode}
            />
            <div class="actions">
              <button type="submit" class="primary" aria-busy={busy ? 'true' : undefined}>
                {busy ? w.saving : w.turnOn}
              </button>
              {onCancel && (
                <button type="button" onClick={onCancel}>
                  {w.cancel}
                </button>
              )}
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

/**
 * After a refused code: the field takes focus with its text selected, once the error is under it, so
 * that its label and error are read together and the next code replaces the last.
 */
export function useRefusedField(field: RefObject<HTMLInputElement>): () => void {
  const [refusals, setRefusals] = useState(0);
  useLayoutEffect(() => {
    if (refusals === 0) return;
    field.current?.focus();
    field.current?.select();
  }, [refusals]);
  return () => setRefusals((count) => count + 1);
}

/** A code from the app or a recovery code: digits on a phone's number pad, filled in by the phone where it can, its error read with it. */
export function CodeField({
  id,
  label,
  value,
  error,
  help,
  inputRef,
  onInput,
}: {
  id: string;
  label: string;
  value: string;
  error: string | null;
  help?: string | undefined;
  inputRef?: RefObject<HTMLInputElement> | undefined;
  onInput: (value: string) => void;
}) {
  return (
    <FieldFrame id={id} label={label} help={help} error={error} alert>
      {(described) => (
        <input
          id={id}
          ref={inputRef ?? null}
          type="text"
          class="code-input"
          inputMode="numeric"
          autocomplete="one-time-code"
          spellcheck={false}
          required
          value={value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
          onInput={(event) => onInput(event.currentTarget.value)}
        />
      )}
    </FieldFrame>
  );
}

/** The recovery codes, this once: to select or download, then "I have saved them". Its heading takes focus. */
function RecoveryCodes({
  codes,
  email,
  w,
  level,
  onSaved,
}: {
  codes: string[];
  email: string;
  w: AccountsCopy;
  level: 1 | 3;
  onSaved: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const Heading = level === 1 ? 'h1' : 'h3';
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  const text = `${w.codesTitle}: ${email}\n\n${codes.join('\n')}\n`;
  return (
    <div class="mfa-setup">
      <Heading ref={heading} tabIndex={-1}>
        {w.codesTitle}
      </Heading>
      <p id="codes-intro" class="handover-once">
        {w.codesIntro}
      </p>
      <ol class="recovery-codes" aria-describedby="codes-intro">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      {/* As text, to select and copy, and as a file; the page keeps no copy once it moves on. */}
      <p>
        <a href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="recovery-codes.txt">
          {w.downloadCodes}
        </a>
      </p>
      <button type="button" class="primary" onClick={onSaved}>
        {w.saved}
      </button>
    </div>
  );
}
