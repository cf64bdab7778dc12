import { createIntakeMachine, type Lead } from '@intake-chat/engine';
import { type Actor, createActor, fromPromise } from 'xstate';
import type { HostPage } from '../shared/protocol.js';
import type { Persistence } from './persistence.js';
import { postLead } from './postLead.js';
import type { FrameSettings } from './settings.js';

export type FrameActor = Actor<ReturnType<typeof createIntakeMachine>>;

export interface FrameActorOptions {
  readonly settings: FrameSettings;
  readonly locale: string;
  readonly persistence: Persistence;
  /** The host page the visitor is on now: its path becomes consent evidence, its campaign tags go along. */
  readonly hostPage: () => HostPage | null;
  readonly fetcher?: typeof fetch;
}

/**
 * The engine's machine with the frame's effects: posting the lead, and keeping the conversation in
 * session storage (restored if a recent one exists, cleared once the lead is sent).
 */
export function createFrameActor({ settings, locale, persistence, hostPage, fetcher }: FrameActorOptions): FrameActor {
  const machine = createIntakeMachine(settings.flow).provide({
    actors: {
      submitLead: fromPromise<{ id: string; callbackWindow: string }, Lead>(({ input }) =>
        postLead(withHostPage(input, hostPage()), fetcher),
      ),
    },
  });
  const input = {
    center: settings.center,
    consentVersion: settings.consent.version,
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
    if (snapshot.matches({ dialogue: 'submitted' })) persistence.clear();
    else persistence.save(actor.getPersistedSnapshot());
  });
  return actor;
}

const PAGE_PATH = /^\/(?!\/)[^?#\s]*$/;

/** Adds where the visitor consented, a path only, if it is one the lead API accepts. */
function withHostPage(lead: Lead, page: HostPage | null): Lead {
  if (page === null) return lead;
  const path = page.path.slice(0, 512);
  return {
    ...lead,
    consent: PAGE_PATH.test(path) ? { ...lead.consent, page: path } : lead.consent,
    ...(page.utm && !lead.utm ? { utm: page.utm } : {}),
  };
}
