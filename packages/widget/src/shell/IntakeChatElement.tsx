import { inkOn } from '../shared/contrast.js';
import {
  type FrameMessage,
  readFrameMessage,
  type ShellMessage,
  tag,
  utmOf,
  type WakeMessage,
} from '../shared/protocol.js';
import { readOptions, type WidgetOptions } from './readOptions.js';
import shellCss from './shell.css?inline';

/**
 * The script tag that loaded widget.js, found while it runs; a loader that hides it (some tag
 * managers) leaves the tag itself on the page, so look for it there. (Only a DOM runs this module:
 * the class below extends HTMLElement.)
 */
const { referrer } = document;
const ownScript = (document.currentScript ??
  document.querySelector('script[data-center][src*="widget.js"]')) as HTMLScriptElement | null;
let sheet: CSSStyleSheet | undefined;

/** Phones, where the panel is a full-screen sheet. */
const PHONE = '(max-width: 640px)';
/** Soon after the page is idle, and within 2 s however busy it stays. */
export const whenIdle = (run: () => void) =>
  'requestIdleCallback' in window ? requestIdleCallback(run, { timeout: 2000 }) : setTimeout(run);

/** A visitor who opens the chat before it has loaded waits this long before being told it is not loading. */
export const STUCK_AFTER = 8000;

/** Where the waiting screen's crisis lines go, in the order of each language's `lines`. */
const LINES = ['tel:988', 'sms:988', 'tel:911'];
const LABELS = {
  en: {
    open: 'Talk to us',
    close: 'Close chat',
    panel: 'Private chat',
    loading: 'Opening the private chat…',
    stuck: 'The chat is not loading right now.',
    retry: 'Try again',
    help: 'If you need help now:',
    // The screen has room for each line's full name, so what a link shows is what it is called.
    lines: [
      'Call 988, the Suicide and Crisis Lifeline',
      'Text 988, the Suicide and Crisis Lifeline',
      'Call 911 for an emergency',
    ],
  },
  es: {
    open: 'Hablemos',
    close: 'Cerrar chat',
    panel: 'Chat privado',
    loading: 'Abriendo el chat privado…',
    stuck: 'El chat no se está cargando en este momento.',
    retry: 'Intentar de nuevo',
    help: 'Si necesita ayuda ahora:',
    lines: [
      'Llamar al 988, la Línea de Prevención del Suicidio y Crisis',
      'Enviar un mensaje de texto al 988, la Línea de Prevención del Suicidio y Crisis',
      'Llamar al 911 en una emergencia',
    ],
  },
};

interface ShellState {
  readonly open: boolean;
  /**
   * The frame: not made yet (only the launcher exists); with `data-preload="idle"`, made while the
   * page is idle but waiting, its files fetched and not run; or wanted (on a hover, a focus or a tap,
   * or when the page opens the chat) and running. A frame runs on the page's own main thread wherever
   * the browser does not isolate sites (many phones), so the conversation waits for intent
   * (docs/performance.md).
   */
  readonly frame: 'none' | 'waiting' | 'wanted';
  /** Phones (<= 640 px wide): the panel is a full-screen sheet. */
  readonly sheet: boolean;
  /** The visual viewport while the sheet is open, so the on-screen keyboard never covers the input. */
  readonly viewport: { readonly height: number; readonly top: number } | null;
}

/**
 * `<intake-chat>`: a launcher in a shadow root, and on intent a cross-origin frame holding the
 * conversation. Methods `open`, `close`, `toggle` and `reset` are the public API; the work is done
 * by a controller made per connection (closures keep the shipped script small). The few elements are
 * made by hand and updated in place: a rendering library would cost every page of the host site more
 * to load and run than these three elements do.
 */
export class IntakeChatElement extends HTMLElement {
  static observedAttributes = ['locale'];
  #controller: Controller | null = null;

  connectedCallback() {
    this.#controller = connect(this, ownScript);
  }
  disconnectedCallback() {
    this.#controller?.disconnect();
    this.#controller = null;
  }
  attributeChangedCallback(_name: string, before: string | null, after: string | null) {
    if (before !== after) this.#controller?.setLocale(after?.toLowerCase().startsWith('es') ? 'es' : 'en', true);
  }
  open() {
    this.#controller?.open();
  }
  close() {
    this.#controller?.close(false);
  }
  toggle() {
    this.#controller?.toggle();
  }
  /** Starts the conversation over and clears the visitor's answers from this browser. */
  reset() {
    this.#controller?.send({ type: 'reset' });
  }
}

type Controller = NonNullable<ReturnType<typeof connect>>;

function connect(element: HTMLElement, script: HTMLScriptElement | null) {
  const read = readOptions((name) => element.getAttribute(name) ?? script?.getAttribute(`data-${name}`) ?? null, {
    lang: document.documentElement.lang,
    scriptSrc: script?.src ?? element.getAttribute('src'),
  });
  if (!read) return null;
  let options: WidgetOptions = read;
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });

  let state: ShellState = { open: false, frame: 'none', sheet: false, viewport: null };
  /** The launcher has been counted as shown (docs/insight.md): by the first frame, or by an image. */
  let counted = !options.insight;
  let frameReady = false;
  /** The frame was made waiting and has not been woken; `waitingSaid`: it has said it is waiting. */
  let asleep = false;
  let waitingSaid = false;
  let pending: ShellMessage[] = [];
  let savedOverflow: string | null = null;
  /** False once the element has left the page: work put off until idle must not start then. */
  let live = true;
  const cleanups: (() => void)[] = [];
  // The launcher, made at once; the panel and the frame inside it when the chat is first wanted.
  const box = document.createElement('div');
  // Its icon is drawn by the stylesheet, from aria-expanded.
  const launcher = make(box, 'button', {
    type: 'button',
    class: 'launcher',
    part: 'launcher',
    'aria-controls': 'intake-panel',
  }) as HTMLButtonElement;
  const label = launcher.appendChild(document.createTextNode(''));
  let panel: HTMLDialogElement | null = null;
  const frame: { current: HTMLIFrameElement | null } = { current: null };
  /**
   * What the panel shows until the frame is ready: that the chat is opening (or, after STUCK_AFTER,
   * that it is not loading), and the crisis lines, so that a lost signal, a lead server that is down
   * or a page that forbids the frame never leaves a visitor who opened the chat without 988 and 911.
   */
  let waitScreen: {
    shut: HTMLElement;
    status: HTMLElement;
    retry: HTMLElement;
    help: Text;
    links: HTMLAnchorElement[];
  } | null = null;
  let stuck = false;
  let stuckTimer: ReturnType<typeof setTimeout> | undefined;
  const html = document.documentElement.style;

  const on = (target: EventTarget, type: string, listener: (event: never) => void) => {
    target.addEventListener(type, listener as EventListener);
    cleanups.push(() => target.removeEventListener(type, listener as EventListener));
  };
  const emit = (name: string) =>
    // No detail at all: no answers, routes or step ids (docs/conversation.md, data rules), only that it happened.
    element.dispatchEvent(new CustomEvent(`intake:${name}`, { bubbles: true }));
  const set = (change: Partial<ShellState>) => {
    state = { ...state, ...change };
    draw();
  };
  const post = (message: ShellMessage | WakeMessage) =>
    frame.current?.contentWindow?.postMessage(tag(message), options.origin);
  // Once the waiting frame can hear it, and once.
  const wake = () => {
    if (!asleep || !waitingSaid || state.frame !== 'wanted') return;
    asleep = false;
    post({ type: 'wake' });
  };
  const send = (message: ShellMessage) => {
    if (frameReady) post(message);
    else {
      // Before the frame has loaded, keep only what it must know when it starts.
      pending = pending.filter((queued) => queued.type !== message.type && message.type !== 'close');
      if (message.type !== 'close') pending.push(message);
    }
  };
  // Only while the full-screen sheet is open, restoring exactly what the page had (docs/widget-lessons.md, phones).
  const lockScroll = (lock: boolean) => {
    if (lock && savedOverflow === null) {
      savedOverflow = html.getPropertyValue('overflow');
      html.setProperty('overflow', 'hidden');
    } else if (!lock && savedOverflow !== null) {
      if (savedOverflow) html.setProperty('overflow', savedOverflow);
      else html.removeProperty('overflow');
      savedOverflow = null;
    }
  };
  /** `focus`: false when the chat opens by itself (data-open-after): the visitor may be typing elsewhere. */
  const open = (focus = true) => {
    if (state.open) return;
    set({ open: true, frame: 'wanted' });
    if (!frameReady) makeWaitScreen();
    wake();
    fit();
    lockScroll(state.sheet);
    send({
      type: 'open',
      // The referring site by host name alone (the frame drops the center's own); never its path.
      page: { path: location.pathname, utm: utmOf(location.search), referrer: referrer && new URL(referrer).hostname },
    });
    // Until the frame is ready its page may be the browser's error page: focus waits on the panel's own words.
    if (focus) (frameReady ? frame.current : waitScreen?.status)?.focus();
    if (!frameReady && stuckTimer === undefined) waitForFrame();
    emit('open');
  };
  const close = (byVisitor: boolean) => {
    if (!state.open) return;
    set({ open: false, viewport: null });
    lockScroll(false);
    send({ type: 'close' });
    // Focus returns to the launcher when the visitor closed the panel; a script closing it leaves focus be.
    if (byVisitor) launcher.focus();
    emit('close');
  };
  const toggle = (byVisitor?: boolean) => (state.open ? close(!!byVisitor) : open());
  const viewport = window.visualViewport;
  const fit = () =>
    viewport && state.sheet && state.open && set({ viewport: { height: viewport.height, top: viewport.offsetTop } });
  const receive = (message: FrameMessage) => {
    if (message.type === 'waiting') {
      waitingSaid = true;
      wake();
    } else if (message.type === 'ready') {
      frameReady = true;
      clearTimeout(stuckTimer);
      // Shown and reachable now; a visitor waiting on the panel's words goes on into the chat.
      const waited = root.activeElement !== null && !!panel?.contains(root.activeElement);
      frame.current?.removeAttribute('inert');
      draw();
      if (waited) frame.current?.focus();
      for (const queued of pending.splice(0)) post(queued);
    } else if (message.type === 'close') close(true);
    else if (message.type === 'submitted') emit('submitted');
    else setLocale(message.locale === 'es' ? 'es' : 'en', false);
  };
  const setLocale = (locale: 'en' | 'es', tellFrame: boolean) => {
    options = { ...options, locale };
    if (tellFrame) send({ type: 'locale', locale });
    draw();
  };
  const draw = () => {
    const labels = LABELS[options.locale];
    if (state.frame !== 'none') makePanel(labels.panel);
    box.className = `${options.position}${state.sheet ? ' sheet' : ''}`;
    for (const [name, value] of [
      ['--ic-vvh', state.viewport && `${state.viewport.height}px`],
      ['--ic-vvtop', state.viewport && `${state.viewport.top}px`],
    ] as const) {
      if (value) box.style.setProperty(name, value);
      else box.style.removeProperty(name);
    }
    launcher.setAttribute('aria-expanded', String(state.open));
    label.data = state.open ? labels.close : labels.open;
    if (panel === null || frame.current === null) return;
    panel.setAttribute('aria-label', labels.panel);
    panel.classList.toggle('ready', frameReady);
    frame.current.setAttribute('title', labels.panel);
    if (waitScreen) {
      waitScreen.shut.textContent = labels.close;
      waitScreen.status.textContent = stuck ? labels.stuck : labels.loading;
      waitScreen.retry.textContent = labels.retry;
      waitScreen.retry.hidden = !stuck;
      waitScreen.help.data = labels.help;
      for (const [i, link] of waitScreen.links.entries()) link.textContent = labels.lines[i] ?? '';
    }
    // A modal dialog on phones, where the sheet covers the page: the page behind becomes inert, so
    // focus and a screen reader's swipes stay in the chat (WCAG 2.2 SC 2.4.3). Beside the page on a desktop.
    if (panel.open !== state.open) state.open ? panel[state.sheet ? 'showModal' : 'show']() : panel.close();
  };
  /**
   * The panel, its frame, and what only they need (the screen size, the visual viewport, messages
   * from the frame), once: not before the chat is wanted (or, with `data-preload="idle"`, the page is
   * idle), so the launcher's first paint waits for none of it.
   */
  const makePanel = (title: string) => {
    if (panel !== null) return;
    panel = make(box, 'dialog', { id: 'intake-panel', class: 'panel', part: 'panel' }) as HTMLDialogElement;
    // Escape on a modal dialog closes it natively; the visitor closed it, so focus goes back.
    on(panel, 'close', () => close(true));
    asleep = state.frame === 'waiting';
    // Inert, and drawn transparent, until it says it is ready.
    frame.current = make(panel, 'iframe', {
      src: frameUrl(options, asleep, !counted),
      title,
      referrerpolicy: 'no-referrer',
      inert: '',
    }) as HTMLIFrameElement;
    counted = true;
    on(window, 'message', (event: MessageEvent) => {
      // Only our frame, from the widget's origin; anything else on the window is not ours to read.
      const from = frame.current?.contentWindow;
      if (!from || event.source !== from || event.origin !== options.origin) return;
      const message = readFrameMessage(event.data);
      if (message) receive(message);
    });
    const phone = matchMedia(PHONE);
    state = { ...state, sheet: phone.matches };
    on(phone, 'change', () => {
      set({ sheet: phone.matches });
      lockScroll(state.open && phone.matches);
    });
    if (viewport) {
      on(viewport, 'resize', fit);
      on(viewport, 'scroll', fit);
    }
  };
  /** Says the chat is not loading if the frame is not ready in STUCK_AFTER. */
  const waitForFrame = () => {
    stuckTimer = setTimeout(() => {
      stuck = true;
      draw();
    }, STUCK_AFTER);
    cleanups.push(() => clearTimeout(stuckTimer));
  };
  /** The visitor asked to try again: the frame loads afresh, as one wanted now (the launcher was counted already). */
  const retry = () => {
    if (frameReady || frame.current === null) return;
    asleep = waitingSaid = stuck = false;
    frame.current.src = frameUrl(options, false, false);
    draw();
    waitScreen?.status.focus();
    waitForFrame();
  };
  /** The waiting screen, once, the first time the chat opens before its frame is ready; under the frame. */
  const makeWaitScreen = () => {
    if (waitScreen !== null || panel === null) return;
    const wait = make(panel, 'div', { class: 'wait', part: 'wait' });
    panel.prepend(wait);
    waitScreen = {
      // On a phone the sheet covers the launcher: the chat's own close button is not there yet.
      shut: make(wait, 'button', { type: 'button' }) as HTMLElement,
      // A live region: a screen reader hears it when it changes to "not loading".
      status: make(wait, 'p', { role: 'status', tabindex: '-1' }) as HTMLElement,
      // Shown once it says the chat is not loading.
      retry: make(wait, 'button', { type: 'button' }) as HTMLElement,
      help: make(wait, 'p', {}).appendChild(document.createTextNode('')),
      links: LINES.map((href) => make(wait, 'a', { href }) as HTMLAnchorElement),
    };
    on(waitScreen.shut, 'click', () => close(true));
    on(waitScreen.retry, 'click', retry);
    // The frame's own Escape is not there yet, and a panel beside the page has none of its own.
    on(wait, 'keydown', (event: KeyboardEvent) => event.key === 'Escape' && close(true));
    draw();
  };
  // Intent (hover, focus): start the conversation before the click lands.
  const want = () => {
    if (state.frame !== 'wanted') set({ frame: 'wanted' });
    wake();
  };

  on(launcher, 'click', () => toggle(true));
  on(launcher, 'pointerenter', want);
  on(launcher, 'focus', want);
  on(launcher, 'keydown', (event: KeyboardEvent) => event.key === 'Escape' && close(true));
  // While the visitor reads, the launcher is counted as shown, once: by a frame made by then, which
  // carries the count; else with `data-preload="idle"` by the waiting frame made now, which fetches the
  // conversation's files (unless the browser asks to save data: the server then has it wait without
  // them); else by an image that is never drawn, sent with no referrer, so the server never learns
  // which page it was. An image costs the page no more than a background image in the stylesheet
  // would (measured), and a beacon about 7 ms more (docs/performance.md).
  const settle = () => {
    if (!live || state.frame !== 'none') return;
    if (options.preload === 'idle') set({ frame: 'waiting' });
    else if (options.insight) {
      Object.assign(new Image(), {
        referrerPolicy: 'no-referrer',
        src: `${options.origin}/v1/shown?center=${options.center}`,
      });
      counted = true;
    }
  };
  const timer = setTimeout(() => whenIdle(settle), 1500);
  cleanups.push(() => clearTimeout(timer));
  if (options.openAfter !== null) {
    // Never unasked over a whole phone screen; on a desktop, beside the page, without taking focus.
    const timer = setTimeout(() => matchMedia(PHONE).matches || open(false), options.openAfter);
    cleanups.push(() => clearTimeout(timer));
  }

  // What never changes after this, set once.
  for (const [name, value] of Object.entries({
    '--ic-x': `${options.offsetX}px`,
    '--ic-y': `${options.offsetY}px`,
    '--ic-my': `${options.mobileOffsetY}px`,
    '--ic-z': options.zIndex,
    '--ic-accent': options.accent,
    '--ic-on-accent': inkOn(options.accent),
  }))
    box.style.setProperty(name, String(value));
  draw();
  root.replaceChildren(box);
  adoptStyles(root);
  emit('ready');
  return {
    open,
    close,
    toggle,
    send,
    setLocale,
    disconnect() {
      live = false;
      for (const cleanup of cleanups.splice(0)) cleanup();
      lockScroll(false);
      root.replaceChildren();
    },
  };
}

/** A child element of `parent` with `attributes`. */
function make(parent: Element, tag: string, attributes: Record<string, string>): Element {
  const child = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) child.setAttribute(name, value);
  return parent.appendChild(child);
}

/**
 * The frame's address, asked for once per launcher, when its frame is made. The host's origin and the
 * accent ride in the fragment, which no server sees; `waiting`: the page fetches the conversation's
 * files but runs them only when woken. `count` (`count=shown`): the server counts the launcher as shown as it serves the
 * page (docs/insight.md); off when the page turned counting off or the launcher was counted already.
 */
export function frameUrl(options: WidgetOptions, waiting = false, count = options.insight): string {
  const { origin, center, locale, accent, insight } = options;
  // The center id is a slug and the locale "en" or "es": nothing to escape in the query.
  return `${origin}/frame?center=${center}&locale=${locale}${waiting ? '&start=intent' : ''}${count ? '&count=shown' : ''}#host=${encodeURIComponent(location.origin)}&accent=${encodeURIComponent(accent)}${insight ? '' : '&insight=off'}`;
}

/**
 * Styles live in the shadow root only, as one constructed stylesheet shared by every element: CSP's
 * style-src does not govern it, so the page needs no nonce and no 'unsafe-inline' (docs/widget-lessons.md:
 * global styles and <style> tags fail under CSP). Every browser in support has had it since 2023.
 */
function adoptStyles(root: ShadowRoot) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(shellCss);
  }
  root.adoptedStyleSheets = [sheet];
}
