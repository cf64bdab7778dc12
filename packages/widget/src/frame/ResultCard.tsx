import { localize, routeOf, type TriageResult } from '@intake-chat/engine';
import type { Flow } from '@intake-chat/engine/schema';
import { copyFor } from './copy.js';

interface Props {
  readonly flow: Flow;
  readonly locale: string;
  readonly result: TriageResult;
}

/** The route's message and its reasons in plain words, then "not a diagnosis" (docs/conversation.md, copy rules). */
export function ResultCard({ flow, locale, result }: Props) {
  const t = copyFor(locale);
  const route = routeOf(flow, result.route);
  if (!route) return null;
  return (
    <section class={`bot result urgency-${result.urgency}`} aria-labelledby="result-title">
      <h2 id="result-title">{localize(route.title, locale, flow)}</h2>
      <p>{localize(route.message, locale, flow)}</p>
      {result.reasons.length > 0 && (
        <>
          <h3>{t.whyHeading}</h3>
          <ul>
            {result.reasons.map((reason) => (
              <li key={reason.key}>{localize(reason.text, locale, flow)}</li>
            ))}
          </ul>
        </>
      )}
      <p class="disclaimer">{localize(flow.messages.disclaimer, locale, flow)}</p>
    </section>
  );
}
