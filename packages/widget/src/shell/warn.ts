/** Tells the host page's developer what to fix in the embed code. The visitor never sees these. */
export function warn(message: string, level: 'warn' | 'error' = 'warn') {
  // biome-ignore lint/suspicious/noConsole: the browser console is where a web developer looks for embed errors.
  console[level](`intake-chat: ${message}`);
}
