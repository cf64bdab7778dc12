import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import type { UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { journeys, SKIP } from '../../engine/test/support/journeys.js';
import { accepted, answer, renderFrame } from './support/renderFrame.js';

/*
 * The faults a walk through the demo as a frightened visitor found (issue 11), each as the visitor's
 * sentence. The browser tests (test/e2e) repeat the ones that need a real layout.
 */

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  vi.restoreAllMocks();
});

/** The iop-fit journey up to the last, free-text question. */
const toNote = journeys['iop-fit'].filter((value) => value !== SKIP);

async function toForm(user: UserEvent) {
  await user.click(screen.getByRole('button', { name: 'Start' }));
  await answer(user, journeys['iop-fit']);
  await user.click(screen.getByRole('button', { name: 'Ask for a call back' }));
}

async function fill(user: UserEvent, name: string) {
  await user.type(screen.getByLabelText('First name or nickname'), name);
  await user.type(screen.getByLabelText('Phone number'), '312 555 0142');
  await user.selectOptions(screen.getByLabelText('US state you live in'), 'IL');
  await user.click(screen.getByRole('checkbox', { name: 'I am 18 or older' }));
  await user.click(screen.getByRole('checkbox', { name: /I agree that Riverbend Recovery may call/ }));
}

const sentLeads = (fetcher: ReturnType<typeof vi.fn>) =>
  fetcher.mock.calls.map(([, init]) => JSON.parse(String((init as RequestInit).body)));

describe('a visitor who types crisis words', () => {
  it('as their name sees crisis help, keeps what they typed, and can still send the request', async () => {
    // The lead server's answer for an emergency while staffed (packages/server callbackWindow).
    const fetcher = vi.fn(async () =>
      Response.json(
        { id: '01a2037a-7e70-74b1-9108-0b9c7be87878', callbackWindow: 'as soon as we can' },
        { status: 201 },
      ),
    );
    const { user } = renderFrame({ fetcher });
    await toForm(user);
    await fill(user, 'I want to kill myself');
    await user.click(screen.getByRole('button', { name: 'Send my request' }));

    await waitFor(() => expect(document.activeElement?.textContent).toBe('Help right now'));
    expect(screen.getByText(/Your request is not sent yet/)).toBeTruthy();
    expect(fetcher).not.toHaveBeenCalled();

    // Back to the form: everything is as they left it.
    await user.click(screen.getByRole('button', { name: 'Go back to my request' }));
    expect((screen.getByLabelText('First name or nickname') as HTMLInputElement).value).toBe('I want to kill myself');
    expect((screen.getByLabelText('Phone number') as HTMLInputElement).value).toBe('312 555 0142');

    // Sending again sends it, and the confirmation says plainly not to wait if anyone is in danger.
    await user.click(screen.getByRole('button', { name: 'Send my request' }));
    await screen.findByRole('heading', { name: 'Thank you. We got your request.' });
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(screen.getByText(/If you or someone else is in danger now, call 911/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Call 911' }).getAttribute('href')).toBe('tel:911');
    expect(screen.getByText('Our team will call you back as soon as we can.')).toBeTruthy();
  });

  it('as their name can send the request straight from the crisis screen', async () => {
    const fetcher = vi.fn(accepted);
    const { user } = renderFrame({ fetcher });
    await toForm(user);
    await fill(user, 'quiero morir');
    await user.click(screen.getByRole('button', { name: 'Send my request' }));
    await user.click(await screen.findByRole('button', { name: 'Send my request now' }));
    await screen.findByRole('heading', { name: 'Thank you. We got your request.' });
    expect(sentLeads(fetcher)[0].contact.name).toBe('quiero morir');
  });

  it('in the last question sees crisis help, and the result says what they wrote sounded like danger', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, toNote);
    const note = screen.getByRole('textbox', { name: 'Is there anything you want the team to know before they call?' });
    await user.type(note, 'honestly I want to die');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Help right now' });
    await user.click(screen.getByRole('button', { name: 'Go back to the questions' }));
    expect(screen.getByRole('heading', { name: 'Please get help right now' })).toBeTruthy();
    expect(screen.getByText('Something you wrote sounded like someone may be in danger.')).toBeTruthy();
  });
});

describe('a visitor who opens crisis help in the middle of typing', () => {
  it('finds the form as they left it when they go back', async () => {
    const { user } = renderFrame();
    await toForm(user);
    await user.type(screen.getByLabelText('First name or nickname'), 'Sam');
    await user.type(screen.getByLabelText('Phone number'), '312 555 0142');
    await user.click(screen.getByRole('button', { name: 'More crisis help' }));
    await screen.findByRole('heading', { name: 'Help right now' });
    await user.click(screen.getByRole('button', { name: 'Go back to my request' }));
    expect((screen.getByLabelText('First name or nickname') as HTMLInputElement).value).toBe('Sam');
    expect((screen.getByLabelText('Phone number') as HTMLInputElement).value).toBe('312 555 0142');
  });

  it('sees crisis help when they type crisis words in the last question and then skip it', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, toNote);
    await user.type(screen.getByRole('textbox'), 'I want to die');
    await user.click(screen.getByRole('button', { name: SKIP }));
    await screen.findByRole('heading', { name: 'Help right now' });
  });
});

describe('the last question', () => {
  it('shows how many characters are left to type, and can be skipped', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, toNote);
    expect(screen.getByText('0 of 200 characters')).toBeTruthy();
    await user.type(screen.getByRole('textbox'), 'Evenings');
    expect(screen.getByText('8 of 200 characters')).toBeTruthy();
    expect((screen.getByRole('textbox') as HTMLTextAreaElement).maxLength).toBe(200);
    await user.click(screen.getByRole('button', { name: SKIP }));
    expect(screen.getByRole('heading', { name: 'Our IOP may be a fit' })).toBeTruthy();
  });

  it('tells the visitor about how many questions are left, counted from the flow', async () => {
    const { user } = renderFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(screen.getByText('About 14 questions left')).toBeTruthy();
    await answer(user, journeys['iop-fit'].slice(0, 10));
    expect(screen.getByText('About 4 questions left')).toBeTruthy();
    // "No" to the hours skips the schedule question: the count follows the way the flow goes.
    await answer(user, ['No']);
    expect(screen.getByText('About 2 questions left')).toBeTruthy();
    await answer(user, ['Private insurance']);
    expect(screen.getByText('Last question')).toBeTruthy();
  });
});

describe('the callback form', () => {
  it('clears each error as soon as its field is fixed, after the first try', async () => {
    const { user } = renderFrame();
    await toForm(user);
    await user.click(screen.getByRole('button', { name: 'Send my request' }));
    expect(screen.getByText(/Please confirm you are 18 or older/)).toBeTruthy();
    expect(screen.getByText('Choose the US state you live in from the list')).toBeTruthy();

    await user.click(screen.getByRole('checkbox', { name: 'I am 18 or older' }));
    expect(screen.queryByText(/Please confirm you are 18 or older/)).toBeNull();
    await user.selectOptions(screen.getByLabelText('US state you live in'), 'TX');
    expect(screen.queryByText('Choose the US state you live in from the list')).toBeNull();
    // A field still wrong keeps its error until it is fixed.
    expect(screen.getByText('Enter a first name or nickname')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Please fix 3 things below.');
  });

  it('shows the consent words that match the choice about texts, and stores that version', async () => {
    const fetcher = vi.fn(accepted);
    const { user } = renderFrame({ fetcher });
    await toForm(user);
    const consent = () => screen.getByRole('checkbox', { name: /I agree that Riverbend Recovery may/ });
    expect(consent().closest('label')?.textContent).toMatch(/may call me about my request/);
    await user.click(screen.getByRole('checkbox', { name: 'You may send me a text' }));
    expect(consent().closest('label')?.textContent).toMatch(/may call and text me/);
    await fill(user, 'Sam');
    await user.click(screen.getByRole('button', { name: 'Send my request' }));
    await screen.findByRole('heading', { name: 'Thank you. We got your request.' });
    expect(sentLeads(fetcher)[0].consent).toMatchObject({ text: true, textVersion: '2026-12-riverbend-text-v1' });
  });

  it('no longer says the answers stay in this browser once they are sent', async () => {
    const { user } = renderFrame();
    await toForm(user);
    expect(screen.queryByText(/Your answers stay in this browser/)).toBeNull();
    await fill(user, 'Sam');
    await user.click(screen.getByRole('button', { name: 'Send my request' }));
    await screen.findByRole('heading', { name: 'Thank you. We got your request.' });
    expect(screen.queryByText(/Your answers stay in this browser/)).toBeNull();
    expect(screen.getByText('Your request went only to this center. Nothing is kept in this browser.')).toBeTruthy();
  });
});

describe('in Spanish', () => {
  it('speaks as "usted" on the crisis screen too, in words that fit anyone', async () => {
    const { user } = renderFrame({ locale: 'es' });
    await user.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Más ayuda en crisis' }));
    const text = screen.getByRole('heading', { name: 'Ayuda ahora mismo' }).closest('section')?.textContent ?? '';
    expect(text).toContain('llame o escriba al 988');
    expect(text).toContain('No tiene que pasar por esto a solas');
    expect(text).not.toMatch(/\b(llama|escribe|piensas|sientes|te escuchará)\b/);
  });

  it('explains a missing field with the same meaning as in English', async () => {
    const { user } = renderFrame({ locale: 'es' });
    await user.click(screen.getByRole('button', { name: 'Empezar' }));
    await answer(user, ['Para mí', 'No']);
    for (let i = 0; i < 12; i++) await user.click(screen.getByRole('button', { name: 'Saltar esta pregunta' }));
    await user.click(screen.getByRole('button', { name: 'Pedir una llamada' }));
    await user.click(screen.getByRole('button', { name: 'Enviar mi solicitud' }));
    expect(document.getElementById('error-name')?.textContent).toBe('Escriba un nombre o apodo');
  });
});
