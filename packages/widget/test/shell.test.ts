import { afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { CHANNEL } from '../src/shared/protocol.js';
import { runCommand, takeQueue } from '../src/shell/commands.js';
import { IntakeChatElement } from '../src/shell/IntakeChatElement.js';
import { DEFAULT_Z_INDEX, type OptionName, readOptions } from '../src/shell/readOptions.js';
import { resetMedia, setMedia } from './support/media.js';

const WIDGET = 'https://intake.example.org';
const page = { lang: '', scriptSrc: `${WIDGET}/widget.js` };
const attributes = (values: Partial<Record<OptionName, string>>) => (name: OptionName) => values[name] ?? null;

beforeAll(() => customElements.define('intake-chat', IntakeChatElement));

let warn: MockInstance<typeof console.warn>;
let error: MockInstance<typeof console.error>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.removeAttribute('style');
  document.documentElement.lang = '';
  resetMedia();
  vi.restoreAllMocks();
});

describe('the script tag options', () => {
  it('needs only a center, and says where the chat lives from the script address', () => {
    expect(readOptions(attributes({ center: 'riverbend' }), page)).toEqual({
      center: 'riverbend',
      origin: WIDGET,
      locale: 'en',
      position: 'right',
      offsetX: 20,
      offsetY: 20,
      mobileOffsetY: 20,
      zIndex: DEFAULT_Z_INDEX,
      accent: '#1b6f5c',
      openAfter: null,
      insight: true,
      preload: 'intent',
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it("speaks the page's language unless data-locale says otherwise", () => {
    expect(readOptions(attributes({ center: 'riverbend' }), { ...page, lang: 'es-US' })?.locale).toBe('es');
    expect(readOptions(attributes({ center: 'riverbend', locale: 'en' }), { ...page, lang: 'es' })?.locale).toBe('en');
    expect(readOptions(attributes({ center: 'riverbend' }), { ...page, lang: 'fr' })?.locale).toBe('en');
  });

  it('takes position, offsets above a cookie banner, z-index, accent and a delayed open', () => {
    const options = readOptions(
      attributes({
        center: 'riverbend',
        position: 'left',
        'offset-x': '12',
        'offset-y': '96px',
        'z-index': '1000',
        accent: '7A2E8E',
        'open-after': '30000',
      }),
      page,
    );
    expect(options).toMatchObject({
      position: 'left',
      offsetX: 12,
      offsetY: 96,
      zIndex: 1000,
      accent: '#7a2e8e',
      openAfter: 30000,
    });
  });

  it('keeps the launcher working on a bad value, and says in the console what to write instead', () => {
    const options = readOptions(
      attributes({ center: 'riverbend', position: 'middle', 'offset-y': 'lots', accent: 'teal', locale: 'fr' }),
      page,
    );
    expect(options).toMatchObject({ position: 'right', offsetY: 20, accent: '#1b6f5c', locale: 'en' });
    const said = warn.mock.calls.map((call) => String(call[0]));
    expect(said).toContain('intake-chat: data-position="middle" should be "left" or "right"; using right.');
    expect(said).toContain('intake-chat: data-offset-y="lots" should be 0 to 2000 (pixels); using 20.');
    expect(said.some((line) => line.includes('data-accent="teal"') && line.includes('#1b6f5c'))).toBe(true);
    expect(said.some((line) => line.includes('data-locale="fr"') && line.includes('"en" or "es"'))).toBe(true);
    // When the chat is made: a center may ask for its files while the page is idle.
    expect(readOptions(attributes({ center: 'riverbend', preload: 'IDLE' }), page)?.preload).toBe('idle');
    expect(readOptions(attributes({ center: 'riverbend', preload: 'eager' }), page)?.preload).toBe('intent');
    expect(warn.mock.calls.map((call) => String(call[0]))).toContain(
      'intake-chat: data-preload="eager" should be "intent" or "idle"; using intent.',
    );
  });

  it('raises the launcher on phones only by data-mobile-offset-y, which follows data-offset-y unless given', () => {
    const read = (values: Partial<Record<OptionName, string>>) =>
      readOptions(attributes({ center: 'riverbend', ...values }), page);
    expect(read({ 'mobile-offset-y': '140px' })).toMatchObject({ offsetY: 20, mobileOffsetY: 140 });
    expect(read({ 'offset-y': '96' })).toMatchObject({ offsetY: 96, mobileOffsetY: 96 });
    expect(read({ 'offset-y': '96', 'mobile-offset-y': '0' })).toMatchObject({ offsetY: 96, mobileOffsetY: 0 });
    expect(warn).not.toHaveBeenCalled();
    expect(read({ 'offset-y': '96', 'mobile-offset-y': '2001' })?.mobileOffsetY).toBe(96);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      'intake-chat: data-mobile-offset-y="2001" should be 0 to 2000 (pixels); using 96.',
    );
    const style = mount({ 'mobile-offset-y': '140' }).shadowRoot?.querySelector<HTMLElement>('.launcher')?.parentElement
      ?.style;
    expect([style?.getPropertyValue('--ic-y'), style?.getPropertyValue('--ic-my')]).toEqual(['20px', '140px']);
  });

  it('refuses to start without a center id, saying to add data-center', () => {
    expect(readOptions(attributes({}), page)).toBeNull();
    expect(readOptions(attributes({ center: 'River Bend!' }), page)).toBeNull();
    expect(String(error.mock.calls[0]?.[0])).toMatch(/data-center=""[\s\S]*like "riverbend"/);
  });
});

describe('the command queue', () => {
  it('runs the calls a page queued before widget.js arrived, in order, then runs new calls at once', () => {
    const element = mount();
    const host: { IntakeChat?: ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] } } = {};
    // The page's two-line stub, as README.md gives it.
    host.IntakeChat = Object.assign((...args: unknown[]) => (host.IntakeChat?.q ?? []).push(args), { q: [] });
    host.IntakeChat('open');
    host.IntakeChat('close');
    host.IntakeChat('open');

    for (const args of takeQueue(host)) runCommand(args);
    expect(launcher(element).getAttribute('aria-expanded')).toBe('true');
    host.IntakeChat('toggle');
    expect(launcher(element).getAttribute('aria-expanded')).toBe('false');
  });

  it('names the commands there are when a page calls one that is not', () => {
    runCommand(['opne']);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      'intake-chat: IntakeChat("opne"): use one of open, close, toggle, reset.',
    );
  });
});

describe('<intake-chat>', () => {
  it('draws only a labelled launcher button until the visitor shows intent', () => {
    const element = mount();
    const button = launcher(element);
    expect(button.textContent).toBe('Talk to us');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-controls')).toBe('intake-panel');
    // Nothing else is made before intent: the panel and its frame come on hover, focus or a click.
    expect(element.shadowRoot?.querySelector('iframe')).toBeNull();
    expect(element.shadowRoot?.querySelector('dialog')).toBeNull();
    expect(element.shadowRoot?.children).toHaveLength(1);
  });

  it('says "Hablemos" on a Spanish page', () => {
    document.documentElement.lang = 'es';
    expect(launcher(mount()).textContent).toBe('Hablemos');
  });

  it('loads the conversation when the pointer or focus reaches the launcher', () => {
    const element = mount();
    launcher(element).dispatchEvent(new FocusEvent('focus'));
    const src = frameOf(element).getAttribute('src') ?? '';
    const url = new URL(src);
    expect(url.origin).toBe(WIDGET);
    expect(url.pathname).toBe('/frame');
    // And the launcher's one count: the server counts it as it serves this first frame.
    expect(Object.fromEntries(url.searchParams)).toEqual({ center: 'riverbend', locale: 'en', count: 'shown' });
    // The page's origin and accent go in the fragment, which is never sent to a server.
    expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).toEqual({
      host: location.origin,
      accent: '#1b6f5c',
    });
    expect(frameOf(element).getAttribute('referrerpolicy')).toBe('no-referrer');
  });

  it('makes no frame before intent, and counts the launcher once with an image while the page is idle', () => {
    const images = watchImages();
    vi.useFakeTimers();
    try {
      const element = mount();
      expect(images).toEqual([]);
      vi.advanceTimersByTime(1_600);
      vi.runOnlyPendingTimers();
      expect(element.shadowRoot?.querySelector('iframe')).toBeNull();
      // An image never drawn, with no referrer: the server learns the center, not the page (docs/insight.md).
      expect(images).toEqual([`${WIDGET}/v1/shown?center=riverbend (no-referrer)`]);
      // Counted once: the frame made later on intent does not ask the server to count it again.
      launcher(element).dispatchEvent(new Event('pointerenter'));
      expect(new URL(frameOf(element).src).searchParams.get('count')).toBeNull();
      element.remove();

      // A frame made before then carries the count, and no image is asked for.
      const early = mount();
      launcher(early).dispatchEvent(new FocusEvent('focus'));
      vi.advanceTimersByTime(1_600);
      vi.runOnlyPendingTimers();
      expect(new URL(frameOf(early).src).searchParams.get('count')).toBe('shown');
      early.remove();

      // A page that turned counting off: neither.
      const quiet = mount({ insight: 'off' });
      vi.advanceTimersByTime(1_600);
      vi.runOnlyPendingTimers();
      launcher(quiet).dispatchEvent(new FocusEvent('focus'));
      expect(new URL(frameOf(quiet).src).searchParams.get('count')).toBeNull();
      expect(images).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with data-preload="idle", makes the frame while the page is idle, waiting, and wakes it once on intent, whichever comes first', () => {
    const images = watchImages();
    vi.useFakeTimers();
    try {
      for (const order of ['frame says waiting first', 'visitor hovers first'] as const) {
        const element = mount({ preload: 'idle' });
        expect(element.shadowRoot?.querySelector('iframe')).toBeNull();
        vi.advanceTimersByTime(1_600);
        vi.runOnlyPendingTimers();
        const frame = frameOf(element);
        // Its files are fetched, not run: the conversation's script would cost the page's main thread.
        expect(new URL(frame.src).searchParams.get('start')).toBe('intent');
        // It carries the launcher's count; no image is asked for.
        expect(new URL(frame.src).searchParams.get('count')).toBe('shown');
        expect(images).toEqual([]);
        const posted = vi.spyOn(frame.contentWindow as Window, 'postMessage');
        const hover = () => launcher(element).dispatchEvent(new Event('pointerenter'));
        if (order === 'frame says waiting first') {
          fromFrame(frame, { type: 'waiting' });
          expect(posted).not.toHaveBeenCalled();
          hover();
        } else {
          hover();
          expect(posted).not.toHaveBeenCalled();
          fromFrame(frame, { type: 'waiting' });
        }
        expect(posted.mock.calls).toEqual([[{ channel: CHANNEL, type: 'wake' }, WIDGET]]);
        // The same frame, woken once: a second hover or a click does not ask again or make another.
        hover();
        launcher(element).click();
        expect(posted.mock.calls.filter(([message]) => (message as { type: string }).type === 'wake')).toHaveLength(1);
        expect(element.shadowRoot?.querySelectorAll('iframe')).toHaveLength(1);
        element.remove();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts nothing put off until idle once a page has taken the element out', () => {
    // Idle callbacks held until the test says the page is idle.
    const idle: (() => void)[] = [];
    Object.defineProperty(window, 'requestIdleCallback', {
      configurable: true,
      value: (run: () => void) => idle.push(run),
    });
    const listening = vi.spyOn(window, 'addEventListener');
    vi.useFakeTimers();
    try {
      const element = mount({ preload: 'idle' });
      vi.advanceTimersByTime(1_600);
      // The waiting frame is due at the next idle moment; the element goes first.
      expect(idle).toHaveLength(1);
      element.remove();
      for (const run of idle.splice(0)) run();
      expect(element.shadowRoot?.querySelector('iframe')).toBeNull();
      expect(listening).not.toHaveBeenCalledWith('message', expect.anything());
    } finally {
      vi.useRealTimers();
      Reflect.deleteProperty(window, 'requestIdleCallback');
    }
  });

  it('opens and closes a labelled panel, announcing both to the page with no details', () => {
    const element = mount();
    const events: CustomEvent[] = [];
    for (const name of ['intake:open', 'intake:close'])
      element.addEventListener(name, (e) => events.push(e as CustomEvent));

    element.open();
    const panel = element.shadowRoot?.querySelector('dialog') as (HTMLDialogElement & { modal?: boolean }) | null;
    expect(panel?.open).toBe(true);
    // Beside the page on a desktop: the page stays usable.
    expect(panel?.modal).toBe(false);
    expect(panel?.getAttribute('aria-label')).toBe('Private chat');
    expect(launcher(element).getAttribute('aria-expanded')).toBe('true');
    expect(launcher(element).textContent).toBe('Close chat');
    element.close();
    expect(panel?.open).toBe(false);

    expect(events.map((event) => event.type)).toEqual(['intake:open', 'intake:close']);
    expect(events.every((event) => event.detail === null && event.bubbles)).toBe(true);
  });

  it('shows crisis lines in the panel until the frame is ready, in the chat language, and says when it is not loading', () => {
    vi.useFakeTimers();
    try {
      const element = mount({ locale: 'es' });
      element.open();
      const wait = () => element.shadowRoot?.querySelector('.wait');
      const panel = element.shadowRoot?.querySelector('.panel');
      const links = () => [...(wait()?.querySelectorAll('a') ?? [])].map((link) => [link.textContent, link.href]);
      expect(wait()?.querySelector('[role=status]')?.textContent).toBe('Abriendo el chat privado…');
      expect(links()).toEqual([
        ['Llamar al 988, la Línea de Prevención del Suicidio y Crisis', 'tel:988'],
        ['Enviar un mensaje de texto al 988, la Línea de Prevención del Suicidio y Crisis', 'sms:988'],
        ['Llamar al 911 en una emergencia', 'tel:911'],
      ]);
      // Focus waits on the panel's own words, not on a frame that may hold an error page.
      expect(element.shadowRoot?.activeElement?.getAttribute('role')).toBe('status');
      expect(frameOf(element).hasAttribute('inert')).toBe(true);

      const retry = () => wait()?.querySelector<HTMLButtonElement>('[role=status] + button');
      vi.advanceTimersByTime(7_999);
      expect(wait()?.querySelector('[role=status]')?.textContent).toBe('Abriendo el chat privado…');
      expect(retry()?.hidden).toBe(true);
      vi.advanceTimersByTime(1);
      expect(wait()?.querySelector('[role=status]')?.textContent).toBe('El chat no se está cargando en este momento.');
      element.setAttribute('locale', 'en');
      expect(wait()?.querySelector('[role=status]')?.textContent).toBe('The chat is not loading right now.');
      expect(links()[0]).toEqual(['Call 988, the Suicide and Crisis Lifeline', 'tel:988']);
      // Trying again loads the frame afresh, without counting the launcher twice, and says it is opening.
      expect(retry()?.hidden).toBe(false);
      expect(retry()?.textContent).toBe('Try again');
      const before = frameOf(element).src;
      retry()?.click();
      expect(frameOf(element).src).not.toBe(before);
      expect(new URL(frameOf(element).src).searchParams.get('count')).toBeNull();
      expect(wait()?.querySelector('[role=status]')?.textContent).toBe('Opening the private chat…');
      expect(retry()?.hidden).toBe(true);
      expect(element.shadowRoot?.activeElement?.getAttribute('role')).toBe('status');
      vi.advanceTimersByTime(8_000);
      expect(wait()?.querySelector('[role=status]')?.textContent).toBe('The chat is not loading right now.');

      // Escape closes it from the waiting screen too, and focus goes back to the launcher.
      wait()
        ?.querySelector('a')
        ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      expect(panel?.hasAttribute('open')).toBe(false);
      expect(element.shadowRoot?.activeElement).toBe(launcher(element));
      element.open();
      // Under the frame, which is drawn over it once ready.
      expect(wait()?.nextElementSibling).toBe(frameOf(element));
      // Late, but ready: the chat is shown and reachable, and the visitor who waited goes on into it.
      fromFrame(frameOf(element), { type: 'ready' });
      expect(panel?.classList.contains('ready')).toBe(true);
      expect(frameOf(element).hasAttribute('inert')).toBe(false);
      expect(element.shadowRoot?.activeElement).toBe(frameOf(element));
    } finally {
      vi.useRealTimers();
    }
  });

  it('makes no waiting screen when the frame was ready before the chat opened', () => {
    const element = mount();
    launcher(element).dispatchEvent(new Event('pointerenter'));
    fromFrame(frameOf(element), { type: 'ready' });
    element.open();
    expect(element.shadowRoot?.querySelector('.wait')).toBeNull();
    expect(element.shadowRoot?.activeElement).toBe(frameOf(element));
  });

  it('tells the frame it opened once the frame is ready, with the page path and campaign tags only', () => {
    history.replaceState(null, '', '/programs/iop?utm_source=news&utm_campaign=fall&q=opioid+detox#top');
    const element = mount();
    element.open();
    const frame = frameOf(element);
    const posted = vi.spyOn(frame.contentWindow as Window, 'postMessage');
    expect(posted).not.toHaveBeenCalled();

    fromFrame(frame, { type: 'ready' });
    expect(posted).toHaveBeenCalledWith(
      {
        channel: CHANNEL,
        type: 'open',
        // The referring site goes by host name only (jsdom's page has none).
        page: { path: '/programs/iop', utm: { source: 'news', campaign: 'fall' }, referrer: '' },
      },
      WIDGET,
    );
    expect(JSON.stringify(posted.mock.calls)).not.toContain('opioid');
    history.replaceState(null, '', '/');
  });

  it('ignores messages from any other window or origin, however they look', () => {
    const element = mount();
    element.open();
    const frame = frameOf(element);
    const close = { channel: CHANNEL, type: 'close' };
    window.dispatchEvent(
      new MessageEvent('message', { data: close, origin: 'https://evil.example', source: frame.contentWindow }),
    );
    window.dispatchEvent(new MessageEvent('message', { data: close, origin: WIDGET, source: window }));
    window.dispatchEvent(
      new MessageEvent('message', { data: { type: 'close' }, origin: WIDGET, source: frame.contentWindow }),
    );
    expect(launcher(element).getAttribute('aria-expanded')).toBe('true');

    fromFrame(frame, { type: 'close' });
    expect(launcher(element).getAttribute('aria-expanded')).toBe('false');
  });

  it('returns focus to the launcher when the visitor closes the chat from inside it', () => {
    const element = mount();
    element.open();
    fromFrame(frameOf(element), { type: 'close' });
    expect(element.shadowRoot?.activeElement).toBe(launcher(element));
  });

  it('opens by itself after data-open-after on a desktop, without taking focus from the page', () => {
    vi.useFakeTimers();
    const input = document.body.appendChild(document.createElement('input'));
    input.focus();
    const element = mount({ 'open-after': '5000' });
    vi.advanceTimersByTime(5000);
    expect(launcher(element).getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(input);
    vi.useRealTimers();
  });

  it('never opens by itself over a whole phone screen', () => {
    vi.useFakeTimers();
    setMedia('(max-width: 640px)', true);
    const element = mount({ 'open-after': '5000' });
    vi.advanceTimersByTime(5000);
    expect(launcher(element).getAttribute('aria-expanded')).toBe('false');
    vi.useRealTimers();
  });

  it('closes when a modal sheet is dismissed with Escape, returning focus to the launcher', () => {
    setMedia('(max-width: 640px)', true);
    const element = mount();
    element.open();
    element.shadowRoot?.querySelector('dialog')?.close();
    expect(launcher(element).getAttribute('aria-expanded')).toBe('false');
    expect(element.shadowRoot?.activeElement).toBe(launcher(element));
  });

  it('closes on Escape at the launcher', () => {
    const element = mount();
    element.open();
    launcher(element).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(launcher(element).getAttribute('aria-expanded')).toBe('false');
  });

  it('tells the page a request was sent, and nothing about it', () => {
    const element = mount();
    element.open();
    const submitted = vi.fn();
    element.addEventListener('intake:submitted', submitted);
    fromFrame(frameOf(element), { type: 'submitted' });
    expect(submitted).toHaveBeenCalledOnce();
    expect(submitted.mock.calls[0]?.[0].detail).toBeNull();
  });

  it('follows the language the visitor picks inside the chat', () => {
    const element = mount();
    element.open();
    fromFrame(frameOf(element), { type: 'locale', locale: 'es' });
    expect(launcher(element).textContent).toBe('Cerrar chat');
  });

  it('asks the frame to start over and clear the answers on reset()', () => {
    const element = mount();
    element.open();
    const frame = frameOf(element);
    const posted = vi.spyOn(frame.contentWindow as Window, 'postMessage');
    fromFrame(frame, { type: 'ready' });
    element.reset();
    expect(posted).toHaveBeenLastCalledWith({ channel: CHANNEL, type: 'reset' }, WIDGET);
  });

  it('on a phone, fills the screen and locks page scroll only while open, restoring what was there', () => {
    setMedia('(max-width: 640px)', true);
    document.documentElement.style.setProperty('overflow', 'clip');
    const element = mount();
    const root = element.shadowRoot?.querySelector('.launcher')?.parentElement;

    element.open();
    expect(root?.classList.contains('sheet')).toBe(true);
    expect(document.documentElement.style.getPropertyValue('overflow')).toBe('hidden');
    // A modal dialog over the whole screen: the page behind it, launcher included, is inert.
    const dialog = element.shadowRoot?.querySelector('dialog') as (HTMLDialogElement & { modal?: boolean }) | null;
    expect(dialog?.modal).toBe(true);
    element.close();
    expect(document.documentElement.style.getPropertyValue('overflow')).toBe('clip');
  });

  it('puts dark text on a light accent and white text on a dark one', () => {
    const light = mount({ accent: '#f4d35e' });
    const dark = mount({ accent: '#1b2a6b' });
    const styleOf = (element: IntakeChatElement) =>
      element.shadowRoot?.querySelector<HTMLElement>('.launcher')?.parentElement?.style;
    expect(styleOf(light)?.getPropertyValue('--ic-on-accent')).toBe('#000000');
    expect(styleOf(dark)?.getPropertyValue('--ic-on-accent')).toBe('#ffffff');
  });

  it('leaves the host page alone: nothing in <head>, no cookies, no storage', () => {
    const head = document.head.innerHTML;
    const element = mount();
    element.open();
    fromFrame(frameOf(element), { type: 'ready' });
    element.close();
    expect(document.head.innerHTML).toBe(head);
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('counts that the launcher was shown on the frame it makes, with no request of its script, unless the page says data-insight="off"', () => {
    const sent: unknown[] = [];
    Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: (url: string) => sent.push(url) > 0 });
    vi.useFakeTimers();
    try {
      // The waiting frame made when the page is idle (data-preload="idle") asks the server to count the launcher.
      const idle = mount({ preload: 'idle' });
      vi.advanceTimersByTime(1_400);
      expect(idle.shadowRoot?.querySelector('iframe')).toBeNull();
      vi.advanceTimersByTime(200);
      expect(frameOf(idle).getAttribute('src')).toMatch(/^[^#]*&start=intent&count=shown#/);
      // A frame wanted before then asks instead, and there is only ever one.
      const eager = mount();
      eager.open();
      vi.runAllTimers();
      expect(eager.shadowRoot?.querySelectorAll('iframe')).toHaveLength(1);
      expect(frameOf(eager).getAttribute('src')).toMatch(/^[^#]*&count=shown#/);

      const quiet = mount({ insight: 'off', preload: 'idle' });
      vi.runAllTimers();
      // The chat is told in the fragment no server sees, and counts nothing either.
      expect(frameOf(quiet).getAttribute('src')).not.toContain('count=');
      expect(frameOf(quiet).getAttribute('src')).toMatch(/#host=.*&insight=off$/);
      expect(sent).toEqual([]);
    } finally {
      vi.useRealTimers();
      Reflect.deleteProperty(navigator, 'sendBeacon');
    }
  });

  it('works with two chats on one page, each with its own frame', () => {
    const first = mount();
    const second = mount({ center: 'lakeside', position: 'left' });
    first.open();
    expect(launcher(first).getAttribute('aria-expanded')).toBe('true');
    expect(launcher(second).getAttribute('aria-expanded')).toBe('false');
    second.open();
    expect(frameOf(second).getAttribute('src')).toContain('center=lakeside');
    fromFrame(frameOf(first), { type: 'close' });
    expect(launcher(first).getAttribute('aria-expanded')).toBe('false');
    expect(launcher(second).getAttribute('aria-expanded')).toBe('true');
  });

  it('keeps working when a single-page app takes it out of the page and puts it back', () => {
    const element = mount();
    element.remove();
    document.body.append(element);
    element.open();
    expect(launcher(element).getAttribute('aria-expanded')).toBe('true');
    expect(element.shadowRoot?.querySelectorAll('button.launcher')).toHaveLength(1);
  });
});

function mount(attributes: Record<string, string> = {}): IntakeChatElement {
  const element = document.createElement('intake-chat') as IntakeChatElement;
  for (const [name, value] of Object.entries({ center: 'riverbend', src: `${WIDGET}/widget.js`, ...attributes }))
    element.setAttribute(name, value);
  document.body.append(element);
  return element;
}

/** Each image the page asks for (its address and referrer policy); jsdom fetches none. */
function watchImages(): string[] {
  const asked: string[] = [];
  vi.spyOn(HTMLImageElement.prototype, 'src', 'set').mockImplementation(function (this: HTMLImageElement, src) {
    asked.push(`${src} (${this.referrerPolicy})`);
  });
  return asked;
}

function launcher(element: IntakeChatElement): HTMLButtonElement {
  const button = element.shadowRoot?.querySelector<HTMLButtonElement>('button.launcher');
  if (!button) throw new Error('no launcher');
  return button;
}

function frameOf(element: IntakeChatElement): HTMLIFrameElement {
  const frame = element.shadowRoot?.querySelector('iframe');
  if (!frame) throw new Error('no frame');
  // jsdom gives frames inside shadow roots no window; stand in one per frame, as a browser would.
  if (!frame.contentWindow) {
    const window = { postMessage: () => {} } as unknown as Window;
    Object.defineProperty(frame, 'contentWindow', { value: window });
  }
  return frame;
}

/** A message as the real frame sends it: from its window, from the widget's origin. */
function fromFrame(frame: HTMLIFrameElement, message: Record<string, unknown>) {
  window.dispatchEvent(
    new MessageEvent('message', {
      data: { channel: CHANNEL, ...message },
      origin: WIDGET,
      source: frame.contentWindow,
    }),
  );
}
