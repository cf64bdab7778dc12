import { sourceTag } from '@intake-chat/engine/schema';
import { type CenterConfig, loadConfig, purgeExpired } from '@intake-chat/server';
import { describe, expect, it } from 'vitest';
import type { InsightReport } from '../src/admin/consoleApi.js';
import { addressBlock } from '../src/http/createRateLimiter.js';
import { type CountKey, createInsightStore, OTHER_SOURCE, SOURCES_PER_DAY } from '../src/insight/createInsightStore.js';
import { shared } from '../src/insight/insightCsv.js';
import { readBeacon } from '../src/insight/readBeacon.js';
import { twoCenters, useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';
import { validLead, visitor } from './support/validLead.js';

const config = loadConfig(undefined, {});
const riverbend = config.centers.get('riverbend') as CenterConfig;
const steps = riverbend.flow.steps.map((step) => step.id);

/** What the server answers a beacon, read as a count or the reason it was refused. */
const read = (body: unknown, at = new Date('2026-11-20T15:00:00Z')) => readBeacon(body, config.centers, at);
const refusal = (body: unknown) => {
  const reading = read(body);
  return reading.ok ? 'counted' : reading.message;
};

describe('an insight event', () => {
  it('is counted by center, day, event and the step, route or crisis line it names, and nothing more', () => {
    const reading = read({ center: 'riverbend', event: 'step', step: steps[3], after: steps[2] });
    expect(reading.ok && reading.keys.map(({ event, detail, day }) => ({ event, detail, day }))).toEqual([
      { event: 'step', detail: steps[3], day: '2026-11-20' },
      { event: 'answered', detail: steps[2], day: '2026-11-20' },
    ]);
  });

  it('cannot carry free text, a name or a contact detail: the schema refuses the event whole', () => {
    // Keys outside the list: what was typed, who typed it, and anything that could tell one visitor from another.
    for (const key of ['answer', 'text', 'name', 'phone', 'email', 'visitorId', 'sessionId', 'userAgent', 'at']) {
      expect(refusal({ center: 'riverbend', event: 'opened', [key]: 'x' })).toBe(
        `"${key}" cannot be counted; an event carries only center, event, step, after, route, link and source`,
      );
    }
    expect(refusal({ center: 'riverbend', event: 'opened', source: { term: 'detox near me' } })).toMatch(
      /^source: "term" cannot be counted/,
    );
    // A step or route is an id of the center's flow, never the visitor's words.
    expect(refusal({ center: 'riverbend', event: 'step', step: 'I drink every day' })).toBe(
      'step: "I drink every day" is not a step of flow iop-intake',
    );
    expect(refusal({ center: 'riverbend', event: 'result', route: 'call me at 3125550142' })).toBe(
      'route: "call me at 3125550142" is not a route of flow iop-intake',
    );
    // Campaign tags that hold a contact detail, and a referrer with a path or a query.
    expect(refusal({ center: 'riverbend', event: 'opened', source: { campaign: visitor.phone } })).toMatch(
      /^source\.campaign: .* no e-mail address or phone number/,
    );
    expect(refusal({ center: 'riverbend', event: 'opened', source: { source: 'marisol@mail.example' } })).toMatch(
      /^source\.source: /,
    );
    expect(refusal({ center: 'riverbend', event: 'opened', source: { campaign: 'Spring Sale' } })).toMatch(
      /^source\.campaign: /,
    );
    expect(refusal({ center: 'riverbend', event: 'opened', source: { referrer: 'search.example/q=detox' } })).toMatch(
      /^source\.referrer: /,
    );
    // Each event carries only its own part: no source on a step, no step on an open.
    expect(refusal({ center: 'riverbend', event: 'step', step: steps[0], source: { source: 'mail' } })).toBe(
      'source: a "step" event carries no source',
    );
    expect(refusal({ center: 'riverbend', event: 'crisis-link' })).toBe('link: a "crisis-link" event names its link');
    expect(refusal({ center: 'riverbend', event: 'crisis-link', link: 'tel:+13125550142' })).toMatch(/^link: /);
    expect(refusal({ center: 'nowhere', event: 'opened' })).toBe('No center "nowhere" is set up here.');
    expect(
      refusal({ center: 'riverbend', event: 'opened', source: { source: 'newsletter', referrer: 'search.example' } }),
    ).toBe('counted');
  });

  it('keeps a campaign tag only when it cannot be a phone number or an e-mail address', () => {
    expect(sourceTag('Spring Sale 2026-12-01')).toBe('spring-sale-2026-12-01');
    for (const hidden of [
      '555_123_4567',
      '555/123/4567',
      '1 (312) 555-0142',
      'jane@mail.example',
      'jane(at)mail.example',
      'jane＠mail.example',
    ]) {
      expect(sourceTag(hidden), hidden).toBeUndefined();
    }
  });

  it('limits an IPv6 client by its /64, and an IPv4 one (mapped or not) by its address', () => {
    expect(addressBlock('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBlock('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressBlock('203.0.113.9')).toBe('203.0.113.9');
  });

  it('rounds a shared count to fives and writes one under five as "fewer than 5"', () => {
    expect([0, 1, 4, 5, 7, 8, 12, 13, 1002].map(shared)).toEqual([
      '0',
      'fewer than 5',
      'fewer than 5',
      '5',
      '5',
      '10',
      '10',
      '15',
      '1000',
    ]);
  });

  it('falls on the day of the center’s own clock when it arrived', () => {
    // Riverbend is in Chicago: 05:59 UTC on 3 December is still 2 December there.
    const day = (at: string) => {
      const reading = read({ center: 'riverbend', event: 'opened' }, new Date(at));
      return reading.ok ? reading.keys[0]?.day : reading.message;
    };
    expect(day('2026-12-03T05:59:59Z')).toBe('2026-12-02');
    expect(day('2026-12-03T06:00:00Z')).toBe('2026-12-03');
  });
});

const key = (overrides: Partial<CountKey> = {}): CountKey => ({
  center: 'riverbend',
  day: '2026-11-20',
  event: 'opened',
  detail: '',
  source: '',
  medium: '',
  campaign: '',
  referrer: '',
  ...overrides,
});

for (const backend of await storageBackends()) {
  describe.skipIf(backend.skipped !== undefined)(`insight counts on ${backend.name}`, () => {
    const server = useConsoleApp(backend);

    it('add up across two servers writing at once, and nothing is kept but the numbers', async () => {
      const one = createInsightStore(server.database);
      const two = createInsightStore(server.database);
      for (let i = 0; i < 300; i++) {
        one.add(key());
        two.add(key());
        if (i % 3 === 0) two.add(key({ event: 'step', detail: steps[0] as string }));
      }
      await Promise.all([one.flush(), two.flush()]);
      one.add(key(), 5);
      await Promise.all([one.flush(), two.flush()]);
      const rows = await one.counts('riverbend', '2026-11-01', '2026-11-30');
      expect(rows.map(({ event, detail, count }) => ({ event, detail, count }))).toEqual(
        expect.arrayContaining([
          { event: 'opened', detail: '', count: 605 },
          { event: 'step', detail: steps[0], count: 100 },
        ]),
      );
      expect(rows).toHaveLength(2);
      const columns = Object.keys(
        (await server.database.db.selectFrom('insight_counts').selectAll().executeTakeFirstOrThrow()) ?? {},
      );
      expect(columns.sort()).toEqual([
        'campaign',
        'center',
        'count',
        'day',
        'detail',
        'event',
        'medium',
        'referrer',
        'source',
      ]);
    });

    it('keeps the counts of the last 400 days by default, and the center’s own number when it sets one', async () => {
      const store = server.services.insight;
      // 2026-11-20 15:00 UTC is 09:00 in Chicago: day 400 back, counting today, is 2025-10-17.
      store.add(key({ day: '2025-10-16' }));
      store.add(key({ day: '2025-10-17' }));
      store.add(key({ center: 'lakeside', day: '2026-10-01' }));
      await store.flush();
      const centers = twoCenters({}).centers;
      const lakeside = centers.get('lakeside') as CenterConfig;
      centers.set('lakeside', { ...lakeside, insight: { enabled: true, retentionDays: 30 } });
      const purged = await purgeExpired({ ...config, centers }, server.services.retention, server.now(), store);
      expect(purged.map(({ center, counts }) => ({ center, counts }))).toEqual([
        { center: 'riverbend', counts: 1 },
        { center: 'lakeside', counts: 1 },
      ]);
      expect((await store.counts('riverbend', '2000-01-01', '2100-01-01')).map((row) => row.day)).toEqual([
        '2025-10-17',
      ]);
    });

    it('counts at most 200 sources per center and day, and the rest together as other sources', async () => {
      const store = createInsightStore(server.database);
      for (let i = 0; i < SOURCES_PER_DAY + 5; i++) store.add(key({ campaign: `campaign-${i}` }));
      // A source already seen that day is still counted as itself; another center has its own bound.
      store.add(key({ campaign: 'campaign-0' }));
      store.add(key({ center: 'lakeside', campaign: 'campaign-999' }));
      // The next day starts afresh.
      store.add(key({ day: '2026-11-21', campaign: 'campaign-999' }));
      await store.flush();
      const rows = await store.counts('riverbend', '2026-11-20', '2026-11-20');
      expect(rows).toHaveLength(SOURCES_PER_DAY + 1);
      expect(rows.find((row) => row.campaign === 'campaign-0')?.count).toBe(2);
      expect(rows.find((row) => row.source === OTHER_SOURCE)).toMatchObject({ campaign: '', count: 5 });
      expect((await store.counts('lakeside', '2026-11-20', '2026-11-20'))[0]?.campaign).toBe('campaign-999');
      expect((await store.counts('riverbend', '2026-11-21', '2026-11-21'))[0]?.campaign).toBe('campaign-999');
    });

    it('keeps what a failed write did not store, and writes it with the next', async () => {
      const store = createInsightStore(server.database);
      store.add(key(), 3);
      await server.database.db.schema.alterTable('insight_counts').renameTo('insight_counts_away').execute();
      await expect(store.flush()).rejects.toThrow();
      store.add(key(), 2);
      expect(store.pending).toBe(5);
      await server.database.db.schema.alterTable('insight_counts_away').renameTo('insight_counts').execute();
      await store.flush();
      expect((await store.counts('riverbend', '2026-11-20', '2026-11-20'))[0]?.count).toBe(5);
      expect(store.pending).toBe(0);
    });

    describe('the Insight report', () => {
      const beacon = (body: Record<string, unknown>, type = 'text/plain;charset=UTF-8') =>
        server.request('/v1/events', {
          method: 'POST',
          headers: { 'content-type': type },
          body: JSON.stringify({ center: 'riverbend', ...body }),
        });

      /** One visitor's way through the chat as the frame counts it, up to `stopAt` questions answered. */
      async function visit(answered: number, source?: Record<string, string>) {
        await beacon({ event: 'shown' });
        await beacon({ event: 'opened', ...(source ? { source } : {}) });
        await beacon({ event: 'started' });
        for (let i = 0; i <= answered && i < steps.length; i++) {
          await beacon({ event: 'step', step: steps[i], ...(i > 0 ? { after: steps[i - 1] } : {}) });
        }
        if (answered >= steps.length) await beacon({ event: 'result', route: 'iop-fit', after: steps.at(-1) });
      }

      it('shows admins the funnel, where people leave, results, sources and speed to lead', async () => {
        await server.addStaff('ada@riverbend.example', 'riverbend', 'admin', 'en');
        await server.addStaff('sam@riverbend.example', 'riverbend', 'staff', 'en');
        expect((await beacon({ event: 'shown' }, 'application/json')).status).toBe(204);
        await visit(3);
        await visit(steps.length, { source: 'newsletter', medium: 'email', campaign: 'winter' });
        await beacon({ event: 'form' });
        await beacon({ event: 'sent', source: { source: 'newsletter', medium: 'email', campaign: 'winter' } });
        await beacon({ event: 'crisis' });
        await beacon({ event: 'crisis-link', link: '988-text' });
        const id = await server.submit({ utm: { source: 'Newsletter', medium: 'email', campaign: 'winter' } });
        await server.submit({ referrer: 'search.example', idempotencyKey: 'second-request-0001' });
        server.minutesLater(12);
        const working = await server.signIn('ada@riverbend.example');
        for (const to of ['contacted', 'scheduled', 'admitted']) {
          const from = to === 'contacted' ? 'new' : to === 'scheduled' ? 'contacted' : 'scheduled';
          expect((await working.post(`/admin/api/leads/${id}/status`, { from, to })).status).toBe(200);
        }
        // Today is not in the report: counts moving while a visitor chats could be matched to them.
        expect((await working.get<InsightReport>('/admin/api/insight?days=7')).body.funnel[0]).toEqual({
          stage: 'shown',
          count: 0,
        });

        // The next morning, yesterday is.
        server.minutesLater(24 * 60);
        const ada = await server.signIn('ada@riverbend.example');
        const { status, body } = await ada.get<InsightReport>('/admin/api/insight?days=7');
        expect(status).toBe(200);
        expect(body).toMatchObject({ days: 7, from: '2026-11-14', to: '2026-11-20' });
        expect(body.funnel).toEqual([
          { stage: 'shown', count: 3 },
          { stage: 'opened', count: 2 },
          { stage: 'started', count: 2 },
          { stage: 'result', count: 1 },
          { stage: 'requested', count: 2 },
          { stage: 'contacted', count: 1 },
          { stage: 'scheduled', count: 1 },
          { stage: 'admitted', count: 1 },
        ]);
        const byStep = body.steps;
        expect(byStep.slice(0, 5).map(({ reached, answered, left }) => [reached, answered, left])).toEqual([
          [2, 2, 0],
          [2, 2, 0],
          [2, 2, 0],
          [2, 1, 1],
          [1, 1, 0],
        ]);
        expect(body.routes).toEqual(
          expect.arrayContaining([
            { route: 'iop-fit', title: 'Our IOP may be a fit', results: 1, requests: 2, admitted: 1 },
          ]),
        );
        expect(body.sources).toEqual([
          {
            source: 'newsletter',
            medium: 'email',
            campaign: 'winter',
            referrer: '',
            opened: 1,
            requests: 1,
            scheduled: 1,
            admitted: 1,
          },
          {
            source: '',
            medium: '',
            campaign: '',
            referrer: 'search.example',
            opened: 0,
            requests: 1,
            scheduled: 0,
            admitted: 0,
          },
          { source: '', medium: '', campaign: '', referrer: '', opened: 1, requests: 0, scheduled: 0, admitted: 0 },
        ]);
        expect(body.crisis).toEqual({ opened: 1, links: [{ link: '988-text', taps: 1 }] });
        expect(body.speed).toMatchObject({ requests: 2, contacted: 1, medianMinutes: 12, p90Minutes: 12 });

        // The CSV writes counts under five as "fewer than 5", the rest rounded to fives: a rare answer
        // points at no one, and no small number is had by subtracting one figure from another.
        const csv = await ada.get('/admin/api/insight.csv?days=7&table=funnel');
        expect(csv.headers.get('content-disposition')).toBe(
          'attachment; filename="riverbend-insight-funnel-7-days.csv"',
        );
        expect(csv.text).toBe(
          'stage,count\r\nshown,fewer than 5\r\nopened,fewer than 5\r\nstarted,fewer than 5\r\nresult,fewer than 5\r\n' +
            'requested,fewer than 5\r\ncontacted,fewer than 5\r\nscheduled,fewer than 5\r\nadmitted,fewer than 5\r\n',
        );
        expect(csv.text).not.toContain(visitor.name);
        expect((await server.auditEntries({ action: 'insight.export' })).map((entry) => entry.detail)).toEqual([
          { table: 'funnel', days: 7 },
        ]);
        expect((await ada.get('/admin/api/insight.csv?days=7&table=sources')).text).toBe(
          'source,medium,campaign,referring site,chats opened,requests,scheduled,admitted\r\n' +
            'other sources,,,,fewer than 5,fewer than 5,fewer than 5,fewer than 5\r\n',
        );
        expect((await ada.get('/admin/api/insight.csv?days=%0A7&table=funnel')).status).toBe(400);

        // Admins only, and a range the screen offers.
        const sam = await server.signIn('sam@riverbend.example');
        expect((await sam.get('/admin/api/insight?days=7')).status).toBe(403);
        expect((await sam.get('/admin/api/insight.csv?days=7&table=funnel')).status).toBe(403);
        expect((await ada.get('/admin/api/insight?days=12')).body.error?.message).toBe(
          'days must be 7, 30, 90, not "12".',
        );
        expect((await ada.get('/admin/api/insight.csv?table=people')).body.error?.message).toMatch(
          /^table must be one of funnel, steps, routes/,
        );
      });

      it('refuses a beacon that is not an event, and counts nothing for a center that turned insight off', async () => {
        const refused = await beacon({ event: 'opened', name: visitor.name });
        expect(refused.status).toBe(400);
        expect(refused.body.error?.code).toBe('invalid_event');
        expect((await beacon({ event: 'opened' }, 'application/x-www-form-urlencoded')).status).toBe(415);
        expect((await server.request('/v1/events')).status).toBe(405);
        const large = await beacon({ event: 'opened', padding: 'x'.repeat(2000) });
        expect([large.status, large.body.error?.code]).toEqual([413, 'too_large']);

        const off = twoCenters({ insight: { enabled: false, retentionDays: 400 } });
        const app = server.appWith(off);
        const answer = await app.request('/v1/events', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ center: 'riverbend', event: 'opened' }),
        });
        expect(answer.status).toBe(204);
        await server.services.insight.flush();
        expect(await server.services.insight.counts('riverbend', '2000-01-01', '2100-01-01')).toEqual([]);
        // The frame is told so, and sends nothing.
        const frame = await app.request('/frame?center=riverbend');
        expect(await frame.text()).toContain('"insight":false');
        // A counted beacon writes no log line (thousands a minute would bury the rest); a refused one does.
        await beacon({ event: 'shown' });
        expect(server.logged()).not.toContain('"status":204');
        expect(server.logged()).toContain('"path":"/v1/events","status":400');
      });

      it('counts the launcher as shown when its frame asks, within the beacons’ limits, and serves the page regardless', async () => {
        const frame = (query: string, on?: ReturnType<typeof server.appWith>) =>
          server.request(`/frame?center=riverbend&locale=en${query}`, undefined, on);
        const shown = async () => {
          await server.services.insight.flush();
          const rows = await server.services.insight.counts('riverbend', '2026-11-20', '2026-11-20');
          return rows.filter((row) => row.event === 'shown').reduce((sum, row) => sum + row.count, 0);
        };
        // The waiting frame made at idle, and a frame made on intent before it: each one launcher drawn.
        expect((await frame('&start=intent&count=shown')).status).toBe(200);
        expect((await frame('&count=shown')).status).toBe(200);
        // A frame that does not ask (the page said data-insight="off") counts nothing.
        await frame('&start=intent');
        await frame('');
        // Nor does anything but a frame loading it: an image tag or a prefetch pointed at the address.
        const asked = (headers: Record<string, string>) =>
          server.request('/frame?center=riverbend&locale=en&count=shown', { headers });
        expect((await asked({ 'Sec-Fetch-Dest': 'image' })).status).toBe(200);
        await asked({ 'Sec-Fetch-Dest': 'iframe', 'Sec-Purpose': 'prefetch' });
        await asked({ Purpose: 'prefetch' });
        expect(await shown()).toBe(2);
        await asked({ 'Sec-Fetch-Dest': 'iframe' });
        expect(await shown()).toBe(3);
        // Nor does a center that turned insight off.
        await frame('&count=shown', server.appWith(twoCenters({ insight: { enabled: false, retentionDays: 400 } })));
        expect(await shown()).toBe(3);
        // The per-address limit on events (300 in ten minutes) holds for these too; past it the chat
        // still loads, uncounted.
        for (let i = 0; i < 296; i++) await beacon({ event: 'opened' });
        expect(await frame('&count=shown')).toMatchObject({ status: 200 });
        expect(await shown()).toBe(4);
        const over = await frame('&start=intent&count=shown');
        expect(over.status).toBe(200);
        expect(over.text).toContain('"center":"riverbend"');
        expect(await shown()).toBe(4);
      });

      it('counts the launcher as shown when a browser loads /v1/shown as an image, once per load, never cached, and unlogged', async () => {
        const shown = async () => {
          await server.services.insight.flush();
          const rows = await server.services.insight.counts('riverbend', '2026-11-20', '2026-11-20');
          return rows.filter((row) => row.event === 'shown').reduce((sum, row) => sum + row.count, 0);
        };
        const asked = (headers: Record<string, string> = {}, query = 'center=riverbend', method = 'GET') =>
          server.request(`/v1/shown?${query}`, { method, headers });
        const answer = await asked({ 'Sec-Fetch-Dest': 'image' });
        expect(answer.status).toBe(204);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        // A page that isolates itself (COEP require-corp) may still load it.
        expect(answer.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
        // From one of the center's sites, if a referrer is sent at all.
        await asked({ 'Sec-Fetch-Dest': 'image', Referer: 'http://127.0.0.1:5173/programs/' });
        expect(await shown()).toBe(2);
        // Not a frame, a script, a link checker's prefetch or HEAD, a page opened at the address, a
        // proxy or old browser that does not say what it fetches, or an image on another site.
        await asked({ 'Sec-Fetch-Dest': 'document' });
        await asked({ 'Sec-Fetch-Dest': 'image', 'Sec-Purpose': 'prefetch' });
        await asked({ 'Sec-Fetch-Dest': 'image' }, 'center=riverbend', 'HEAD');
        await asked();
        await asked({ 'Sec-Fetch-Dest': 'image', Referer: 'https://forum.example/thread/1' });
        expect(await shown()).toBe(2);
        // An unknown center, and a method other than GET, say what is wrong.
        const unknown = await asked({}, 'center=nowhere');
        expect(unknown.status).toBe(404);
        expect(unknown.text).toContain('data-center');
        const posted = await asked({}, 'center=riverbend', 'POST');
        expect(posted.status).toBe(405);
        expect(posted.headers.get('allow')).toBe('GET, HEAD');
        expect(server.logged()).not.toContain('"path":"/v1/shown","status":204');
        expect(server.logged()).toContain('"path":"/v1/shown","status":404');
        expect(await shown()).toBe(2);
      });

      it('keeps the referring site of a request, and refuses one with a path', async () => {
        const id = await server.submit({ referrer: 'search.example' });
        expect(
          (await server.services.leads.outcomes('riverbend', new Date(0), new Date('2100-01-01')))[0],
        ).toMatchObject({
          referrer: 'search.example',
        });
        expect(id).toBeTruthy();
        const refused = await server.request('/v1/leads', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            validLead({ referrer: 'search.example/?q=detox', idempotencyKey: 'another-request-001' }),
          ),
        });
        expect(refused.status).toBe(400);
        expect(refused.body.error?.issues?.[0]?.path).toBe('referrer');
      });
    });
  });
}
