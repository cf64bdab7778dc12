import type { IntakeContext } from '@intake-chat/engine';
import { crisisLinkOf, type InsightBeacon, insightSource } from '@intake-chat/engine/schema';
import type { FrameActor } from './createFrameActor.js';

type Beacon = Omit<InsightBeacon, 'center'>;

export interface Insight {
  /** The visitor opened the chat: counted once per page, with the visit's source. */
  opened(): void;
  /** The conversation was cleared ("Start over"): what follows is counted as a new one. */
  restart(): void;
}

/**
 * Conversion insight (docs/insight.md): anonymous counts of how far conversations get, sent with
 * `sendBeacon` to this frame's own origin. Each beacon names the center and the event, and at most the
 * step reached and the one answered before it, the route, the crisis line, or (opening and sending only)
 * the campaign tags and referring site; never an answer, a word typed, an id or a time. A beacon that
 * fails is not counted. Each step, result and form is counted once per conversation, however often the
 * visitor goes back; a conversation restored on another page is not counted again.
 */
export function countConversation(
  actor: FrameActor,
  center: string,
  send: (body: string) => void = (body) => {
    try {
      navigator.sendBeacon('/v1/events', body);
    } catch {
      // Counting never gets in the visitor's way.
    }
  },
): Insight {
  const beacon = (event: Beacon) => send(JSON.stringify({ center, ...event }));
  const source = () => {
    const { utm, referrer } = actor.getSnapshot().context.input;
    const parts = insightSource(utm, referrer);
    return Object.keys(parts).length > 0 ? { source: parts } : {};
  };

  let seen = new Set<string>();
  let opened = false;
  const seed = (snapshot: ReturnType<FrameActor['getSnapshot']>) => {
    // What a restored conversation had already reached was counted on the page it was reached on.
    const dialogue = dialogueOf(snapshot);
    seen = new Set(
      dialogue === 'greeting' ? [] : ['started', ...snapshot.context.path.flatMap((id) => [id, `answered:${id}`])],
    );
    if (snapshot.context.stepId) seen.add(snapshot.context.stepId);
    const past = ['result', 'callbackForm', 'submitting', 'submitFailed', 'submitted'];
    if (past.includes(dialogue)) seen.add('result');
    if (past.slice(1).includes(dialogue)) seen.add('form');
    if (dialogue === 'submitted') seen.add('sent');
  };
  /** True the first time `what` happens in this conversation. */
  const first = (what: string) => !seen.has(what) && Boolean(seen.add(what));
  /** The step answered to get here, the first time it was answered. */
  const answeredBefore = (before: IntakeContext, now: IntakeContext) => {
    const step = now.path.at(-1);
    return now.path.length > before.path.length && step !== undefined && first(`answered:${step}`)
      ? { after: step }
      : {};
  };

  let before = actor.getSnapshot();
  seed(before);
  actor.subscribe((snapshot) => {
    const was = dialogueOf(before);
    const now = dialogueOf(snapshot);
    const { context } = snapshot;
    if (now === 'asking' && first('started')) beacon({ event: 'started' });
    if (now === 'asking' && context.stepId !== null && first(context.stepId)) {
      beacon({ event: 'step', step: context.stepId, ...answeredBefore(before.context, context) });
    }
    if (now === 'result' && was !== 'result' && context.result && first('result')) {
      beacon({ event: 'result', route: context.result.route, ...answeredBefore(before.context, context) });
    }
    if (now === 'callbackForm' && first('form')) beacon({ event: 'form' });
    if (now === 'submitted' && first('sent')) beacon({ event: 'sent', ...source() });
    if (snapshot.matches({ crisis: 'open' }) && !before.matches({ crisis: 'open' })) beacon({ event: 'crisis' });
    before = snapshot;
  });

  // A tap on a crisis line anywhere in the chat (the bar, the crisis screen): which line, nothing else.
  addEventListener(
    'click',
    (event) => {
      const link = (event.target as Element | null)?.closest?.('a[href]')?.getAttribute('href');
      const id = link ? crisisLinkOf(link) : undefined;
      if (id) beacon({ event: 'crisis-link', link: id });
    },
    true,
  );

  return {
    opened() {
      if (opened) return;
      opened = true;
      beacon({ event: 'opened', ...source() });
    },
    restart() {
      seen = new Set();
      before = actor.getSnapshot();
    },
  };
}

const dialogueOf = (snapshot: ReturnType<FrameActor['getSnapshot']>) =>
  (snapshot.value as { dialogue: string }).dialogue;
