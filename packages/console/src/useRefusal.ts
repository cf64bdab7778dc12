import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A form's refusal: each field's problem, and the form's own message for what no field explains. After
 * each refusal, focus goes to the first field named (in `order`), so that its label and error are read
 * together, or else to the message (give it `alert` as its ref). `idOf` names the element to focus.
 */
export function useRefusal<F extends string>(order: readonly F[], idOf: (field: F) => string) {
  const [fields, setFields] = useState<Partial<Record<F, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const alert = useRef<HTMLParagraphElement>(null);

  useLayoutEffect(() => {
    if (attempt === 0) return;
    const first = order.find((field) => fields[field]);
    if (first) document.getElementById(idOf(first))?.focus();
    else if (formError) alert.current?.focus();
  }, [attempt]);

  return {
    fields,
    formError,
    alert,
    refuse(next: Partial<Record<F, string>>, general: string | null = null) {
      setFields(next);
      setFormError(general);
      setAttempt((count) => count + 1);
    },
    clear() {
      setFields({});
      setFormError(null);
    },
  };
}
