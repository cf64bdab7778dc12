import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { chat, launcher } from './support/widget.js';

// On many phones a frame runs on the host page's own main thread. So the chat's frame is made on
// intent; with data-preload="idle" it is made while the page is idle, and fetches the conversation's
// files but runs nothing until the visitor shows intent.

/** The demo's home page with the frame made while the page is idle. */
const idlePage = readFileSync(new URL('../../demo/site/index.html', import.meta.url), 'utf8').replace(
  'data-center="riverbend"',
  'data-center="riverbend" data-preload="idle"',
);

/**
 * Every fetch of frame.js (or `file`) the page's renderer makes, and whether the network or the cache
 * answered, once per request: Chromium reports raw headers (ExtraInfo) only for what crossed the network.
 */
async function watchFrameScript(cdp: CDPSession, file = '/frame.js'): Promise<Fetched> {
  const seen = { fromNetwork: 0, fromCache: 0 };
  const fetched = new Set<string>();
  const overNetwork = new Set<string>();
  const tally = () => {
    seen.fromNetwork = [...fetched].filter((id) => overNetwork.has(id)).length;
    seen.fromCache = fetched.size - seen.fromNetwork;
  };
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceivedExtraInfo', ({ requestId }) => {
    overNetwork.add(requestId);
    tally();
  });
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    if (!new URL(response.url).pathname.endsWith(file)) return;
    fetched.add(requestId);
    tally();
  });
  return seen;
}

type Fetched = { fromNetwork: number; fromCache: number };
const chatFrames = (page: Page) => page.frames().filter((frame) => frame.url().includes('/frame?'));

describe.skipIf(!hasChromium)('when the chat is made', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ '/idle.html': idlePage }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function visit(
    headers: Record<string, string> = {},
    path = '/idle.html',
  ): Promise<{ page: Page; frameScript: Fetched; frameStyle: Fetched }> {
    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      extraHTTPHeaders: headers,
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const frameScript = await watchFrameScript(cdp);
    const frameStyle = await watchFrameScript(cdp, '/frame.css');
    await page.goto(`${stack.site}${path}`);
    await launcher(page).waitFor();
    return { page, frameScript, frameStyle };
  }

  /** The chat's frame once its page has loaded. */
  async function loadedFrame(page: Page) {
    await page.waitForFunction(() => {
      const frame = document.querySelector('intake-chat')?.shadowRoot?.querySelector('iframe');
      return frame?.src.includes('start=intent');
    });
    await expect.poll(() => chatFrames(page).length).toBe(1);
    const [frame] = chatFrames(page);
    if (!frame) throw new Error('no chat frame');
    await frame.waitForLoadState('load');
    return frame;
  }

  it('as shipped, makes no frame while the visitor reads, counts the launcher with one image, and opens from the cache next time', async () => {
    const { page, frameScript } = await visit({}, '/index.html');
    const shown: string[] = [];
    page.on('request', (request) => {
      // An image, and one that tells the server nothing of the page it was on.
      if (new URL(request.url()).pathname === '/v1/shown')
        shown.push(`${request.resourceType()}, referrer ${request.headers().referer || 'none'}`);
    });
    await expect.poll(() => shown, { timeout: 10_000 }).toEqual(['image, referrer none']);
    await page.waitForTimeout(1_000);
    expect(chatFrames(page)).toHaveLength(0);
    expect(frameScript).toEqual({ fromNetwork: 0, fromCache: 0 });

    // The tap makes the frame, which opens with the crisis lines at hand meanwhile.
    await launcher(page).tap();
    await chat(page)
      .getByRole('button', { name: /^Start$/ })
      .waitFor();
    expect(new URL(chatFrames(page)[0]?.url() ?? '').searchParams.get('count')).toBeNull();
    expect(frameScript).toEqual({ fromNetwork: 1, fromCache: 0 });

    // The next page of the site: the frame, made on the tap again, finds the conversation cached.
    await page.goto(`${stack.site}/index.html`);
    await launcher(page).tap();
    await chat(page)
      .getByRole('button', { name: /^Start$/ })
      .waitFor();
    expect(frameScript).toEqual({ fromNetwork: 1, fromCache: 1 });
    // Tapped before the page was idle: the frame carried this page view's count, and no image was asked for.
    expect(new URL(chatFrames(page)[0]?.url() ?? '').searchParams.get('count')).toBe('shown');
    await page.waitForTimeout(2_000);
    expect(shown).toEqual(['image, referrer none']);
    await page.context().close();
  });

  it('with data-preload="idle", fetches the conversation while the visitor reads, runs it on a tap, and fetches it only once', async () => {
    const { page, frameScript } = await visit();
    const frame = await loadedFrame(page);
    await expect.poll(() => frameScript.fromNetwork, { timeout: 10_000 }).toBe(1);
    // Fetched, not run: nothing is drawn in the frame and no script element asks for it.
    await page.waitForTimeout(500);
    expect(await frame.evaluate(() => document.getElementById('app')?.childElementCount)).toBe(0);
    expect(await frame.evaluate(() => document.querySelectorAll('script[src]').length)).toBe(0);

    await launcher(page).tap();
    await chat(page)
      .getByRole('button', { name: /^Start$/ })
      .waitFor();
    // The same frame, its script from the cache: one download in all.
    expect(chatFrames(page)).toHaveLength(1);
    expect(frameScript).toMatchObject({ fromNetwork: 1 });
    await page.context().close();
  });

  it('with data-preload="idle", fetches nothing more for a browser that asks to save data until the visitor reaches for the chat', async () => {
    const { page, frameScript, frameStyle } = await visit({ 'Save-Data': 'on' });
    const frame = await loadedFrame(page);
    await page.waitForTimeout(1_000);
    const none = { fromNetwork: 0, fromCache: 0 };
    expect([frameScript, frameStyle]).toEqual([none, none]);
    expect(await frame.evaluate(() => document.getElementById('app')?.childElementCount)).toBe(0);

    await launcher(page).tap();
    const start = chat(page).getByRole('button', { name: /^Start$/ });
    await start.waitFor();
    expect(chatFrames(page)).toHaveLength(1);
    const once = { fromNetwork: 1, fromCache: 0 };
    expect([frameScript, frameStyle]).toEqual([once, once]);
    // Drawn with its styles: Start is filled with the center's accent, not a bare button.
    expect(await start.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(27, 111, 92)');
    await page.context().close();
  });

  it('tells the page nothing of a conversation in progress until the visitor reaches for the chat', async () => {
    const { page } = await visit();
    const said: string[] = [];
    await page.exposeFunction('heard', (type: string) => said.push(type));
    await launcher(page).tap();
    const frame = chat(page);
    await frame.getByRole('button', { name: 'Cambiar a español' }).click();
    await frame.getByRole('button', { name: /^Empezar$/ }).click();
    await expect.poll(() => launcher(page).textContent()).toBe('Cerrar chat');

    // The next page of the site, as a tracker on it listens: the frame says what it says to anyone.
    await page.addInitScript(() =>
      addEventListener('message', (event) => {
        if (event.data?.channel === 'intake-chat')
          (window as unknown as { heard(type: string): void }).heard(event.data.type);
      }),
    );
    await page.goto(`${stack.site}/idle.html`);
    await loadedFrame(page);
    await expect.poll(() => said).toEqual(['waiting']);
    await page.waitForTimeout(500);
    expect(said).toEqual(['waiting']);
    expect(await launcher(page).textContent()).toBe('Talk to us');

    // On intent the conversation runs, in the language it was in, and the launcher follows it.
    await launcher(page).hover();
    await expect.poll(() => launcher(page).textContent(), { timeout: 10_000 }).toBe('Hablemos');
    await launcher(page).click();
    await frame.getByText('¿Para quién pregunta?').waitFor();
    await page.context().close();
  });
});
