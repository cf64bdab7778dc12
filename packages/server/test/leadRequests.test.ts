import { describe, expect, it } from 'vitest';
import { useConsoleApp } from './support/consoleApp.js';
import { storageBackends } from './support/testDatabases.js';
import { validLead, visitor } from './support/validLead.js';

interface Refusal {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

describe.each(await storageBackends())('what a request may claim, on $name', (backend) => {
  describe.skipIf(backend.skipped)('', () => {
    const server = useConsoleApp(backend);
    const post = (body: unknown) =>
      server.request<Refusal & { id: string }>('/v1/leads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const phoneOf = async (id: string) => (await server.services.leads.find('riverbend', id))?.contact.phone;

    it('refuses a used idempotency key with a different body, keeping the first request and its safety answer as sent', async () => {
      const first = validLead();
      const stored = await post(first);
      expect(stored.status).toBe(201);
      // The same key again, another phone and "not safe now": a correction that must not be lost silently.
      const changed = {
        ...first,
        contact: { ...first.contact, phone: '(312) 555-0199' },
        answers: { ...first.answers, 'safety-now': 'yes' },
      };
      const reused = await post(changed);
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('idempotency_key_reused');
      expect(reused.body.error.message).toMatch(/already used for a different request.*new key/);
      expect(await phoneOf(stored.body.id)).toBe(visitor.phoneE164);
      // A true retry still finds its lead.
      const retried = await post(first);
      expect(retried.status).toBe(201);
      expect(retried.body.id).toBe(stored.body.id);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      // The correction under a new key is stored, and staff see it came from the same conversation.
      const corrected = await post({ ...changed, idempotencyKey: crypto.randomUUID() });
      expect(corrected.status).toBe(201);
      expect(await server.services.leads.count('riverbend')).toBe(2);
    });

    it('of two different bodies under one key at the same moment, stores one and refuses the other', async () => {
      const first = validLead();
      const other = { ...first, contact: { ...first.contact, name: 'Dana' } };
      const answers = await Promise.all([post(first), post(other)]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      expect(await server.services.leads.count('riverbend')).toBe(1);
    });

    it("shows staff the other requests of the lead's conversation", async () => {
      await server.addStaff('sam@riverbend.example');
      const conversationId = crypto.randomUUID();
      const first = (await post(validLead({ conversationId }))).body.id;
      const second = (await post(validLead({ conversationId, contact: { phone: '(312) 555-0199' } }))).body.id;
      const alone = (await post(validLead())).body.id;
      const sam = await server.signIn('sam@riverbend.example');
      const detail = await sam.get<{ sameConversation: { id: string }[] }>(`/admin/api/leads/${second}`);
      expect(detail.body.sameConversation.map((lead) => lead.id)).toEqual([first]);
      const lone = await sam.get<{ sameConversation: { id: string }[] }>(`/admin/api/leads/${alone}`);
      expect(lone.body.sameConversation).toEqual([]);
    });

    it('refuses a language, flow version or consent version the center never published, naming what it takes', async () => {
      const refused = await post(
        validLead({ locale: 'fr', flow: { id: 'iop-intake', version: 99 }, consent: { textVersion: 'made-up-v9' } }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_claims');
      expect(refused.body.error.issues).toEqual([
        { path: 'locale', message: 'Use one of the center\'s languages: "en", "es"' },
        { path: 'flow.version', message: expect.stringMatching(/is at version 2; send a version from 1 to 2/) },
        { path: 'consent.textVersion', message: expect.stringContaining('"2026-12-riverbend-call-v1"') },
      ]);
      // Agreeing to calls and texts under the call-only text's version is refused too: the words differ.
      const mixed = await post(validLead({ consent: { text: true }, contact: { textOk: true } }));
      expect(mixed.status).toBe(400);
      expect(mixed.body.error.issues?.map((issue) => issue.path)).toEqual(['consent.textVersion']);
      // A regional tag of a published language is that language.
      expect((await post(validLead({ locale: 'es-MX' }))).status).toBe(201);
      expect(await server.services.leads.count()).toBe(1);
    });
  });
});
