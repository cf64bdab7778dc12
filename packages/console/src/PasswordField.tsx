import type { ComponentChildren } from 'preact';
/**
 * A password field as every password form here has it: its label, an optional help line, its own
 * error under it (read with the field: aria-describedby) and, with none, the form's message.
 */
export function PasswordField({
  id,
  label,
  value,
  autocomplete,
  help,
  error,
  formErrorId,
  onInput,
}: {
  id: string;
  label: string;
  value: string;
  autocomplete: 'current-password' | 'new-password';
  help?: string | undefined;
  error?: string | undefined;
  /** The id of the form's own message, when it shows one. */
  formErrorId?: string | undefined;
  onInput: (value: string) => void;
}) {
  return (
    <FieldFrame id={id} label={label} help={help} error={error}>
      {(described) => (
        <input
          id={id}
          type="password"
          autocomplete={autocomplete}
          required
          value={value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described ?? formErrorId}
          onInput={(event) => onInput(event.currentTarget.value)}
        />
      )}
    </FieldFrame>
  );
}

/**
 * What every text field of the account forms has around its input: the label, an optional help line,
 * and its own error under it. `children` gets the ids the input is described by (help, error), if any.
 */
export function FieldFrame({
  id,
  label,
  help,
  error,
  alert = false,
  children,
}: {
  id: string;
  label: string;
  help?: string | undefined;
  error?: string | null | undefined;
  /** Announce the error as it appears (a field that is the form's only one). */
  alert?: boolean;
  children: (describedBy: string | undefined) => ComponentChildren;
}) {
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {help && (
        <span id={`${id}-help`} class="help">
          {help}
        </span>
      )}
      {children(described || undefined)}
      {error && (
        <p id={`${id}-error`} class="error field-error" role={alert ? 'alert' : undefined}>
          {error}
        </p>
      )}
    </div>
  );
}
