import type { FormIssue, CallbackForm as FormValues } from '@intake-chat/engine';
import { contactProblems, usStates } from '@intake-chat/engine/schema';
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { copyFor } from './copy.js';
import type { FrameActor } from './createFrameActor.js';
import type { FrameSettings } from './settings.js';
import type { useSnapshot } from './useSnapshot.js';
import { usStateNames } from './usStateNames.js';

interface Props {
  readonly actor: FrameActor;
  readonly snapshot: ReturnType<typeof useSnapshot>;
  readonly settings: FrameSettings;
}

const FIELDS = new Set(['name', 'phone', 'bestTime', 'voicemailOk', 'textOk', 'state', 'adult', 'forWhom', 'consent']);

const EMPTY: FormValues = {
  name: '',
  phone: '',
  bestTime: 'anytime',
  voicemailOk: false,
  textOk: false,
  state: '',
  adult: false,
  consentCall: false,
  consentText: false,
};

/**
 * docs/conversation.md's minimum callback set and a separate, unticked consent box with the center's own text.
 * The machine checks the form with the lead schema the server uses; this component shows its issues
 * next to their fields, announces how many there are, and moves focus to the first.
 */
export function CallbackForm({ actor, snapshot, settings }: Props) {
  const { locale, formIssues, flow } = snapshot.context;
  const t = copyFor(locale);
  const [values, setValues] = useState<FormValues>(() => ({ ...EMPTY, ...snapshot.context.form }));
  const [submits, setSubmits] = useState(0);
  // What was sent with the last submit: an issue clears once its field changed and is now valid.
  const [sent, setSent] = useState<FormValues>(values);
  const form = useRef<HTMLFormElement>(null);
  const askForWhom = !flow.steps.some((step) => step.id === 'for-whom');
  const forWhom = values.forWhom ?? snapshot.context.answers['for-whom'];
  const stillWrong = new Set(
    contactProblems({ ...values, forWhom }, { call: values.consentCall, text: consentsToText(values) }, locale).map(
      (issue) => fieldOf(issue.path),
    ),
  );
  const shown = formIssues.filter((issue) => {
    const name = fieldOf(issue.path);
    return stillWrong.has(name) || !changed(name, values, sent);
  });
  const issues = issuesByField(shown);
  // The consent text matches what the visitor allows: calls only, or calls and texts.
  const consent = values.textOk ? settings.consent.callAndText : settings.consent.call;
  // From the latest values, not this render's: two changes in one event must not undo each other.
  const set = (change: Partial<FormValues>) => setValues((current) => ({ ...current, ...change }));

  // Focus moves as the DOM changes, never a frame later, when the visitor may already be typing.
  useLayoutEffect(() => {
    if (submits === 0) {
      form.current?.querySelector<HTMLElement>('h2')?.focus();
      return;
    }
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [submits, formIssues]);

  const field = (name: string) => ({
    id: `field-${name}`,
    'aria-invalid': issues.has(name) ? ('true' as const) : undefined,
    'aria-describedby':
      [issues.has(name) ? `error-${name}` : '', name === 'phone' ? 'hint-phone' : ''].filter(Boolean).join(' ') ||
      undefined,
  });

  return (
    <form
      ref={form}
      class="callback"
      noValidate
      aria-labelledby="form-title"
      onSubmit={(event) => {
        event.preventDefault();
        setSubmits(submits + 1);
        setSent(values);
        actor.send({ type: 'form.submit', form: { ...values, consentText: consentsToText(values) } });
      }}
    >
      <h2 id="form-title" tabIndex={-1}>
        {t.formHeading}
      </h2>
      <p>{t.formIntro}</p>
      {submits > 0 && issues.size > 0 && (
        <p class="error-summary" role="alert">
          {t.fixErrors(issues.size)}
        </p>
      )}
      {issues.get('') && <p class="error">{issues.get('')}</p>}

      <Field label={t.name} name="name" error={issues.get('name')}>
        <input
          {...field('name')}
          type="text"
          autocomplete="given-name"
          maxLength={60}
          value={values.name}
          onInput={(event) => set({ name: event.currentTarget.value })}
        />
      </Field>
      <Field label={t.phone} name="phone" error={issues.get('phone')}>
        <p class="help" id="hint-phone">
          {t.phoneHint}
        </p>
        <input
          {...field('phone')}
          type="tel"
          inputMode="tel"
          autocomplete="tel-national"
          maxLength={30}
          value={values.phone}
          onInput={(event) => set({ phone: event.currentTarget.value })}
        />
      </Field>
      <Radios
        legend={t.bestTime}
        name="bestTime"
        options={t.times}
        value={values.bestTime}
        onChange={(bestTime) => set({ bestTime })}
      />
      <div class="field">
        <Check checked={values.voicemailOk} onChange={(voicemailOk) => set({ voicemailOk })} label={t.voicemailOk} />
        <Check checked={values.textOk} onChange={(textOk) => set({ textOk })} label={t.textOk} />
      </div>
      <Field label={t.state} name="state" error={issues.get('state')}>
        <select
          {...field('state')}
          value={values.state}
          onChange={(event) => set({ state: event.currentTarget.value })}
        >
          <option value="">{t.chooseState}</option>
          {usStates.map((code) => (
            <option key={code} value={code}>
              {usStateNames[code] ?? code}
            </option>
          ))}
        </select>
      </Field>
      {askForWhom && (
        <Radios
          legend={t.forWhom}
          name="forWhom"
          options={t.forWhomOptions}
          value={values.forWhom}
          onChange={(forWhom) => set({ forWhom })}
          error={issues.get('forWhom')}
        />
      )}
      <div class="field">
        <Check {...field('adult')} checked={values.adult} onChange={(adult) => set({ adult })} label={t.adult} />
        <ErrorText name="adult" error={issues.get('adult')} />
      </div>
      <fieldset class="field consent">
        <legend>{t.consentHeading}</legend>
        <Check
          {...field('consent')}
          checked={values.consentCall}
          onChange={(consentCall) => set({ consentCall })}
          label={consent.text[locale] ?? consent.text.en ?? ''}
        />
        <ErrorText name="consent" error={issues.get('consent')} />
      </fieldset>
      <div class="dock">
        <button type="submit" class="primary" data-primary>
          {t.submit}
        </button>
      </div>
      <p class="help">{t.orCall(settings.phone)}</p>
      <button type="button" class="secondary back" onClick={() => actor.send({ type: 'visitor.back' })}>
        {t.back}
      </button>
    </form>
  );
}

function Field(props: { label: string; name: string; error: string | undefined; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={`field-${props.name}`}>{props.label}</label>
      {props.children}
      <ErrorText name={props.name} error={props.error} />
    </div>
  );
}

/** A labelled group of radio buttons, one per option, with its error below. */
function Radios(props: {
  legend: string;
  name: string;
  options: Readonly<Record<string, string>>;
  value: string | undefined;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset class="field" aria-invalid={props.error ? 'true' : undefined}>
      <legend>{props.legend}</legend>
      <div class="options">
        {Object.entries(props.options).map(([value, label]) => (
          <label key={value} class="check">
            <input
              type="radio"
              name={props.name}
              value={value}
              checked={props.value === value}
              onChange={() => props.onChange(value)}
            />
            <span>{label}</span>
          </label>
        ))}
      </div>
      <ErrorText name={props.name} error={props.error} />
    </fieldset>
  );
}

function ErrorText({ name, error }: { name: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p class="error" id={`error-${name}`}>
      {error}
    </p>
  );
}

function Check(props: {
  id?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  'aria-invalid'?: 'true' | undefined;
  'aria-describedby'?: string | undefined;
}) {
  const { label, onChange, ...input } = props;
  return (
    <label class="check">
      <input type="checkbox" {...input} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span>{label}</span>
    </label>
  );
}

/** Issues keyed by form field ("phone", "consent"...), already in the visitor's language (the engine's table). */
function issuesByField(issues: readonly FormIssue[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const name = fieldOf(issue.path);
    if (!byField.has(name)) byField.set(name, issue.message);
  }
  return byField;
}

/** The form field an issue's path names; anything not on this form (a flow or key problem) is ''. */
function fieldOf(path: string): string {
  const field = path.startsWith('consent.') ? 'consent' : path.replace(/^contact\./, '');
  return FIELDS.has(field) ? field : '';
}

const FIELD_VALUES: Readonly<Record<string, readonly (keyof FormValues)[]>> = {
  consent: ['consentCall', 'textOk'],
};

function changed(name: string, now: FormValues, then: FormValues): boolean {
  const keys = FIELD_VALUES[name] ?? [name as keyof FormValues];
  return keys.some((key) => now[key] !== then[key]);
}

/** Texts are covered only when the call-consent box is ticked and the visitor allows texts. */
const consentsToText = (values: FormValues) => values.consentCall && values.textOk;
