import { type FrameMessage, readShellMessage, type ShellMessage, tag } from '../shared/protocol.js';

interface FrameWindow {
  readonly parent: Window;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface ShellConnection {
  /** False when the frame is not inside an allowed host page: it then sends and accepts nothing. */
  readonly connected: boolean;
  post(message: FrameMessage): void;
  dispose(): void;
}

/**
 * The frame's side of postMessage. The shell names its page's origin in the frame URL's fragment;
 * the frame believes it only if that origin may embed this center (the frame-ancestors list), then
 * posts only to it and reads only messages from the parent window with that origin.
 */
export function connectShell(
  self: FrameWindow,
  origins: readonly string[],
  claimedHost: string,
  onMessage: (message: ShellMessage) => void,
): ShellConnection {
  const parentOrigin = self.parent !== (self as unknown) && origins.includes(claimedHost) ? claimedHost : null;
  const listener = (event: MessageEvent) => {
    if (parentOrigin === null || event.source !== self.parent || event.origin !== parentOrigin) return;
    const message = readShellMessage(event.data);
    if (message) onMessage(message);
  };
  self.addEventListener('message', listener);
  return {
    connected: parentOrigin !== null,
    post(message) {
      if (parentOrigin) self.parent.postMessage(tag(message), parentOrigin);
    },
    dispose: () => self.removeEventListener('message', listener),
  };
}
