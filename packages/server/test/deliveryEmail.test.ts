import { defaultFlow } from '@intake-chat/engine';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeliveryBench, openDeliveryBench, PUBLIC_URL } from './support/deliveryBench.js';
import { type SmtpReceiver, startSmtpReceiver } from './support/deliveryReceivers.js';
import { storageBackends } from './support/testDatabases.js';
import { iopFitAnswers, visitor } from './support/validLead.js';

const backends = await storageBackends();
const ALERT_TO = 'admissions@riverbend.example';
/** Daily-use withdrawal signs make the lead urgent (route withdrawal-first). */
const urgentAnswers = { 'withdrawal-signs': 'yes' };

for (const backend of backends) {
  describe.skipIf(backend.skipped !== undefined)(`alert e-mails on ${backend.name}`, () => {
    let smtp: SmtpReceiver;
    let bench: DeliveryBench;

    beforeEach(async () => {
      smtp = await startSmtpReceiver();
      bench = await openDeliveryBench(backend, { alertEmails: [ALERT_TO] });
    });

    afterEach(async () => {
      await bench?.dispose(); // unset when beforeEach failed before opening it
      await smtp.close();
    });

    const mailingWorker = () =>
      bench.worker({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'Riverbend alerts <alerts@riverbend.example>' } });

    it('e-mails staff the urgency and a link to the lead, and nothing about the person', async () => {
      const leadId = await bench.submit({ answers: urgentAnswers });

      expect(await mailingWorker().runOnce()).toBe(1);

      expect(smtp.messages).toHaveLength(1);
      const [message] = smtp.messages;
      expect(message).toMatchObject({ from: 'alerts@riverbend.example', to: [ALERT_TO], user: 'alerts' });
      const raw = message?.raw ?? '';
      const mail = await simpleParser(raw);
      const [delivery] = await bench.outbox.forLead('riverbend', leadId);
      const link = `${PUBLIC_URL}/admin#/leads/${leadId}`;
      expect(mail.subject).toBe('New callback request (urgent)');
      expect(mail.messageId).toBe(`<${delivery?.id}@intake-chat>`);
      expect(mail.from?.value).toEqual([{ name: 'Riverbend alerts', address: 'alerts@riverbend.example' }]);
      expect(mail.text).toContain('Urgency: urgent');
      expect(mail.text).toContain('within 15 minutes');
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`href="${link}"`);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });

      expectNoHealthOrContact(raw, mail, { ...iopFitAnswers, ...urgentAnswers });
    });

    it("gives an emergency's alert the emergency callback target", async () => {
      await bench.submit({ answers: { 'safety-now': 'yes' } });

      expect(await mailingWorker().runOnce()).toBe(1);

      const mail = await simpleParser(smtp.messages[0]?.raw ?? '');
      expect(mail.subject).toBe('New callback request (emergency)');
      expect(mail.text).toContain('Callback target: within 5 minutes');
      expect(mail.text).not.toContain('15 minutes');
    });

    it('alerts an emergency for crisis words typed as the name, without the words', async () => {
      await bench.submit({ contact: { name: 'quiero morir' }, locale: 'es' });

      expect(await mailingWorker().runOnce()).toBe(1);

      const raw = smtp.messages[0]?.raw ?? '';
      const mail = await simpleParser(raw);
      expect(mail.subject).toBe('New callback request (emergency)');
      expect(mail.text).toContain('Callback target: within 5 minutes');
      for (const text of [raw, mail.text ?? '', String(mail.html)]) expect(text).not.toMatch(/quiero|morir|crisis/i);
    });

    it('skips alerts, with the reason, when SMTP_URL is not set, and sends them once replayed', async () => {
      const leadId = await bench.submit({ answers: urgentAnswers });

      expect(await bench.worker({ env: {} }).runOnce()).toBe(1);

      const [skipped] = await bench.outbox.forLead('riverbend', leadId);
      expect(skipped).toMatchObject({
        status: 'skipped',
        attempts: 1,
        nextAttemptAt: null,
        lastError: 'e-mail alerts are off: SMTP_URL is not set',
      });
      expect(bench.logs.at(-1)).toMatchObject({ outcome: 'skipped', kind: 'email', id: skipped?.id });

      expect(await bench.outbox.replay('riverbend', skipped?.id ?? '')).toMatchObject({ status: 'pending' });
      expect(await mailingWorker().runOnce()).toBe(1);
      expect(smtp.messages).toHaveLength(1);
      expect(await bench.outbox.forLead('riverbend', leadId)).toEqual([
        expect.objectContaining({ status: 'delivered', attempts: 2, lastError: null }),
      ]);
    });

    it('retries an alert the mail server did not take, without revealing the mail password', async () => {
      await smtp.close();
      const leadId = await bench.submit();

      await mailingWorker().runOnce();

      const [delivery] = await bench.outbox.forLead('riverbend', leadId);
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
      expect(delivery?.lastError).toMatch(/^could not send through the mail server in SMTP_URL \(.*ECONNREFUSED/);
      expect(JSON.stringify([delivery, bench.logs])).not.toContain('mail-password');
    });

    it('refuses to start with an SMTP_URL that is not an SMTP address, without echoing it', () => {
      expect(() => bench.worker({ env: { SMTP_URL: 'mail.example:587 secret-password' } })).toThrow(
        'SMTP_URL is not an SMTP address; set it like smtp://user:password@mail.example:587 (or smtps:// for port 465)',
      );
    });
  });
}

/**
 * docs/conversation.md: "Staff alerts carry no health information". Neither the name nor the phone (in any
 * format), nor any answer's value or label in either language, nor the route or its reasons.
 */
function expectNoHealthOrContact(raw: string, mail: ParsedMail, answers: Record<string, string | string[]>): void {
  const words: string[] = ['withdrawal', 'iop-fit'];
  for (const step of defaultFlow.steps) {
    const given = answers[step.id];
    if (given === undefined) continue;
    const values = Array.isArray(given) ? given : [given];
    for (const option of step.options ?? []) {
      if (values.includes(option.value)) words.push(option.value, ...Object.values(option.label));
    }
  }
  const readable = `${mail.subject}\n${mail.text}\n${mail.html}`;
  for (const word of words) {
    expect(readable).not.toMatch(new RegExp(`(?<!\\w)${escapeRegExp(word)}(?!\\w)`, 'i'));
  }
  const digitsOnly = raw.replace(/\D/g, '');
  for (const text of [raw, readable]) {
    expect(text).not.toContain(visitor.name);
    expect(text).not.toContain(visitor.phone);
    expect(text).not.toContain('555-0142');
    expect(text).not.toContain('5550142');
  }
  // However the number were broken up, its last seven digits would survive.
  expect(digitsOnly).not.toContain('5550142');
  for (const word of words.filter((w) => w.length >= 5)) expect(raw).not.toContain(word);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
