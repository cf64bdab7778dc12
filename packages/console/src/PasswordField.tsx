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
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {help && (
        <span id={`${id}-help`} class="help">
          {help}
        </span>
      )}
      <input
        id={id}
        type="password"
        autocomplete={autocomplete}
        required
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || formErrorId}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {error && (
        <p id={`${id}-error`} class="error field-error">
          {error}
        </p>
      )}
    </div>
  );
}
