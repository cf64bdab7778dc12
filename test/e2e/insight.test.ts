import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { expectNoViolations, signInToConsole } from './support/console.js';
import { type Stack, startStack } from './support/stack.js';
import { answer, fillForm, journeys, openChat } from './support/widget.js';

// Conversion insight as a center meets it, in real Chromium against the real lead server: two visitors
// use the chat (one leaves at the fourth question, one reaches a result and asks for a call), and the
// admin's Insight screen shows exactly those counts and where the first one left. The beacons that
// carried the counts name no one.

/** What one beacon to /v1/events carried, and whether it went with a cookie or a referring page. */
interface Beacon {
  readonly body: Record<string, unknown>;
  readonly cookie: boolean;
  readonly referer: string | undefined;
  /** For the launcher's count, the names in its frame's query. */
  readonly query?: readonly string[];
}

describe.skipIf(!hasChromium)('conversion insight', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const beacons: Beacon[] = [];
  /** The server's clock runs this far ahead: the report shows whole days, so the test moves to tomorrow. */
  let ahead = 0;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({}, { now: () => new Date(Date.now() + ahead) }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await stack?.close();
  });

  /** A visitor's own browser, whose every beacon (from the host page or the chat) is kept. */
  async function visitorPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('request', (request) => {
      const url = new URL(request.url());
      const headers = request.headers();
      const sent = { cookie: 'cookie' in headers, referer: headers.referer };
      // The launcher's count rides on its first frame, or on the image the shell loads while
      // the page is idle: the page's script sends no beacon of its own.
      if ((url.pathname === '/frame' && url.searchParams.get('count') === 'shown') || url.pathname === '/v1/shown') {
        const body = { center: url.searchParams.get('center'), event: 'shown' };
        beacons.push({ body, ...sent, query: [...url.searchParams.keys()] });
      } else if (url.pathname === '/v1/events')
        beacons.push({ body: JSON.parse(request.postData() ?? 'null'), ...sent });
    });
    return page;
  }

  async function answerSome(frame: FrameLocator, count: number) {
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of journeys['iop-fit'].slice(0, count)) await answer(frame, value);
  }

  /** The cells of the table captioned `caption`, row by row, as a screen reader reaches them. */
  const table = (page: Page, caption: string) =>
    page
      .locator('table', { has: page.locator('caption', { hasText: caption }) })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? '')));

  it('shows the admin exactly what two visitors did, and the beacons carry no identifier', async () => {
    // One visitor answers three questions and leaves while the fourth is asked.
    const first = await visitorPage();
    await first.goto(`${stack.site}/`);
    const leaving = await openChat(first);
    await answerSome(leaving, 3);
    // The fourth question is on screen: its beacon went when it was asked.
    await expect.poll(() => beacons.filter((beacon) => beacon.body.event === 'step').length).toBe(4);
    await first.close();

    // Another arrives from a newsletter, answers everything and asks for a call.
    const second = await visitorPage();
    await second.goto(`${stack.site}/?utm_source=newsletter&utm_medium=email&utm_campaign=winter`);
    const staying = await openChat(second);
    await answerSome(staying, journeys['iop-fit'].length);
    await staying.getByRole('heading', { name: 'Our IOP may be a fit' }).waitFor();
    await staying.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(staying, { name: 'Quillon' });
    await staying.getByRole('button', { name: 'Send my request' }).click();
    await staying.getByText('We will call you back within 15 minutes.').waitFor();
    await expect.poll(() => beacons.filter((beacon) => beacon.body.event === 'sent').length).toBe(1);

    // The beacons: a center, an event, and only the step, route or source it concerns.
    const allowed = ['center', 'event', 'step', 'after', 'route', 'link', 'source'];
    for (const beacon of beacons) {
      expect(Object.keys(beacon.body).filter((key) => !allowed.includes(key))).toEqual([]);
      expect(beacon.body.center).toBe('riverbend');
      expect(beacon.cookie).toBe(false);
      // The chat's beacons go with no referring page at all; the launcher's with its origin at most.
      if (beacon.referer) expect(new URL(beacon.referer).pathname).toBe('/');
      // The launcher's frame asks for its center and language, and says whether it waits and counts.
      if (beacon.query)
        expect(beacon.query.filter((name) => !['center', 'locale', 'start', 'count'].includes(name))).toEqual([]);
    }
    expect(beacons.filter((beacon) => beacon.query)).toHaveLength(2);
    const text = JSON.stringify(beacons.map((beacon) => beacon.body));
    for (const typed of ['Quillon', '555', '0142', 'Cannabis', 'cannabis', 'Private insurance']) {
      expect(text).not.toContain(typed);
    }
    expect(beacons.map((beacon) => beacon.body.event).filter((event) => event !== 'step')).toEqual([
      'shown',
      'opened',
      'started',
      'shown',
      'opened',
      'started',
      'result',
      'form',
      'sent',
    ]);
    expect(beacons.find((beacon) => beacon.body.event === 'sent')?.body.source).toEqual({
      source: 'newsletter',
      medium: 'email',
      campaign: 'winter',
    });

    // The next morning: yesterday is a whole day, and in the report.
    ahead = 24 * 60 * 60_000;
    const password = await stack.addStaff('ines@riverbend.example', 'admin');
    const admin = await signInToConsole(browser, stack.api, { email: 'ines@riverbend.example', password });
    contexts.push(admin.context());
    await admin.getByRole('link', { name: 'Insight' }).click();
    await admin.getByRole('link', { name: '7 days', exact: true }).click();
    await admin.getByRole('heading', { level: 2, name: 'From launcher to admission' }).waitFor();

    expect(await table(admin, 'From launcher to admission')).toEqual([
      ['Launcher shown', '2', '–'],
      ['Chat opened', '2', '100%'],
      ['Conversation started', '2', '100%'],
      ['Reached a result', '1', '50%'],
      ['Asked for a call', '1', '100%'],
      ['Contacted', '0', '0%'],
      ['Scheduled', '0', '–'],
      ['Admitted', '0', '–'],
    ]);
    const steps = await table(admin, 'Where people leave the conversation');
    expect(steps.map(([, reached, answered, left]) => [reached, answered, left])).toEqual([
      ['2', '2', '0'],
      ['2', '2', '0'],
      ['2', '2', '0'],
      ['2', '1', '1'],
      ...Array.from({ length: 10 }, () => ['1', '1', '0']),
    ]);
    expect(await table(admin, 'Requests and admissions by source')).toEqual([
      ['newsletter', 'email', 'winter', '', '1', '1', '0', '0'],
      ['No campaign or referring site', '', '', '', '1', '0', '0', '0'],
    ]);
    expect(admin.url()).toMatch(/#\/insight\?days=7$/);
    await expectNoViolations(admin, 'the Insight screen on a desk');

    // On a phone: the same numbers, nothing sideways, nothing axe finds.
    await admin.setViewportSize(PHONE);
    await admin.getByRole('heading', { level: 2, name: 'Speed to lead' }).waitFor();
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectNoViolations(admin, 'the Insight screen on a phone');
  });
});
