import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createFakeServer } from './support/fakeServer.js';
import { announced, renderConsole, SLOW } from './support/renderConsole.js';

afterEach(cleanup);

const staff = ACCOUNTS[1]?.email ?? '';

function openLead(overrides: Parameters<ReturnType<typeof createFakeServer>['addLead']>[0] = {}) {
  const server = createFakeServer({ signedInAs: staff });
  const lead = server.addLead({ name: 'Maria', ...overrides });
  return { lead, ...renderConsole({ server, hash: `#/leads/${lead.id}` }) };
}

const section = (name: string) => screen.getByRole('region', { name });

describe('a lead', () => {
  it('opens from the inbox with its heading focused, and back', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria' });
    const { user } = renderConsole({ server });
    await user.click(await screen.findByRole('link', { name: 'Maria' }, SLOW));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    await waitFor(() => expect(document.activeElement).toBe(heading));
    await user.click(screen.getByRole('link', { name: 'Back to the inbox' }));
    const inbox = await screen.findByRole('heading', { level: 1, name: 'Inbox' }, SLOW);
    await waitFor(() => expect(document.activeElement).toBe(inbox));
  });

  it('leaves focus alone when the page itself opens on a lead', async () => {
    openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    expect(document.activeElement).toBe(document.body);
  });

  it('puts crisis and withdrawal flags at the top, before the contact details', async () => {
    openLead({ flags: { crisis: true, withdrawal: true }, urgency: 'emergency', route: 'crisis' });
    // The flag comes first; the route's own name, "Crisis", is further down.
    const [crisis] = await screen.findAllByText('Crisis', {}, SLOW);
    if (crisis === undefined) throw new Error('no crisis flag');
    expect(screen.getByText('Withdrawal risk')).toBeTruthy();
    const contact = section('Contact');
    expect(crisis.compareDocumentPosition(contact) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('links the other requests the same person sent from this conversation, so they are called once', async () => {
    const server = createFakeServer({ signedInAs: staff });
    const earlier = server.addLead({ name: 'Maria', minutesAgo: 9 });
    const lead = server.addLead({
      name: 'Maria',
      minutesAgo: 2,
      sameConversation: [{ id: earlier.id, createdAt: earlier.createdAt }],
    });
    renderConsole({ server, hash: `#/leads/${lead.id}` });
    const notice = await screen.findByText(/The same person also sent, from this conversation/, {}, SLOW);
    expect(within(notice).getByRole('link').getAttribute('href')).toBe(`#/leads/${earlier.id}`);
  });

  it('shows no flags when there are none', async () => {
    openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    expect(screen.queryByText('Crisis')).toBeNull();
    expect(screen.queryByText('Withdrawal risk')).toBeNull();
  });

  it('shows how to reach them and what they agreed to', async () => {
    openLead({
      phone: '(312) 555-0142',
      phoneE164: '+13125550142',
      bestTime: 'evening',
      textOk: true,
      forWhom: 'loved-one',
    });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    const contact = section('Contact');
    expect(within(contact).getByRole('link', { name: 'Call (312) 555-0142' }).getAttribute('href')).toBe(
      'tel:+13125550142',
    );
    expect(contact.textContent).toContain('Best timeEvening');
    expect(contact.textContent).toContain('Voicemail OKYes');
    expect(contact.textContent).toContain('Texts OKYes');
    expect(contact.textContent).toContain('ForA loved one');
    expect(contact.textContent).toContain('StateIL');
    expect(contact.textContent).toContain('18 or olderYes');
    expect(contact.textContent).toContain('Callback time told to the visitorwithin 15 minutes');
  });

  it('shows where the answers point and why, each answer, and the consent on record', async () => {
    openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    const triage = section('Route and reasons');
    expect(triage.textContent).toContain('IOP may fit');
    expect(triage.textContent).toContain('The visitor saw: “Our IOP may be a fit”');
    expect(
      within(triage)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Home is safe and free of drugs and alcohol.', 'You can attend about 9 hours a week.']);
    const answers = section('Answers');
    expect(answers.textContent).toContain('What do you use?Alcohol, Cannabis');
    expect(answers.textContent).toContain('How would you pay for care?Skipped');
    const consent = section('Consent');
    expect(consent.textContent).toContain('CallsYes');
    expect(consent.textContent).toContain('TextsNo');
    expect(consent.textContent).toContain('Consent text version2026-12-riverbend-call-v1');
    expect(consent.textContent).toContain('Page/programs/iop');
    // In the center's time zone (Chicago): 20:55 UTC is 2:55 PM CST.
    expect(consent.textContent?.replace(/\s/g, ' ')).toContain('Mar 3, 2:55 PM CST');
  });

  it("shows the wait against the target of the lead's urgency", async () => {
    const server = createFakeServer({ signedInAs: staff });
    const lead = server.addLead({ name: 'Maria', urgency: 'emergency', route: 'crisis', minutesAgo: 4 });
    // This device's clock agrees with the server's, as the inbox poll would make it.
    renderConsole({ server, hash: `#/leads/${lead.id}`, clock: () => server.now });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    expect(document.querySelector('.meta .sla')?.textContent).toBe('4 min · nearing the 5-min target');
  });

  it('says in its header who has it and, for a Spanish speaker, the language', async () => {
    openLead({ locale: 'es', assignee: 'lucia@riverbend.example' });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    expect(document.querySelector('.meta')?.textContent).toContain('Spanish');
    expect(document.querySelector('.meta-assignee')?.textContent).toBe('Assigned to: lucia@riverbend.example');
    expect(section('Contact').textContent).toContain('LanguageSpanish');
  });

  it('goes back to the inbox with the filters it was opened from', async () => {
    const server = createFakeServer({ signedInAs: staff });
    server.addLead({ name: 'Maria', locale: 'es' });
    const { user } = renderConsole({ server, hash: '#/?locale=es' });
    await user.click(await screen.findByRole('link', { name: 'Maria' }, SLOW));
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    expect(screen.getByRole('link', { name: 'Back to the inbox' }).getAttribute('href')).toBe('#/?locale=es');
  });

  it("shows a typed answer in the visitor's own words, and the reasons in Spanish for Spanish-speaking staff", async () => {
    const typed = 'Llamen después de las 5, por favor. ¿Puede venir mi hermana?';
    const server = createFakeServer({ signedInAs: ACCOUNTS[2]?.email ?? '' });
    const lead = server.addLead({
      name: 'Maria',
      answers: [
        { stepId: 'support', question: '¿Tiene personas que apoyen su recuperación?', answer: ['Un poco'] },
        {
          stepId: 'anything-else',
          question: '¿Hay algo que quiera que el equipo sepa antes de llamar?',
          answer: [typed],
        },
      ],
      reasons: [
        { key: 'some-support', text: 'Hay un poco de apoyo para la recuperación.' },
        {
          key: 'might-attend',
          text: 'Unas 9 horas por semana tal vez podrían funcionar. El equipo puede hablar del horario.',
        },
      ],
    });
    renderConsole({ server, hash: `#/leads/${lead.id}` });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    const answers = screen.getByRole('region', { name: 'Respuestas' });
    expect(within(answers).getByText(typed).tagName).toBe('DD');
    expect(answers.textContent).toContain(`¿Hay algo que quiera que el equipo sepa antes de llamar?${typed}`);
    const triage = screen.getByRole('region', { name: /motivos/i });
    expect(
      within(triage)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'Hay un poco de apoyo para la recuperación.',
      'Unas 9 horas por semana tal vez podrían funcionar. El equipo puede hablar del horario.',
    ]);
  });

  it("shows the server's words for a lead it cannot find", async () => {
    const server = createFakeServer({ signedInAs: staff });
    renderConsole({ server, hash: '#/leads/nope' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Could not open this lead' }, SLOW)).toBeTruthy();
    expect(screen.getByText('There is no such lead at this center.')).toBeTruthy();
  });
});

describe('the status workflow', () => {
  it('changes the status with the CSRF token and the status it started from, and says so', async () => {
    const { user, server, lead } = openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    await user.type(screen.getByLabelText('Note with the change (optional)'), 'Left a voicemail at 3:05');
    await user.click(screen.getByRole('button', { name: 'Mark as Contacted' }));

    await waitFor(() => expect(announced()).toBe('Status changed to Contacted'), SLOW);
    const request = server.lastRequest('POST', `/admin/api/leads/${lead.id}/status`);
    expect(request?.headers.get('X-CSRF-Token')).toBe(server.session?.csrf);
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.body).toEqual({ from: 'new', to: 'contacted', note: 'Left a voicemail at 3:05' });

    const status = section('Status');
    expect(status.textContent).toContain('Current status: Contacted');
    expect(within(status).getByRole('button', { name: 'Mark as Scheduled' })).toBeTruthy();
    expect(document.activeElement).toBe(within(status).getByRole('heading', { name: 'Status' }));
    const history = section('History');
    expect(history.textContent).toContain('New → Contacted');
    expect(history.textContent).toContain(`by ${staff}`);
    expect(history.textContent).toContain('Left a voicemail at 3:05');
  });

  it('leaves the note out when there is none', async () => {
    const { user, server, lead } = openLead();
    await user.click(await screen.findByRole('button', { name: 'Mark as Unreachable' }, SLOW));
    await waitFor(() => expect(announced()).toBe('Status changed to Unreachable'), SLOW);
    expect(server.lastRequest('POST', `/admin/api/leads/${lead.id}/status`)?.body).toEqual({
      from: 'new',
      to: 'unreachable',
    });
  });

  it('shows the conflict when someone else changed it first, and reloads the lead', async () => {
    const { user, server, lead } = openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    server.changeStatusElsewhere(lead.id, 'contacted');
    await user.click(screen.getByRole('button', { name: 'Mark as Unreachable' }));

    const alert = await screen.findByRole('alert', {}, SLOW);
    expect(alert.textContent).toBe(
      'Someone else changed this lead first: it is now Contacted. Check it before you change it.',
    );
    await waitFor(() => expect(section('Status').textContent).toContain('Current status: Contacted'), SLOW);
    expect(server.lastRequest('POST', `/admin/api/leads/${lead.id}/status`)?.body).toEqual({
      from: 'new',
      to: 'unreachable',
    });
    expect(server.requests.filter((request) => request.path === `/admin/api/leads/${lead.id}`)).toHaveLength(2);
    expect(section('History').textContent).toContain('by kim@riverbend.example');
    expect(screen.getByRole('alert').textContent).toContain('it is now Contacted');
  });

  it('adds a note to the history', async () => {
    const { user, server, lead } = openLead();
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    await user.type(screen.getByLabelText('Note'), 'Mother answered; call after 6.');
    await user.click(screen.getByRole('button', { name: 'Save note' }));
    await waitFor(() => expect(section('History').textContent).toContain('Mother answered; call after 6.'), SLOW);
    expect(announced()).toBe('Note saved');
    const request = server.lastRequest('POST', `/admin/api/leads/${lead.id}/notes`);
    expect(request?.body).toEqual({ note: 'Mother answered; call after 6.' });
    expect(request?.headers.get('X-CSRF-Token')).toBe(server.session?.csrf);
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('');
  });

  it('asks for words before saving an empty note', async () => {
    const { user, server } = openLead();
    await user.click(await screen.findByRole('button', { name: 'Save note' }, SLOW));
    expect((await screen.findByRole('alert', {}, SLOW)).textContent).toBe('Write a note first.');
    expect(screen.getByLabelText('Note').getAttribute('aria-invalid')).toBe('true');
    expect(server.lastRequest('POST', '/admin/api/leads/')).toBeUndefined();
  });
});

describe("a lead's alerts", () => {
  it('retries a failed delivery from the lead', async () => {
    const server = createFakeServer({ signedInAs: staff });
    const lead = server.addLead({ name: 'Maria' });
    server.addDelivery(lead.id, {
      status: 'delivered',
      kind: 'email',
      target: 'admissions@riverbend.example',
      lastError: null,
    });
    const dead = server.addDelivery(lead.id);
    const { user } = renderConsole({ server, hash: `#/leads/${lead.id}` });
    await screen.findByRole('heading', { level: 1, name: 'Maria' }, SLOW);
    const alerts = section('Alerts sent to staff');
    expect(within(alerts).getAllByRole('button', { name: 'Retry now' })).toHaveLength(1);
    expect(alerts.textContent).toContain('HTTP 503 Service Unavailable');

    await user.click(within(alerts).getByRole('button', { name: 'Retry now' }));
    const done = await within(alerts).findByText('Queued to send again', {}, SLOW);
    await waitFor(() => expect(document.activeElement).toBe(done));
    expect(server.lastRequest('POST', `/admin/api/deliveries/${dead.id}/replay`)?.headers.get('X-CSRF-Token')).toBe(
      server.session?.csrf,
    );
    expect(within(alerts).queryByRole('button', { name: 'Retry now' })).toBeNull();
    expect(alerts.textContent).toContain('Waiting to send');
  });
});
