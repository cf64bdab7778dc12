import { DEFAULT_TEXT_LIMIT, localize } from '@intake-chat/engine';
import type { AnswerValue, Flow, Step } from '@intake-chat/engine/schema';
import { useState } from 'preact/hooks';
import { copyFor } from './copy.js';

interface Props {
  readonly flow: Flow;
  readonly step: Step;
  readonly locale: string;
  /** The earlier answer, when the visitor came Back to this question. */
  readonly value: AnswerValue | undefined;
  readonly onAnswer: (value: AnswerValue) => void;
  /** `draft`: what a text box holds, which the engine checks for crisis words before it is dropped. */
  readonly onSkip: (draft?: string) => void;
}

/**
 * How the visitor answers one question: quick-reply buttons for a choice, a checkbox group for a
 * multi-choice, a text box for text. The group is labelled by the question in the log above.
 */
export function QuestionControls({ flow, step, locale, value, onAnswer, onSkip }: Props) {
  const t = copyFor(locale);
  const options = step.options ?? [];
  const skipButton = (draft?: () => string) =>
    step.optional && (
      <button type="button" class="link" onClick={() => onSkip(draft?.())}>
        {t.skip}
      </button>
    );
  const skip = skipButton();
  const help = step.help && (
    <p class="help" id="step-help">
      {localize(step.help, locale, flow)}
    </p>
  );

  if (step.kind === 'choice') {
    return (
      <fieldset aria-labelledby="prompt" aria-describedby={step.help ? 'step-help' : undefined}>
        {help}
        <div class="choices">
          {options.map((option, i) => (
            <button
              key={option.value}
              type="button"
              data-primary={i === 0 ? true : undefined}
              class={`choice${value === option.value ? ' chosen' : ''}`}
              aria-pressed={value === option.value ? true : undefined}
              onClick={() => onAnswer(option.value)}
            >
              {localize(option.label, locale, flow)}
            </button>
          ))}
        </div>
        {skip}
      </fieldset>
    );
  }
  if (step.kind === 'multi') return <MultiChoice {...{ flow, step, locale, value, onAnswer }} extra={skip} />;
  return <TextAnswer {...{ flow, step, locale, value, onAnswer }} skip={skipButton} help={help} />;
}

function MultiChoice({ flow, step, locale, value, onAnswer, extra }: Omit<Props, 'onSkip'> & { extra: unknown }) {
  const t = copyFor(locale);
  const [chosen, setChosen] = useState<readonly string[]>(Array.isArray(value) ? value : []);
  const [tried, setTried] = useState(false);
  const options = step.options ?? [];
  const toggle = (optionValue: string, on: boolean) => {
    const option = options.find((candidate) => candidate.value === optionValue);
    // "None of these" cannot be combined with the others: choosing it clears them, and back.
    if (!on) setChosen(chosen.filter((v) => v !== optionValue));
    else if (option?.exclusive) setChosen([optionValue]);
    else
      setChosen([...chosen.filter((v) => !options.find((candidate) => candidate.value === v)?.exclusive), optionValue]);
  };
  return (
    <fieldset class="multi" aria-describedby="multi-hint">
      <legend class="sr-only">{localize(step.prompt, locale, flow)}</legend>
      <p class="help" id="multi-hint">
        {t.chooseAny}
      </p>
      {/* Announced at once: focus stays on Continue, so a changed description would go unheard. */}
      {tried && chosen.length === 0 && (
        <p class="error" role="alert">
          {t.chooseOne}
        </p>
      )}
      {options.map((option) => (
        <label key={option.value} class={`check${chosen.includes(option.value) ? ' chosen' : ''}`}>
          <input
            type="checkbox"
            checked={chosen.includes(option.value)}
            onChange={(event) => toggle(option.value, event.currentTarget.checked)}
          />
          <span>{localize(option.label, locale, flow)}</span>
        </label>
      ))}
      {/* Docked at the bottom of the view while a long list of options scrolls under it. */}
      <div class="dock">
        <button
          type="button"
          class="primary"
          data-primary
          onClick={() => {
            setTried(true);
            if (chosen.length > 0) onAnswer(chosen);
          }}
        >
          {t.next}
        </button>
      </div>
      {extra as never}
    </fieldset>
  );
}

function TextAnswer({
  flow,
  step,
  locale,
  value,
  onAnswer,
  skip,
  help,
}: Omit<Props, 'onSkip'> & { skip: (draft: () => string) => unknown; help: unknown }) {
  const t = copyFor(locale);
  const limit = step.maxLength ?? DEFAULT_TEXT_LIMIT;
  const [text, setText] = useState(typeof value === 'string' ? value : '');
  return (
    <form
      class="text-answer"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) onAnswer(text.trim());
      }}
    >
      {help as never}
      <label class="sr-only" for="answer-text">
        {localize(step.prompt, locale, flow)}
      </label>
      <textarea
        id="answer-text"
        rows={3}
        maxLength={limit}
        value={text}
        aria-describedby="answer-limit"
        onInput={(event) => setText(event.currentTarget.value)}
      />
      {/* The limit is said once to assistive tech; the count is for the eye, and a live region
          would speak at every keystroke. */}
      <p class="help counter" id="answer-limit">
        <span class="sr-only">{t.textLimit(limit)}</span>
        <span aria-hidden="true">{t.textCount(text.length, limit)}</span>
      </p>
      <button type="submit" class="primary" data-primary>
        {t.send}
      </button>
      {skip(() => text) as never}
    </form>
  );
}
