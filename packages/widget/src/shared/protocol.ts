/**
 * The messages shell and frame exchange with postMessage. They carry UI state only (docs/architecture.md,
 * data flow 3): never answers, routes, step ids or contact details. Each side checks the sender's
 * origin and window before reading one (docs/widget-lessons.md: widgets that skip this leak and break pages).
 */
export const CHANNEL = 'intake-chat';

/** Where the visitor is on the host site: consent evidence (a path, never a query) and campaign tags. */
export interface HostPage {
  readonly path: string;
  readonly utm?: Readonly<Record<string, string>>;
  /** The host name of the page the visitor came from (`document.referrer`), never its path or query. */
  readonly referrer?: string;
}

export type ShellMessage =
  | { readonly type: 'open'; readonly page: HostPage }
  | { readonly type: 'close' }
  | { readonly type: 'reset' }
  | { readonly type: 'locale'; readonly locale: string };

/**
 * To a frame made waiting (`start=intent`): run now. Read by the few lines inline in that frame page
 * (the lead server's framePage.ts), not by frame.js, which is what they start.
 */
export interface WakeMessage {
  readonly type: 'wake';
}

export type FrameMessage =
  /** From a frame made waiting: its page has loaded and it listens for `wake`. */
  | { readonly type: 'waiting' }
  | { readonly type: 'ready' }
  | { readonly type: 'close' }
  | { readonly type: 'submitted' }
  | { readonly type: 'locale'; readonly locale: string };

type Tagged<M> = M & { readonly channel: typeof CHANNEL };

export function tag<M extends ShellMessage | FrameMessage | WakeMessage>(message: M): Tagged<M> {
  return { ...message, channel: CHANNEL };
}

/** The message if `data` is one of ours of a known type; null for anything else on the window. */
export function readShellMessage(data: unknown): ShellMessage | null {
  return read(data, ['open', 'close', 'reset', 'locale']) as ShellMessage | null;
}

export function readFrameMessage(data: unknown): FrameMessage | null {
  return read(data, ['waiting', 'ready', 'close', 'submitted', 'locale']) as FrameMessage | null;
}

function read(data: unknown, types: readonly string[]): unknown {
  if (typeof data !== 'object' || data === null) return null;
  const { channel, type } = data as { channel?: unknown; type?: unknown };
  if (channel !== CHANNEL || !types.includes(type as string)) return null;
  return data;
}

/** Allow-listed campaign tags of a page URL, as the lead API accepts them (docs/architecture.md, lead API). */
export function utmOf(search: string): Record<string, string> {
  const params = new URLSearchParams(search);
  const utm: Record<string, string> = {};
  for (const key of ['source', 'medium', 'campaign', 'term', 'content']) {
    const value = params.get(`utm_${key}`);
    if (value) utm[key] = value.slice(0, 100);
  }
  return utm;
}
