import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { type Answer, answer, fillForm, journeys, launcher, openChat } from './support/widget.js';

// Isolation: the widget lives on pages it does not control. Hostile CSS must not break it, a strict
// CSP must not block it, and a host page that spies on everything it can reach must learn nothing of
// what the visitor answers or types (docs/architecture.md: answers stay in the cross-origin frame until sent).

/** A page's own rules at their worst: global resets, important rules on controls, huge z-indexes. */
const HOSTILE_CSS = `
  *, *::before, *::after { all: unset; }
  head { display: none; }
  html { font-size: 3px !important; }
  body {
    display: block;
    font: 40px/3 Comic Sans MS !important;
    color: red !important;
    letter-spacing: 9px !important;
    text-transform: uppercase !important;
    pointer-events: none !important;
  }
  button, input, select, textarea { display: none !important; font-size: 2px !important; color: transparent !important; }
  div { position: relative; z-index: 999999 !important; }
  iframe { display: none !important; width: 0 !important; }
  svg { display: none !important; }
  [hidden] { display: block !important; }
  p { display: block; margin: 20px; }
  .cover {
    position: fixed !important;
    right: 0;
    bottom: 0;
    width: 70vw;
    height: 70vh;
    background: #fde;
    z-index: 2147482000 !important;
    pointer-events: auto !important;
  }
`;

const hostilePage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Hostile CSS</title>
  <link rel="icon" href="data:,">
  <style>${HOSTILE_CSS}</style>
</head>
<body>
  <div class="page"><p>A page whose stylesheet fights everything on it.</p></div>
  <div class="cover"><p>A sticky promo box over the bottom-right corner.</p></div>
  <script src="http://127.0.0.1:8787/widget.js" async data-center="riverbend"></script>
</body>
</html>`;

/** What the spy page exposes on `window.__spy`; everything it saw, as plain strings. */
interface SpyReport {
  readonly events: readonly { type: string; key: string | null; data: string | null; target: string; value: string }[];
  readonly network: readonly { kind: string; url: string; body: string }[];
  readonly resources: readonly string[];
  readonly messages: readonly string[];
  readonly customEvents: readonly string[];
  readonly dom: readonly string[];
  readonly hrefs: readonly string[];
  readonly storage: readonly string[];
  /** Addresses of the frame documents the spy could read (only the initial about:blank may be). */
  readonly readableFrames: readonly string[];
}

/**
 * The spy, as a page script: runs in <head> before widget.js. Serialised with toString, so it may
 * use nothing from this module.
 */
function installSpy(): void {
  const events: { type: string; key: string | null; data: string | null; target: string; value: string }[] = [];
  const network: { kind: string; url: string; body: string }[] = [];
  const resources: string[] = [];
  const messages: string[] = [];
  const customEvents: string[] = [];
  const dom = new Set<string>();
  const hrefs = new Set<string>();
  const storage = new Set<string>();
  const readableFrames = new Set<string>();

  const asText = (value: unknown): string => {
    try {
      return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    } catch {
      return String(value);
    }
  };

  // Every keystroke and input event, at the window, before anything else sees it.
  for (const type of ['keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'change', 'paste', 'compositionend']) {
    window.addEventListener(
      type,
      (event) => {
        const target = event.target as (HTMLElement & { value?: unknown }) | null;
        events.push({
          type,
          key: 'key' in event ? String((event as KeyboardEvent).key) : null,
          data: 'data' in event ? asText((event as InputEvent).data) : null,
          target: target?.id || target?.nodeName || '',
          value: typeof target?.value === 'string' ? target.value : '',
        });
      },
      true,
    );
  }

  // Everything the page's scripts could send anywhere.
  const log = (kind: string, url: unknown, body: unknown) => {
    const entry = { kind, url: String(url instanceof Request ? url.url : url), body: '' };
    network.push(entry);
    if (body instanceof Blob) void body.text().then((text) => (entry.body = text));
    else if (body instanceof FormData || body instanceof URLSearchParams) entry.body = asText([...body.entries()]);
    else if (body !== undefined && body !== null) entry.body = asText(body);
  };
  const originalFetch = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    if (input instanceof Request)
      void input
        .clone()
        .text()
        .then((text) => log('fetch', input, text));
    else log('fetch', input, init?.body);
    return originalFetch.call(this, input, init);
  } as typeof fetch;
  const urls = new WeakMap<XMLHttpRequest, string>();
  const originalOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    urls.set(this, String(args[1]));
    return (originalOpen as (...rest: unknown[]) => void).apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;
  const originalSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    log('xhr', urls.get(this) ?? '', body);
    return originalSend.call(this, body);
  };
  const originalBeacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
    log('beacon', url, data);
    return originalBeacon(url, data);
  };
  const OriginalSocket = window.WebSocket;
  window.WebSocket = class extends OriginalSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      log('websocket', url, protocols);
    }
    override send(data: Parameters<WebSocket['send']>[0]) {
      log('websocket.send', this.url, data);
      super.send(data);
    }
  };
  // And whatever the page loads by other means (script and image tags, frames).
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) resources.push(entry.name);
  }).observe({ type: 'resource', buffered: true });

  // Every message posted to this window, and every event the widget dispatches on the page.
  window.addEventListener(
    'message',
    (event) => messages.push(asText({ origin: event.origin, data: event.data })),
    true,
  );
  for (const name of ['ready', 'open', 'close', 'submitted']) {
    document.addEventListener(
      `intake:${name}`,
      (event) => customEvents.push(`${event.type} ${asText((event as CustomEvent).detail)}`),
      true,
    );
  }

  // The whole DOM, open shadow roots included, and any frame document it can get at.
  const walk = (root: Document | ShadowRoot) => {
    dom.add((root instanceof Document ? root.documentElement : root)?.textContent ?? '');
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.attributes) dom.add(`${attribute.name}=${attribute.value}`);
      const value = (element as { value?: unknown }).value;
      if (typeof value === 'string' && value) dom.add(value);
      if (element.shadowRoot) walk(element.shadowRoot);
      if (element instanceof HTMLIFrameElement) {
        try {
          const inner = element.contentDocument ?? element.contentWindow?.document;
          if (inner) {
            readableFrames.add(inner.URL);
            walk(inner);
          }
        } catch {
          // Cross-origin: the browser refuses, as it should.
        }
      }
    }
  };
  const look = () => {
    try {
      walk(document);
      hrefs.add(location.href);
      storage.add(`cookie=${document.cookie}`);
      for (const store of [localStorage, sessionStorage]) {
        for (let i = 0; i < store.length; i++) {
          const key = store.key(i) ?? '';
          storage.add(`${key}=${store.getItem(key)}`);
        }
      }
    } catch (error) {
      dom.add(`spy error: ${String(error)}`);
    }
  };
  setInterval(look, 100);

  (window as unknown as { __spy: () => SpyReport }).__spy = () => {
    look();
    return {
      events,
      network,
      resources,
      messages,
      customEvents,
      dom: [...dom],
      hrefs: [...hrefs],
      storage: [...storage],
      readableFrames: [...readableFrames],
    };
  };
}

const spyPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>A page that watches</title>
  <link rel="icon" href="data:,">
  <script>(${installSpy.toString()})();</script>
</head>
<body>
  <h1>Welcome</h1>
  <label>Search the site <input id="host-search" type="search"></label>
  <script src="http://127.0.0.1:8787/widget.js" async data-center="riverbend"></script>
</body>
</html>`;

const pages = {
  '/hostile-css.html': { html: hostilePage, csp: false },
  '/spy.html': { html: spyPage, csp: false },
};

describe.skipIf(!hasChromium)('isolation from the host page', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(pages), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
    return context.newPage();
  }

  async function answerAll(frame: FrameLocator, answers: readonly Answer[]): Promise<void> {
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of answers) await answer(frame, value);
  }

  async function submit(frame: FrameLocator): Promise<void> {
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await frame.getByText('We will call you back within 15 minutes.').waitFor();
  }

  it('shows a usable launcher and chat on a page with hostile CSS, and the visitor can send a request', async () => {
    const page = await newPage();
    await page.goto(`${stack.site}/hostile-css.html`);

    // The page's rules did land on the page (so the test is not vacuous).
    expect(await page.locator('body').evaluate((body) => getComputedStyle(body).letterSpacing)).toBe('9px');

    const button = launcher(page);
    await button.waitFor({ state: 'visible' });
    const style = await button.evaluate((element) => {
      const computed = getComputedStyle(element);
      const icon = getComputedStyle(element, '::before');
      return {
        fontSize: computed.fontSize,
        fontFamily: computed.fontFamily,
        letterSpacing: computed.letterSpacing,
        textTransform: computed.textTransform,
        color: computed.color,
        display: computed.display,
        position: computed.position,
        zIndex: computed.zIndex,
        pointerEvents: computed.pointerEvents,
        iconWidth: icon.width,
      };
    });
    expect(style).toMatchObject({
      fontSize: '16px',
      letterSpacing: 'normal',
      textTransform: 'none',
      display: 'flex', // inline-flex, blockified by position: fixed
      position: 'fixed',
      zIndex: '2147483000',
      pointerEvents: 'auto',
      iconWidth: '22px',
    });
    expect(style.fontFamily).not.toMatch(/comic/i);
    expect(style.color).not.toMatch(/rgba\(.*, 0\)$|transparent/);

    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    if (!box) return;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(DESKTOP.width);
    expect(box.y + box.height).toBeLessThanOrEqual(DESKTOP.height);
    // On top of the page's own fixed box that covers the corner.
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x, y)?.shadowRoot?.elementFromPoint(x, y)?.className ?? '',
      [box.x + box.width / 2, box.y + box.height / 2] as const,
    );
    expect(onTop).toBe('launcher');

    // Playwright's click checks that nothing covers the launcher before it clicks.
    const frame = await openChat(page);
    const iframe = page.locator('intake-chat iframe');
    await expect.poll(() => iframe.isVisible()).toBe(true);
    const frameBox = await iframe.boundingBox();
    expect(frameBox?.width).toBeGreaterThanOrEqual(300);
    expect(frameBox?.height).toBeGreaterThanOrEqual(400);
    if (!frameBox) return;
    const frameOnTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x, y)?.shadowRoot?.elementFromPoint(x, y)?.nodeName ?? '',
      [frameBox.x + frameBox.width / 2, frameBox.y + frameBox.height / 2] as const,
    );
    expect(frameOnTop).toBe('IFRAME');

    await answerAll(frame, journeys['iop-fit']);
    await frame.getByRole('heading', { name: 'Our IOP may be a fit' }).waitFor();
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(frame, { name: 'Marisol' });
    await submit(frame);

    expect((await stack.leads()).find((lead) => lead.contact.name === 'Marisol')).toMatchObject({
      route: 'iop-fit',
      consent: { page: '/hostile-css.html' },
    });
    await page.context().close();
  });

  it("draws the launcher's icon in the button text's colour, in forced-colors mode as well", async () => {
    for (const forcedColors of ['none', 'active'] as const) {
      const context = await browser.newContext({ viewport: DESKTOP, forcedColors });
      const page = await context.newPage();
      await page.goto(`${stack.site}/`);
      const button = launcher(page);
      const colours = async () =>
        button.evaluate((element) => {
          const own = getComputedStyle(element);
          const icon = getComputedStyle(element, '::before');
          return { text: own.color, fill: own.backgroundColor, icon: icon.backgroundColor, shape: icon.clipPath };
        });
      for (const expanded of [false, true]) {
        if (expanded) await button.click();
        await expect.poll(async () => (await button.getAttribute('aria-expanded')) === String(expanded)).toBe(true);
        const seen = await colours();
        // Readable: the icon is the text's colour on the button's fill, a bubble closed and a cross open.
        expect(seen.icon, `${forcedColors}, expanded ${expanded}`).toBe(seen.text);
        expect(seen.icon).not.toBe(seen.fill);
        expect(seen.shape).toMatch(expanded ? /^polygon\(/ : /^path\(/);
      }
      await context.close();
    }
  });

  it('works under the strict Content-Security-Policy a center is told to use, without a single violation', async () => {
    const page = await newPage();
    // In every frame, before any script: record what the policy blocks.
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = violations;
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push(
          `${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`,
        ),
      );
    });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} at ${message.location().url}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));

    const response = await page.goto(`${stack.site}/index.html`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain(`script-src 'self' ${stack.api}`);
    expect(policy).toContain(`frame-src ${stack.api}`);
    expect(policy).toContain(`img-src 'self' data: ${stack.api}`);
    // The page itself never connects to the widget's origin: default-src 'self' is all connect-src gets.
    expect(policy).not.toContain('connect-src');
    expect(policy).toContain("style-src 'self'");

    const frame = await openChat(page);
    await answerAll(frame, journeys['higher-care']);
    await frame.getByRole('heading', { name: 'More support may help' }).waitFor();
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(frame, { name: 'Tobias' });
    await submit(frame);

    expect((await stack.leads()).find((lead) => lead.contact.name === 'Tobias')).toMatchObject({
      route: 'higher-care',
      consent: { page: '/index.html' },
    });
    const violations = (target: Page | NonNullable<ReturnType<Page['frame']>>) =>
      target.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    expect(await violations(page)).toEqual([]);
    const chatFrame = page.frames().find((candidate) => new URL(candidate.url()).pathname === '/frame');
    expect(chatFrame).toBeDefined();
    if (chatFrame) expect(await violations(chatFrame)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('gives a host page that logs keys, patches the network and walks the DOM none of the answers or contact details', async () => {
    const page = await newPage();
    const hostRequests: { url: string; text: string }[] = [];
    page.on('request', (request) => {
      if (request.frame() === page.mainFrame())
        hostRequests.push({
          url: request.url(),
          text: `${request.method()} ${request.url()} ${request.postData() ?? ''}`,
        });
    });
    const navigations: string[] = [];
    page.on('framenavigated', (navigated) => {
      if (navigated === page.mainFrame()) navigations.push(navigated.url());
    });
    const address = `${stack.site}/spy.html`;
    await page.goto(address);

    // The spy works: it sees the page's own keystrokes, requests and shadow DOM.
    await page.locator('#host-search').pressSequentially('canary-42');
    await page.evaluate(async () => {
      await fetch('/canary-fetch', { method: 'POST', body: 'canary-body' });
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/canary-xhr');
      xhr.send('canary-body');
      navigator.sendBeacon('/canary-beacon', 'canary-body');
    });

    const frame = await openChat(page);
    // Distinctive answers: each label of the journey is one the visitor clicks.
    await answerAll(frame, journeys['iop-fit']);
    await frame.getByRole('heading', { name: 'Our IOP may be a fit' }).waitFor();
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    // Real key events, one by one, as a keylogger would want them.
    await frame.getByLabel('First name or nickname').pressSequentially('Zephyrine');
    await frame.getByLabel('Phone number', { exact: true }).pressSequentially('(312) 555-0177');
    await frame.getByLabel(/US state you live in/).selectOption('WY');
    await frame.getByRole('checkbox', { name: /18/ }).check();
    await frame.getByRole('checkbox', { name: /Riverbend Recovery may call/ }).check();
    await submit(frame);
    // Give the spy's 100 ms walk time to look at the page after sending.
    await page.waitForTimeout(300);

    // The visitor really did answer and type all of it.
    expect((await stack.leads()).find((lead) => lead.contact.name === 'Zephyrine')).toMatchObject({
      route: 'iop-fit',
      contact: { phone: '+13125550177', state: 'WY', forWhom: 'self' },
      answers: { substances: ['cannabis'], 'use-frequency': 'weekly', coverage: 'private' },
    });

    const spy = await page.evaluate(() => (window as unknown as { __spy: () => SpyReport }).__spy());
    // The spy is live and thorough, so what it did not see, it could not.
    expect(
      spy.events
        .filter((event) => event.type === 'keydown')
        .map((event) => event.key)
        .join(''),
    ).toBe('canary-42');
    // The widget makes no request from the page itself (its launcher's count rides on the frame's): the
    // spy sees only the page's own.
    expect(spy.network.map(({ kind, url, body }) => [kind, new URL(url, address).pathname, body])).toEqual([
      ['fetch', '/canary-fetch', 'canary-body'],
      ['xhr', '/canary-xhr', 'canary-body'],
      ['beacon', '/canary-beacon', 'canary-body'],
    ]);
    expect(spy.dom).toContain('canary-42');
    expect(spy.dom.some((text) => text.includes('Close chat'))).toBe(true); // inside the open shadow root
    expect(spy.messages.some((message) => message.includes('"submitted"'))).toBe(true);
    expect(spy.customEvents).toContain('intake:submitted null');
    for (const url of spy.readableFrames) expect(url).toBe('about:blank');

    // Every key and input event the host saw came from its own search box.
    expect(spy.events.filter((event) => event.target !== 'host-search')).toEqual([]);
    // Messages to the page come from the widget's origin only.
    for (const message of spy.messages) expect(JSON.parse(message).origin).toBe(stack.api);
    // The page and its scripts talked to the site and the widget's origin, nowhere else.
    const allowed = new Set([stack.site, stack.api]);
    const reached = [
      ...spy.network.map((entry) => entry.url),
      ...spy.resources,
      ...hostRequests.map((request) => request.url),
    ];
    for (const url of reached) expect(allowed, url).toContain(new URL(url, address).origin);

    const secrets = [
      // Contact details.
      'Zephyrine',
      'Wyoming',
      // The labels clicked, and the route's heading.
      'For myself',
      'Cannabis',
      'A few times a week',
      'Doing okay',
      'Evenings',
      'Private insurance',
      'IOP may be a fit',
      // Answer values, step ids and route ids.
      'weekly',
      'for-whom',
      'substances',
      'use-frequency',
      'schedule-pref',
      'coverage',
      'iop-fit',
      'withdrawal-first',
      'higher-care',
      'talk-first',
    ];
    const seen: [string, string][] = [
      ...spy.events.map((event): [string, string] => ['key or input event', JSON.stringify(event)]),
      ...spy.network.map((entry): [string, string] => ['request', JSON.stringify(entry)]),
      ...spy.resources.map((url): [string, string] => ['resource', url]),
      ...spy.messages.map((message): [string, string] => ['message', message]),
      ...spy.customEvents.map((event): [string, string] => ['widget event', event]),
      ...spy.dom.map((text): [string, string] => ['DOM', text]),
      ...spy.hrefs.map((href): [string, string] => ['location', href]),
      ...spy.storage.map((entry): [string, string] => ['storage', entry]),
      ...hostRequests.map((request): [string, string] => ['host request', request.text]),
      ...navigations.map((url): [string, string] => ['navigation', url]),
    ];
    const leaks: string[] = [];
    for (const [where, text] of seen) {
      const lower = text.toLowerCase();
      for (const secret of secrets)
        if (lower.includes(secret.toLowerCase())) leaks.push(`${secret} in ${where}: ${text}`);
      if (text.replace(/\D/g, '').includes('5550177')) leaks.push(`the phone number in ${where}: ${text}`);
    }
    const typed = spy.events.map((event) => `${event.key ?? ''}${event.data ?? ''}`).join('');
    if (typed.replace(/\D/g, '').includes('5550177')) leaks.push(`the phone number in key events: ${typed}`);
    expect(leaks).toEqual([]);

    // Nothing kept on the page, and its address never changed.
    expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual([
      '',
      0,
      0,
    ]);
    expect(spy.storage).toEqual(['cookie=']);
    expect(page.url()).toBe(address);
    expect(spy.hrefs).toEqual([address]);
    expect(navigations).toEqual([address]);
    await page.context().close();
  });
});
