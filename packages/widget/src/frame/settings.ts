import type { Flow } from '@intake-chat/engine/schema';

/** What the lead server puts in the frame page (`<script type="application/json" id="intake-settings">`). */
export interface FrameSettings {
  readonly center: string;
  readonly name: string;
  readonly phone: string;
  readonly phoneE164: string;
  readonly locales: readonly string[];
  /** The call-consent box's text: one for calls only, one for calls and texts, each versioned. */
  readonly consent: { readonly call: ConsentText; readonly callAndText: ConsentText };
  readonly callbackTargetMinutes: number;
  /** The host origins allowed to embed this center's chat: the only ones the frame talks to. */
  readonly origins: readonly string[];
  /** Validated by the server when it loaded its config. */
  readonly flow: Flow;
  /** False when the center turned conversion insight off: the frame then counts nothing. */
  readonly insight?: boolean;
}

export interface ConsentText {
  readonly version: string;
  readonly text: Readonly<Record<string, string>>;
}

/** The settings the server wrote into this page, or an error naming what is missing. */
export function readSettings(doc: Document): FrameSettings {
  const text = doc.getElementById('intake-settings')?.textContent;
  if (!text) throw new Error('The chat could not start: this page has no intake settings.');
  return JSON.parse(text) as FrameSettings;
}
