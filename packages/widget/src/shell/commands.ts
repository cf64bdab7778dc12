import { warn } from './warn.js';

/** What a page may ask of the widget: `IntakeChat('open')`, before or after widget.js has loaded. */
export const COMMANDS = ['open', 'close', 'toggle', 'reset'] as const;
export type Command = (typeof COMMANDS)[number];

type Queued = ArrayLike<unknown>;
interface QueueHost {
  IntakeChat?: ((...args: unknown[]) => void) & { q?: Queued[] };
}

/**
 * Takes over `window.IntakeChat`: the page's two-line stub queued calls in `IntakeChat.q`
 * (`window.IntakeChat = window.IntakeChat || function(){(IntakeChat.q=IntakeChat.q||[]).push(arguments)}`);
 * from now on calls run at once. Returns the queued calls, in order, for the caller to replay.
 */
export function takeQueue(host: QueueHost): Queued[] {
  const queued = [...(host.IntakeChat?.q ?? [])];
  host.IntakeChat = (...args: unknown[]) => runCommand(args);
  return queued;
}

/** Runs one command on every <intake-chat> on the page (usually one). */
export function runCommand(args: Queued, root: ParentNode = document) {
  const name = args[0];
  if (typeof name !== 'string' || !(COMMANDS as readonly string[]).includes(name)) {
    warn(`IntakeChat(${JSON.stringify(name)}): use one of ${COMMANDS.join(', ')}.`);
    return;
  }
  for (const element of root.querySelectorAll('intake-chat')) {
    (element as unknown as Record<Command, () => void>)[name as Command]?.();
  }
}
