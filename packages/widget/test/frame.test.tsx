import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import type { UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { journeys } from '../../engine/test/support/journeys.js';
import { TTL_MS } from '../src/frame/persistence.js';
import { accepted, answer, type Fetcher, renderFrame } from './support/renderFrame.js';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  vi.restoreAllMocks();
});

/** Answers that docs/conversation.md says may fit the IOP: safe home, support, hours possible. */
const fitsIop = journeys['iop-fit'];

const log = () => screen.getByRole('log');

async function fillForm(user: UserEvent) {
  await user.type(screen.getByLabelText('First name or nickname'), 'Sam');
  await user.type(screen.getByLabelText('Phone number'), '312 555 0142');
  await user.selectOptions(screen.getByLabelText('US state you live in'), 'IL');
  await user.click(screen.getByRole('checkbox', { name: 'I am 18 or older' }));
  await user.click(screen.getByRole('checkbox', { name: /I agree that Riverbend Recovery may call/ }));
}

describe('the conversation', () => {
  it('greets the visitor, then asks the first question in the log with quick replies', async () => {
    const { user } = renderFrame();
    expect(log().textContent).toContain("We're glad you reached out");
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(log().textContent).toContain('Who are you asking for?');
    const group = screen.getByRole('group', { name: 'Who are you asking for?' });
    expect(
      within(group)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['For myself', 'For someone I care about']);
  });

  it('keeps each answer in the transcript as "You chose ...", no longer pressable', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, ['For someone I care about']);
    expect(log().textContent).toContain('You chose: For someone I care about');
    expect(screen.queryByRole('button', { name: 'For someone I care about' })).toBeNull();
    // The next question speaks of the loved one.
    expect(log().textContent).toContain('Are you or the person you are asking for in danger right now');
  });

  it('goes back one question, showing the earlier choice as pressed', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, ['For myself']);
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByRole('button', { name: 'For myself' }).getAttribute('aria-pressed')).toBe('true');
    expect(log().textContent).not.toContain('You chose');
  });

  it('asks a multi-choice question as a checkbox group, where "None of these" stands alone', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, fitsIop.slice(0, 9));
    const group = screen.getByRole('group');
    await user.click(within(group).getByRole('button', { name: 'Continue' }));
    expect(within(group).getByRole('alert').textContent).toBe('Choose at least one, or skip.');

    await user.click(screen.getByRole('checkbox', { name: 'Work' }));
    await user.click(screen.getByRole('checkbox', { name: 'School' }));
    await user.click(screen.getByRole('checkbox', { name: 'None of these' }));
    expect(screen.getAllByRole('checkbox', { checked: true }).map((box) => box.parentElement?.textContent)).toEqual([
      'None of these',
    ]);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(log().textContent).toContain('You chose: None of these');
  });

  it('pauses as if typing before each question, unless the visitor prefers reduced motion', async () => {
    const { user } = renderFrame({ typingDelay: 300 });
    await user.click(screen.getByRole('button', { name: 'Start' }));
    // The dots are hidden from screen readers; the question is announced when it arrives.
    expect(log().querySelector('.typing')?.getAttribute('aria-hidden')).toBe('true');
    expect(screen.queryByRole('button', { name: 'For myself' })).toBeNull();
    await screen.findByRole('button', { name: 'For myself' }, { timeout: 2000 });
    expect(log().querySelector('.typing')).toBeNull();
  });

  it('skips an optional question, and says so in the transcript', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, ['For myself', 'No']);
    await user.click(screen.getByRole('button', { name: 'Skip this question' }));
    expect(log().textContent).toContain('Skipped');
  });
});

describe('crisis help', () => {
  it('is one tap away on every screen, before any consent', async () => {
    const { user } = renderFrame();
    // One tap to call or text 988, or call 911, from the bar itself; "More help" opens the rest.
    const bar = () => screen.getByRole('navigation', { name: 'Crisis help' });
    const oneTap = () =>
      within(bar())
        .getAllByRole('link')
        .map((link) => [link.getAttribute('href'), link.getAttribute('aria-label')]);
    const expected = [
      ['tel:988', 'Call 988, the Suicide and Crisis Lifeline'],
      ['sms:988', 'Text 988, the Suicide and Crisis Lifeline'],
      ['tel:911', 'Call 911 for an emergency'],
    ];
    expect(oneTap()).toEqual(expected);
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(oneTap()).toEqual(expected);
    await answer(user, fitsIop);
    expect(oneTap()).toEqual(expected);
    await user.click(screen.getByRole('button', { name: 'Ask for a call back' }));
    expect(oneTap()).toEqual(expected);

    await user.click(within(bar()).getByRole('button', { name: 'More crisis help' }));
    const heading = screen.getByRole('heading', { name: 'Help right now' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const hrefs = screen.getAllByRole('link').map((link) => link.getAttribute('href'));
    expect(hrefs).toEqual(expect.arrayContaining(['tel:988', 'sms:988', 'tel:911', 'tel:+18002221222']));
    // Each call button names what it calls.
    const calls = screen.getAllByRole('link', { name: /^Call / }).map((link) => link.textContent);
    expect(calls).toEqual(['Call 988', 'Call 911', 'Call Poison Help', 'Call the SAMHSA Helpline']);
    // Going back returns to the form, as it was.
    await user.click(screen.getByRole('button', { name: 'Go back to my request' }));
    expect(screen.getByRole('heading', { name: 'Ask for a call back' })).toBeTruthy();
  });

  it('opens at once when the visitor says they are in danger, and lets them go on', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, ['For myself', 'Yes']);
    expect(screen.getByRole('heading', { name: 'Help right now' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Call 988' }).getAttribute('href')).toBe('tel:988');
    await user.click(screen.getByRole('button', { name: 'Go back to the questions' }));
    expect(log().textContent).toContain('What do you use?');
  });
});

describe('the result', () => {
  it('says what may fit and why, that it is not a diagnosis, and offers a call back and the phone', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, fitsIop);
    const result = screen.getByRole('region', { name: 'Our IOP may be a fit' });
    expect(result.textContent).toContain('Home is safe and free of drugs and alcohol.');
    expect(result.textContent).toContain('This is not a diagnosis or medical advice.');
    expect(screen.getByRole('link', { name: 'Or call us any time: (555) 201-0100' }).getAttribute('href')).toBe(
      'tel:+15552010100',
    );
  });
});

describe('the callback form', () => {
  async function reachForm(options: Parameters<typeof renderFrame>[0] = {}) {
    const rendered = renderFrame(options);
    await rendered.user.click(screen.getByRole('button', { name: /^(Start|Empezar)$/ }));
    await answer(rendered.user, options.locale === 'es' ? ['Para mí', 'No'] : ['For myself', 'No']);
    for (let i = 0; i < 12; i++) await rendered.user.click(screen.getByRole('button', { name: /Skip|Saltar/ }));
    await rendered.user.click(screen.getByRole('button', { name: /Ask for a call back|Pedir una llamada/ }));
    return rendered;
  }

  it('asks only the minimum, with the consent box separate and unticked', async () => {
    await reachForm();
    const form = screen.getByRole('form', { name: 'Ask for a call back' });
    const fields = within(form)
      .getAllByRole(/textbox|combobox|checkbox|radio/)
      .map((field) => field.getAttribute('name') ?? field.id);
    expect(fields).toEqual([
      'field-name',
      'field-phone',
      'bestTime',
      'bestTime',
      'bestTime',
      'bestTime',
      expect.any(String),
      expect.any(String),
      'field-state',
      'field-adult',
      'field-consent',
    ]);
    expect((screen.getByRole('checkbox', { name: /I agree that Riverbend/ }) as HTMLInputElement).checked).toBe(false);
  });

  it('shows each problem next to its field, announces how many, and moves focus to the first', async () => {
    const fetcher = vi.fn(accepted);
    const { user } = await reachForm({ fetcher });
    await user.click(screen.getByRole('button', { name: 'Send my request' }));

    expect(screen.getByRole('alert').textContent).toBe('Please fix 5 things below.');
    const name = screen.getByLabelText('First name or nickname');
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(name.getAttribute('aria-invalid')).toBe('true');
    const phone = screen.getByLabelText('Phone number');
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(phone.getAttribute('aria-describedby')).toContain('error-phone');
    expect(document.getElementById('error-phone')?.textContent).toBe(
      'Enter a US phone number with area code, like (312) 555-0142',
    );
    expect(fetcher).not.toHaveBeenCalled();
  });

  it('explains problems in Spanish to a Spanish-speaking visitor', async () => {
    const { user } = await reachForm({ locale: 'es' });
    await user.type(screen.getByLabelText('Número de teléfono'), '555-0142');
    await user.click(screen.getByRole('button', { name: 'Enviar mi solicitud' }));
    expect(document.getElementById('error-phone')?.textContent).toContain('código de área');
    expect(screen.getByRole('alert').textContent).toBe('Corrija 5 cosas abajo.');
  });

  it("sends the lead to the frame's own origin and confirms the real callback window", async () => {
    const fetcher = vi.fn(accepted);
    await reachFormAndSend({ fetcher, hostPage: { path: '/programs/iop', utm: { source: 'news' } } });
    await screen.findByText('We will call you back within 15 minutes.', {}, { timeout: 5000 });

    expect(fetcher).toHaveBeenCalledOnce();
    const [url, init] = fetcher.mock.calls[0] ?? [];
    expect(url).toBe('/v1/leads');
    expect(init?.method).toBe('POST');
    const body = JSON.parse(String(init?.body));
    expect(body).toMatchObject({
      center: 'riverbend',
      contact: { name: 'Sam', phone: '+13125550142', state: 'IL', adult: true, forWhom: 'self' },
      // Texts were not allowed: the call-only consent text was shown, and its version is the evidence.
      consent: { call: true, text: false, textVersion: '2026-12-riverbend-call-v1', page: '/programs/iop' },
      utm: { source: 'news' },
    });
    expect(screen.getByText('We will call you back within 15 minutes.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Call (555) 201-0100' }).getAttribute('href')).toBe('tel:+15552010100');
    // Nothing of the conversation stays behind in the browser once it is sent.
    expect(sessionStorage.length).toBe(0);
  });

  it('keeps everything when the server cannot be reached, shows the phone, and sends it once on retry', async () => {
    let up = false;
    const fetcher = vi.fn<Fetcher>(async (url, init) => {
      if (!up) throw new TypeError('Failed to fetch');
      return accepted(url, init);
    });
    const { user } = await reachFormAndSend({ fetcher });
    await screen.findByRole('heading', { name: 'We could not send it yet' }, { timeout: 5000 });
    expect(screen.getByRole('link', { name: 'Call (555) 201-0100' })).toBeTruthy();

    up = true;
    await user.click(screen.getByRole('button', { name: 'Try again now' }));
    await screen.findByText('We will call you back within 15 minutes.', {}, { timeout: 5000 });
    const keys = fetcher.mock.calls.map(([, init]) => JSON.parse(String(init.body)).idempotencyKey);
    expect(new Set(keys).size).toBe(1);
  });

  it('keeps trying when the visitor opens another page of the site after a failed send', async () => {
    const down = vi.fn<Fetcher>(async () => {
      throw new TypeError('Failed to fetch');
    });
    await reachFormAndSend({ fetcher: down });
    await screen.findByRole('heading', { name: 'We could not send it yet' }, { timeout: 5000 });
    cleanup();

    const up = vi.fn(accepted);
    renderFrame({ fetcher: up });
    await screen.findByText('We will call you back within 15 minutes.', {}, { timeout: 5000 });
    expect(up).toHaveBeenCalledOnce();
    expect(JSON.parse(String(up.mock.calls[0]?.[1].body)).idempotencyKey).toBe(
      JSON.parse(String(down.mock.calls[0]?.[1].body)).idempotencyKey,
    );
  });

  it('brings the visitor back to the form when the server refuses a field, with its words', async () => {
    const fetcher = vi.fn<Fetcher>(async () =>
      Response.json(
        {
          error: {
            code: 'invalid_lead',
            message: 'Check the highlighted fields.',
            issues: [{ path: 'contact.phone', message: 'This number cannot take calls; enter another.' }],
          },
        },
        { status: 400 },
      ),
    );
    await reachFormAndSend({ fetcher });
    await waitFor(() =>
      expect(document.getElementById('error-phone')?.textContent).toBe('This number cannot take calls; enter another.'),
    );
    expect(screen.getByRole('heading', { name: 'Ask for a call back' })).toBeTruthy();
    expect((screen.getByLabelText('First name or nickname') as HTMLInputElement).value).toBe('Sam');
  });

  async function reachFormAndSend(options: Parameters<typeof renderFrame>[0]) {
    const rendered = await reachForm(options);
    await fillForm(rendered.user);
    await rendered.user.click(screen.getByRole('button', { name: 'Send my request' }));
    return rendered;
  }
});

describe('language', () => {
  it('switches to Spanish mid-conversation and keeps every answer', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, ['For myself', 'No']);
    await user.click(screen.getByRole('button', { name: 'Cambiar a español' }));
    expect(log().textContent).toContain('Usted eligió: Para mí');
    expect(screen.getByRole('button', { name: 'Saltar esta pregunta' })).toBeTruthy();
    await waitFor(() => expect(document.documentElement.lang).toBe('es'));
  });
});

describe('remembering the conversation', () => {
  it('picks up where the visitor left off on another page of the site', async () => {
    const first = renderFrame();
    await first.user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(first.user, ['For myself', 'No']);
    cleanup();

    renderFrame();
    expect(log().textContent).toContain('You chose: For myself');
    expect(log().textContent).toContain('What do you use?');
  });

  it('forgets it after 30 minutes, and at once on "Start over"', async () => {
    let now = Date.now();
    const first = renderFrame({ now: () => now });
    await first.user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(first.user, ['For myself']);
    cleanup();

    now += TTL_MS + 1;
    renderFrame({ now: () => now });
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
    expect(sessionStorage.length).toBe(0);
    cleanup();

    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, ['For myself']);
    // One tap asks first; "No" keeps everything.
    // As a person pauses after answering: the next question takes focus first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await user.click(screen.getByRole('button', { name: 'Start over and clear my answers' }));
    expect(screen.getByText('Clear all your answers and start over?')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'No, keep them' })));
    await user.click(screen.getByRole('button', { name: 'No, keep them' }));
    expect(log().textContent).toContain('You chose: For myself');
    expect(sessionStorage.length).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Start over and clear my answers' }));
    await user.click(screen.getByRole('button', { name: 'Yes, clear them' }));
    expect(sessionStorage.length).toBe(0);
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
  });
});

describe('keyboard', () => {
  it('completes the whole conversation and the form with the keyboard alone', async () => {
    const fetcher = vi.fn(accepted);
    const { user } = renderFrame({ fetcher });
    const press = async (name: string) => {
      const target = screen.getByRole('button', { name });
      while (document.activeElement !== target) await user.tab();
      await user.keyboard('{Enter}');
    };
    const tick = async (name: string) => {
      const target = screen.getByRole('checkbox', { name });
      while (document.activeElement !== target) await user.tab();
      await user.keyboard(' ');
    };
    await press('Start');
    for (const value of fitsIop) {
      if (typeof value === 'string') await press(value);
      else {
        for (const label of value) await tick(label);
        await press('Continue');
      }
    }
    await press('Ask for a call back');
    const typeInto = async (label: string, text: string) => {
      const field = screen.getByLabelText(label);
      while (document.activeElement !== field) await user.tab();
      if (text) await user.keyboard(text);
    };
    await typeInto('First name or nickname', 'Sam');
    await typeInto('Phone number', '3125550142');
    // Reached by Tab; user-event cannot type ahead in a <select>, so pick the option as the keys would.
    await typeInto('US state you live in', '');
    await user.selectOptions(screen.getByLabelText('US state you live in'), 'IL');
    await tick('I am 18 or older');
    await tick(screen.getByRole('checkbox', { name: /I agree that Riverbend/ }).parentElement?.textContent ?? '');
    await press('Send my request');
    await screen.findByText('We will call you back within 15 minutes.', {}, { timeout: 5000 });
    expect(fetcher).toHaveBeenCalledOnce();
  });
});
