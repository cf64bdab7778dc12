import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, PHONE } from './support/browser.js';
import { expectNoViolations, leadNames, signInToConsole } from './support/console.js';
import { type Stack, startStack } from './support/stack.js';
import { answer, fillForm, journeys, openChat } from './support/widget.js';

// From the visitor's request to the admissions team's call: a visitor asks for a callback on the demo
// site; the center's CRM gets a signed webhook, the on-call address an alert without health
// information, and staff signed in to the console see the lead at the top of the inbox, in real
// Chromium against the real lead server.

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

describe.skipIf(!hasChromium)('admissions staff in the console', () => {
  let stack: Stack;
  let browser: Browser;
  let receiver: Server;
  let smtp: SMTPServer;
  const webhooks: Received[] = [];
  const mails: ParsedMail[] = [];
  const rawMails: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        webhooks.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          rawMails.push(raw.toString('utf8'));
          mails.push(await simpleParser(raw));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const hookPort = (receiver.address() as AddressInfo).port;
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    [stack, browser] = await Promise.all([
      startStack(
        {},
        {
          riverbend: {
            webhooks: [{ url: `http://127.0.0.1:${hookPort}/hooks/intake`, secretEnv: 'E2E_WEBHOOK_SECRET' }],
            alertEmails: ['oncall@riverbend.example'],
          },
          env: { E2E_WEBHOOK_SECRET: SECRET, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
        },
      ),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  /** A lead sent straight to the API, as another visitor's browser would. */
  async function otherVisitor(name: string, answers: Record<string, unknown> = {}): Promise<string> {
    const { validLead } = await import('../../packages/server/test/support/validLead.js');
    const lead = validLead({ contact: { name }, answers });
    const response = await fetch(`${stack.api}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(lead),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  const signIn = (email: string, password: string, device?: BrowserContextOptions) =>
    signInToConsole(browser, stack.api, { email, password }, device);

  it('a visitor’s request reaches the CRM signed, the on-call phone without health details, and the top of the inbox', async () => {
    const password = await stack.addStaff('sam@riverbend.example');
    // Someone asked earlier, with a less urgent need: still waiting, but below the new request.
    await otherVisitor('Robin');

    const visitor = await browser.newContext({ viewport: PHONE, reducedMotion: 'reduce' });
    const site = await visitor.newPage();
    await site.goto(`${stack.site}/`);
    const frame = await openChat(site);
    await frame.getByRole('button', { name: 'Start' }).click();
    for (const value of journeys['withdrawal-first']) await answer(frame, value);
    await frame.getByRole('button', { name: 'Ask for a call back' }).click();
    await fillForm(frame, { name: 'Dana', phone: '(312) 555-0199' });
    await frame.getByRole('button', { name: 'Send my request' }).click();
    await frame.getByText('We will call you back within 15 minutes.').waitFor();
    await visitor.close();

    // The CRM: two signed webhooks (Robin's and Dana's) that verify with the standard library.
    await expect.poll(() => webhooks.length, { timeout: 15_000 }).toBe(2);
    const verified = webhooks.map(({ headers, body }) =>
      new Webhook(SECRET).verify(body, headers as Record<string, string>),
    ) as { type: string; data: { route: string; contact: { name: string } } }[];
    expect(verified.map((event) => [event.type, event.data.contact.name, event.data.route])).toEqual([
      ['lead.created', 'Robin', 'iop-fit'],
      ['lead.created', 'Dana', 'withdrawal-first'],
    ]);

    // The on-call address: "urgent", a link, and nothing about the person.
    await expect.poll(() => mails.length, { timeout: 15_000 }).toBe(2);
    const alert = mails.find((mail) => mail.subject === 'New callback request (urgent)');
    const link = /http\S+\/admin#\/leads\/[\w-]+/.exec(alert?.text ?? '')?.[0] ?? '';
    expect(link).toMatch(`${stack.api}/admin#/leads/`);
    for (const raw of rawMails) {
      expect(raw).not.toMatch(/Dana|Robin|555.?0199|5550199|withdrawal|alcohol/i);
    }

    // Staff: Dana first (urgent), then Robin; one tap calls Dana.
    const page = await signIn('sam@riverbend.example', password);
    await expect.poll(() => leadNames(page)).toEqual(['Dana', 'Robin']);
    await expect
      .poll(() => page.getByRole('link', { name: 'Call (312) 555-0199' }).getAttribute('href'))
      .toBe('tel:+13125550199');
    await expect(page.locator('.lead').first().textContent()).resolves.toMatch(/Urgent/);

    // The alert's link opens Dana's lead; a first call is logged.
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: /Dana/ }).waitFor();
    await page.getByText('Withdrawal risk').first().waitFor();
    await page.getByRole('button', { name: 'Mark as Contacted' }).click();
    await page.getByText('Status changed to Contacted').waitFor();
    const [dana] = (await stack.leads()).filter((lead) => lead.contact.name === 'Dana');
    expect(dana?.status).toBe('contacted');
    await page.context().close();
  });

  it('shows a new request without reloading, and announces it', async () => {
    const password = await stack.addStaff('kim@riverbend.example');
    const page = await signIn('kim@riverbend.example', password);
    const before = (await leadNames(page)).length;
    await otherVisitor('Alex', { 'safety-now': 'yes' });
    // Polled every 10 seconds: an emergency goes straight to the top.
    await expect.poll(() => leadNames(page), { timeout: 20_000 }).toEqual(expect.arrayContaining(['Alex']));
    expect((await leadNames(page))[0]).toBe('Alex');
    expect((await leadNames(page)).length).toBe(before + 1);
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/1 new callback request/));
    await page.context().close();
  });

  for (const [device, options] of [
    ['desktop', { viewport: DESKTOP }],
    ['phone', { viewport: PHONE, isMobile: true, hasTouch: true }],
  ] as const) {
    it(`has no WCAG 2.2 AA violations on ${device}: sign-in, inbox, lead, audit log`, async () => {
      const context = await browser.newContext({ ...options, reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(`${stack.api}/admin`);
      await page.getByLabel('E-mail').waitFor();
      await expectNoViolations(page, 'sign-in');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').first().waitFor();
      await expectNoViolations(page, 'sign-in with errors');
      await context.close();

      const email = `admin-${device}@riverbend.example`;
      const admin = await signIn(email, await stack.addStaff(email, 'admin'), options);
      await admin.locator('.lead-name').first().waitFor();
      await expectNoViolations(admin, 'inbox');
      // Nothing scrolls sideways on a phone.
      expect(await admin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await admin.locator('.lead-name a').first().click();
      await admin.getByRole('heading', { level: 2, name: 'Answers' }).waitFor();
      await expectNoViolations(admin, 'lead');
      expect(await admin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await admin.goto(`${stack.api}/admin#/audit`);
      await admin.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      await admin.getByRole('table').waitFor();
      await expectNoViolations(admin, 'audit log');
      await admin.context().close();
    });
  }
});
