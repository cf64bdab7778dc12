import { createIntakeMachine, type Lead } from '@intake-chat/engine';
import { type Actor, createActor, fromPromise } from 'xstate';
import type { Persistence } from './persistence.js';
import { postLead } from './postLead.js';
import type { FrameSettings } from './settings.js';

export type FrameActor = Actor<ReturnType<typeof createIntakeMachine>>;

export interface FrameActorOptions {
  readonly settings: FrameSettings;
  readonly locale: string;
  readonly persistence: Persistence;
  readonly fetcher?: typeof fetch;
}

/**
 * The engine's machine with the frame's effects: posting the lead, and keeping the conversation in
 * session storage (restored if a recent one exists, cleared once the lead is sent). The host page
 * reaches the lead as a `host.page` event, sent on every open, so the engine builds the whole lead.
 */
export function createFrameActor({ settings, locale, persistence, fetcher }: FrameActorOptions): FrameActor {
  const machine = createIntakeMachine(settings.flow).provide({
    actors: {
      submitLead: fromPromise<{ id: string; callbackWindow: string }, Lead>(({ input }) => postLead(input, fetcher)),
    },
  });
  const input = {
    center: settings.center,
    consentVersion: { call: settings.consent.call.version, callAndText: settings.consent.callAndText.version },
    locale: settings.locales.includes(locale) ? locale : (settings.locales[0] ?? 'en'),
    newKey: () => crypto.randomUUID(),
  };
  const saved = persistence.load();
  let actor: FrameActor;
  try {
    actor = createActor(machine, saved === undefined ? { input } : { input, snapshot: saved as never });
    actor.start();
  } catch {
    persistence.clear();
    actor = createActor(machine, { input });
    actor.start();
  }
  // A send that had failed before the visitor opened this page: its retry timer did not survive the
  // page change (timers are not part of a saved snapshot), so try again now.
  if (actor.getSnapshot().matches({ dialogue: 'submitFailed' })) actor.send({ type: 'form.retry' });
  actor.subscribe((snapshot) => {
    // Nothing is kept before the visitor starts, nor once the lead is sent.
    const untouched = snapshot.matches({ dialogue: 'greeting' }) && !snapshot.matches({ crisis: 'open' });
    if (untouched || snapshot.matches({ dialogue: 'submitted' })) persistence.clear();
    else persistence.save(actor.getPersistedSnapshot());
  });
  return actor;
}
