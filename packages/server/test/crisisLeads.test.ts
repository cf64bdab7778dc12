import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFlow, type Flow } from '@intake-chat/engine';
import {
  type CenterConfig,
  createApp,
  createSealer,
  createServices,
  type LeadStore,
  loadConfig,
  migrate,
  type Services,
} from '@intake-chat/server';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadDetail } from '../src/admin/leadViews.js';
import { storageBackends, type TestDatabase } from './support/testDatabases.js';
import { iopFitAnswers, type LeadOverrides, validLead } from './support/validLead.js';

/** The default flow as a center might have cut it down: no crisis route, rule or reasons of its own. */
const flowWithoutCrisis: Flow = {
  ...defaultFlow,
  triage: defaultFlow.triage.filter((rule) => rule.route !== 'crisis'),
  routes: Object.fromEntries(Object.entries(defaultFlow.routes).filter(([route]) => route !== 'crisis')),
  reasons: Object.fromEntries(Object.entries(defaultFlow.reasons).filter(([key]) => key !== 'crisis-words')),
};

// docs/conversation.md: crisis words typed anywhere, the callback form's name included, make the lead an emergency.
const backends = await storageBackends();
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`crisis words in a lead on ${backend.name}`, () => {
    let testDatabase: TestDatabase;
    let store: LeadStore;
    let services: Services;
    let app: ReturnType<typeof createApp>;
    let logs: Record<string, unknown>[];

    beforeEach(async () => {
      testDatabase = await backend.open();
      await migrate(testDatabase.database);
      services = createServices(testDatabase.database, createSealer(randomBytes(32)));
      store = services.leads;
      logs = [];
      const widgetDir = mkdtempSync(join(tmpdir(), 'intake-crisis-'));
      folders.push(widgetDir);
      const demo = loadConfig(undefined, {});
      const riverbend = demo.centers.get('riverbend') as CenterConfig;
      const config = {
        ...demo,
        centers: new Map([
          ['riverbend', riverbend],
          ['lakeside', { ...riverbend, id: 'lakeside', name: 'Lakeside Recovery', flow: flowWithoutCrisis }],
        ]),
      };
      app = createApp({ config, services, widgetDir, log: (line) => logs.push(line) });
    });

    afterEach(async () => {
      await testDatabase.dispose();
    });

    /** Posts a lead to the demo center (staffed 24/7) and returns what was stored and what the visitor was told. */
    async function submit(overrides: LeadOverrides) {
      const response = await app.request('/v1/leads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validLead(overrides)),
      });
      expect(response.status).toBe(201);
      const receipt = (await response.json()) as { id: string; callbackWindow: string };
      const center = typeof overrides.center === 'string' ? overrides.center : 'riverbend';
      return { receipt, stored: await store.find(center, receipt.id) };
    }

    it('a lead whose name holds crisis words is stored as an emergency crisis lead', async () => {
      const { receipt, stored } = await submit({ contact: { name: 'I want to kill myself' } });

      expect(stored).toMatchObject({ route: 'crisis', urgency: 'emergency', reasons: ['crisis-words'] });
      // Everything else the visitor gave is kept as it was: a lead is never lost.
      expect(stored?.answers).toEqual(iopFitAnswers);
      expect(stored?.contact.name).toBe('I want to kill myself');
      expect(receipt.callbackWindow).toBe('as soon as we can');
      // The words are in the sealed contact only: not in the reasons, nor in any log line.
      expect(JSON.stringify([stored?.reasons, logs])).not.toMatch(/kill|myself/i);
    });

    it('a lead whose name holds crisis words in Spanish is stored as an emergency crisis lead', async () => {
      const { receipt, stored } = await submit({ locale: 'es', contact: { name: 'quiero morir' } });

      expect(stored).toMatchObject({ route: 'crisis', urgency: 'emergency', reasons: ['crisis-words'] });
      expect(receipt.callbackWindow).toBe('lo antes posible');
      expect(JSON.stringify([stored?.reasons, logs])).not.toMatch(/morir/i);
    });

    it('a lead with a crisis phrase in its anything-else answer is stored as an emergency crisis lead', async () => {
      const { stored } = await submit({ answers: { 'anything-else': 'I took too many pills tonight' } });

      expect(stored).toMatchObject({ route: 'crisis', urgency: 'emergency', reasons: ['crisis-words'] });
      expect(stored?.answers['anything-else']).toBe('I took too many pills tonight');
      expect(JSON.stringify([stored?.reasons, logs])).not.toMatch(/pills/i);
    });

    it("a lead whose name holds crisis words is an emergency even where the center's flow has no crisis route, and staff read why", async () => {
      const { stored } = await submit({ center: 'lakeside', contact: { name: 'I want to kill myself' } });
      expect(stored).toMatchObject({ route: 'crisis', urgency: 'emergency', reasons: ['crisis-words'] });
      if (stored === null) throw new Error('the lead was not stored');

      const lakeside = {
        ...(loadConfig(undefined, {}).centers.get('riverbend') as CenterConfig),
        flow: flowWithoutCrisis,
      };
      const history = { history: [], deliveries: [], sameConversation: [] };
      const english = leadDetail(stored, lakeside, 'en', new Date(), history);
      expect(english.routeTitle).toBe(defaultFlow.routes.crisis?.title.en);
      expect(english.reasons).toEqual([{ key: 'crisis-words', text: defaultFlow.reasons['crisis-words']?.en }]);
      expect(english.flags.crisis).toBe(true);
      const spanish = leadDetail(stored, lakeside, 'es', new Date(), history);
      expect(spanish.reasons[0]?.text).toMatch(/peligro/);
      expect(JSON.stringify(english.reasons)).not.toMatch(/kill/i);
    });

    it('a lead with a plain name still routes by its answers', async () => {
      const { receipt, stored } = await submit({ contact: { name: 'Sam' } });

      expect(stored).toMatchObject({ route: 'iop-fit', urgency: 'normal' });
      expect(stored?.reasons).not.toContain('crisis-words');
      expect(receipt.callbackWindow).toBe('within 15 minutes');
    });
  });
}
