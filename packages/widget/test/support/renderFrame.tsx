import { defaultFlow } from '@intake-chat/engine';
import { render, screen } from '@testing-library/preact';
import type { UserEvent } from '@testing-library/user-event';
import { userEvent } from '@testing-library/user-event';
import type { Answer } from '../../../engine/test/support/journeys.js';
import { App } from '../../src/frame/App.js';
import { createFrameActor } from '../../src/frame/createFrameActor.js';
import { createPersistence } from '../../src/frame/persistence.js';
import type { FrameSettings } from '../../src/frame/settings.js';
import type { HostPage } from '../../src/shared/protocol.js';

/** The demo center's public settings, as the lead server writes them into the frame page. */
export const settings: FrameSettings = {
  center: 'riverbend',
  name: 'Riverbend Recovery',
  phone: '(555) 201-0100',
  phoneE164: '+15552010100',
  locales: ['en', 'es'],
  consent: {
    call: {
      version: '2026-12-riverbend-call-v1',
      text: {
        en: 'I agree that Riverbend Recovery may call me about my request. Not a condition of treatment.',
        es: 'Acepto que Riverbend Recovery me llame sobre mi solicitud. No es una condición del tratamiento.',
      },
    },
    callAndText: {
      version: '2026-12-riverbend-text-v1',
      text: {
        en: 'I agree that Riverbend Recovery may call and text me about my request. Not a condition of treatment.',
        es: 'Acepto que Riverbend Recovery me llame y me escriba sobre mi solicitud. No es una condición del tratamiento.',
      },
    },
  },
  callbackTargetMinutes: 15,
  origins: ['https://riverbend.example'],
  flow: defaultFlow,
};

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

export const accepted: Fetcher = async () =>
  Response.json({ id: '01a2037a-7e70-74b1-9108-0b9c7be87878', callbackWindow: 'within 15 minutes' }, { status: 201 });

/** The frame app on a fresh page, with the lead server replaced by `fetcher`. */
export function renderFrame(
  options: { fetcher?: Fetcher; locale?: string; hostPage?: HostPage; now?: () => number; typingDelay?: number } = {},
) {
  const persistence = createPersistence(
    { center: settings.center, flow: `${defaultFlow.id}@${defaultFlow.version}` },
    sessionStorage,
    options.now,
  );
  const actor = createFrameActor({
    settings,
    locale: options.locale ?? 'en',
    persistence,
    fetcher: (options.fetcher ?? accepted) as typeof fetch,
  });
  // As the frame does when the shell opens it on a page.
  const page = options.hostPage ?? { path: '/programs/iop' };
  actor.send({
    type: 'host.page',
    page: page.path,
    utm: page.utm,
    referrer: page.referrer,
    ownHost: 'riverbend.example',
  });
  const onClose = () => {};
  const view = render(
    <App
      actor={actor}
      settings={settings}
      onClose={onClose}
      onClearAnswers={() => {
        actor.send({ type: 'visitor.restart' });
        persistence.clear();
      }}
      typingDelay={options.typingDelay ?? 0}
    />,
  );
  return { actor, persistence, user: userEvent.setup(), ...view };
}

/** Answers as a visitor clicks them: a choice by its label; a multi-choice as its labels, then Continue. */
export async function answer(user: UserEvent, answers: readonly Answer[]) {
  for (const value of answers) {
    if (typeof value === 'string') {
      await user.click(screen.getByRole('button', { name: value }));
      continue;
    }
    for (const label of value) await user.click(screen.getByRole('checkbox', { name: label }));
    await user.click(screen.getByRole('button', { name: 'Continue' }));
  }
}
