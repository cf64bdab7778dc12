// frame.js: the conversation, inside the cross-origin frame the shell creates. Answers live here
// (and in this origin's session storage) until the visitor sends the callback form.
import { render } from 'preact';
import { accentPalette, DEFAULT_ACCENT } from '../shared/contrast.js';
import type { FrameMessage, HostPage } from '../shared/protocol.js';
import { App } from './App.js';
import { firstControl } from './Conversation.js';
import { connectShell } from './connectShell.js';
import { createFrameActor } from './createFrameActor.js';
import { countConversation } from './insight.js';
import { createPersistence } from './persistence.js';
import { readSettings } from './settings.js';
import './frame.css';

const settings = readSettings(document);
const query = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));

const palette = accentPalette(fragment.get('accent') ?? DEFAULT_ACCENT);
const rootStyle = document.documentElement.style;
rootStyle.setProperty('--accent', palette.fill);
rootStyle.setProperty('--on-accent', palette.onFill);
rootStyle.setProperty('--accent-text', palette.text);
if (palette.adjustedFrom !== null) {
  // biome-ignore lint/suspicious/noConsole: tells the center's web developer, who reads the console.
  console.warn(
    `intake-chat: data-accent ${palette.fill} reads at only ${palette.adjustedFrom.toFixed(1)}:1 on white; ` +
      `the chat uses ${palette.text} for text and outlines instead (WCAG 2.2 asks for 4.5:1).`,
  );
}

const persistence = createPersistence({
  center: settings.center,
  // A conversation kept under other consent texts is not restored: it would store the old version.
  flow: `${settings.flow.id}@${settings.flow.version}#${settings.consent.call.version}+${settings.consent.callAndText.version}`,
});
const actor = createFrameActor({ settings, locale: query.get('locale') ?? '', persistence });
const host = fragment.get('host') ?? '';
// Anonymous day counts (docs/insight.md), unless the center or the page turned them off.
const insight =
  settings.insight !== false && fragment.get('insight') !== 'off' ? countConversation(actor, settings.center) : null;

const shell = connectShell(window, settings.origins, host, (message) => {
  if (message.type === 'open') {
    // A page object is what the shell sends; the engine takes only its string path, allow-listed tags
    // and a referring host name that is not the center's own site.
    const page: Partial<HostPage> | undefined = message.page;
    actor.send({
      type: 'host.page',
      page: page?.path,
      utm: page?.utm,
      referrer: page?.referrer,
      ownHost: hostName(host),
    });
    insight?.opened();
    focusStart();
  } else if (message.type === 'reset') clearAnswers();
  else if (message.type === 'locale') actor.send({ type: 'visitor.locale', locale: message.locale });
});
const post = (message: FrameMessage) => shell.post(message);

// Escape closes the chat from anywhere inside it, and the shell returns focus to the launcher; on
// the crisis screen it returns to where the visitor was instead, as its "go back" button does.
addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || event.defaultPrevented) return;
  if (actor.getSnapshot().matches({ crisis: 'open' })) actor.send({ type: 'visitor.continue' });
  else post({ type: 'close' });
});

let locale = actor.getSnapshot().context.locale;
let submitted = actor.getSnapshot().matches({ dialogue: 'submitted' });
actor.subscribe((snapshot) => {
  if (snapshot.context.locale !== locale) {
    locale = snapshot.context.locale;
    post({ type: 'locale', locale });
  }
  const now = snapshot.matches({ dialogue: 'submitted' });
  if (now && !submitted) post({ type: 'submitted' });
  submitted = now;
});

function clearAnswers() {
  actor.send({ type: 'visitor.restart' });
  persistence.clear();
  insight?.restart();
}

function hostName(origin: string) {
  try {
    return new URL(origin).hostname;
  } catch {
    return '';
  }
}

/** On open: the current control, or the heading where a control would pop a phone's keyboard. */
function focusStart() {
  const control = firstControl();
  // A text box would pop a phone's keyboard unasked: the heading then.
  const target = control?.matches('textarea, input') ? null : control;
  (target ?? document.getElementById('chat-title'))?.focus({ preventScroll: true });
}

/** Long enough to read as a turn, short enough that 14 questions cost under 5 s of waiting in all. */
const TYPING_DELAY = 300;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
const app = document.getElementById('app') ?? document.body;
render(
  <App
    actor={actor}
    settings={settings}
    onClose={shell.connected ? () => post({ type: 'close' }) : null}
    onClearAnswers={clearAnswers}
    typingDelay={reducedMotion ? 0 : TYPING_DELAY}
  />,
  app,
);
post({ type: 'ready' });
// A conversation restored from another page keeps its language; the launcher follows it.
if (locale !== query.get('locale')) post({ type: 'locale', locale });
