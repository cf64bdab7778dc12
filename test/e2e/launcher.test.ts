import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';
import { launcher } from './support/widget.js';

// The launcher is fixed in the bottom corner, over whatever the page has there. On a phone it must
// not cover the page's own controls, the demo center's hero "Call" button above all: a tap meant
// for the call must reach the call.

/** The smallest phone still in use: an iPhone SE (1st generation) or a small Android, 320 x 568. */
const SMALL_PHONE = { width: 320, height: 568 } as const;

/** A center's page that lifts the launcher on phones only, say above its own sticky call bar. */
const raisedPage = `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Raised</title></head>
<body><script src="http://127.0.0.1:8787/widget.js" async data-center="riverbend" data-mobile-offset-y="120"></script></body></html>`;

const pages = [
  { path: '/index.html', name: 'Talk to us' },
  { path: '/es/index.html', name: 'Hablemos' },
] as const;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Where the launcher's words are drawn, and the launcher's own box: words inside the box are
 * visible, words wholly outside it are clipped away (the launcher clips what overflows it).
 */
function labelAndBox(button: Locator): Promise<{ label: Box; box: Box }> {
  return button.evaluate((element) => {
    const text = [...element.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim());
    if (!text) throw new Error('the launcher has no words');
    const range = document.createRange();
    range.selectNodeContents(text);
    const { x, y, width, height } = range.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    return { label: { x, y, width, height }, box: { x: box.x, y: box.y, width: box.width, height: box.height } };
  });
}

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;
const apart = (a: Box, b: Box) =>
  a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

describe.skipIf(!hasChromium)('the launcher on a phone', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ '/raised.html': raisedPage }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function visit(path: string, viewport: { width: number; height: number }, phone: boolean): Promise<Page> {
    const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${stack.site}${path}`);
    await launcher(page).waitFor();
    return page;
  }

  for (const viewport of [PHONE, SMALL_PHONE]) {
    for (const { path, name } of pages) {
      it(`a visitor on a ${viewport.width} px phone who taps the page's own Call button (${path}) reaches the call link, not the chat`, async () => {
        const page = await visit(path, viewport, true);
        const call = page.locator('main .hero a[href^="tel:"]');
        const box = await call.boundingBox();
        if (!box) throw new Error('the hero has no visible tel: link');
        // On the first screen, without scrolling.
        expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);

        // The centre, and where a thumb lands near either end of the button.
        const hits = await call.evaluate(
          (link, { x, y, width, height }) =>
            [0.5, 0.12, 0.88].map((along) => {
              const found = document.elementFromPoint(x + width * along, y + height / 2);
              return found !== null && link.contains(found) ? 'the call link' : (found?.localName ?? 'nothing');
            }),
          box,
        );
        expect(hits).toEqual(['the call link', 'the call link', 'the call link']);

        // The launcher is a round, icon-only button there: still a named button, big enough to tap.
        const round = page.locator('intake-chat').getByRole('button', { name, exact: true });
        expect(await round.getAttribute('aria-expanded')).toBe('false');
        expect(await round.getAttribute('aria-controls')).toBe('intake-panel');
        const { label, box: size } = await labelAndBox(round);
        expect(size.width).toBeGreaterThanOrEqual(44);
        expect(size.height).toBeGreaterThanOrEqual(44);
        expect(Math.abs(size.width - size.height)).toBeLessThan(1);
        expect(apart(label, size)).toBe(true);
        // Nor does it cover any other control of the hero.
        for (const link of await page.locator('main .hero a').all()) {
          const other = await link.boundingBox();
          if (other) expect(apart(other, size)).toBe(true);
        }
        await page.context().close();
      });
    }
  }

  it('a visitor on a 1280 px desktop still sees the launcher say "Talk to us"', async () => {
    const page = await visit('/index.html', DESKTOP, false);
    const button = page.locator('intake-chat').getByRole('button', { name: 'Talk to us', exact: true });
    const { label, box } = await labelAndBox(button);
    expect(inside(label, box)).toBe(true);
    expect(label.width).toBeGreaterThan(50);
    expect(box.height).toBe(52);
    await page.context().close();
  });

  it('a page that sets data-mobile-offset-y="120" gets the launcher 120 px up on a phone, and 20 px on a desktop', async () => {
    const bottomGap = async (viewport: { width: number; height: number }, phone: boolean) => {
      const page = await visit('/raised.html', viewport, phone);
      const box = await launcher(page).boundingBox();
      await page.context().close();
      return box ? Math.round(viewport.height - box.y - box.height) : null;
    };
    expect(await bottomGap(PHONE, true)).toBe(120);
    expect(await bottomGap(DESKTOP, false)).toBe(20);
  });
});
