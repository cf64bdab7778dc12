import { describe, expect, it, vi } from 'vitest';
import { connectShell } from '../src/frame/connectShell.js';
import { CHANNEL } from '../src/shared/protocol.js';

const HOST = 'https://riverbend.example';

/** A frame window inside a parent page: listeners it registers, and what it posts to the parent. */
function frameWindow() {
  const parent = { postMessage: vi.fn() } as unknown as Window & { postMessage: ReturnType<typeof vi.fn> };
  const listeners: ((event: MessageEvent) => void)[] = [];
  return {
    parent,
    addEventListener: (_type: 'message', listener: (event: MessageEvent) => void) => listeners.push(listener),
    removeEventListener: (_type: 'message', listener: (event: MessageEvent) => void) =>
      listeners.splice(listeners.indexOf(listener), 1),
    deliver: (event: Partial<MessageEvent>) => {
      for (const listener of listeners) listener(event as MessageEvent);
    },
  };
}

describe("the frame's side of the conversation with the page", () => {
  it('posts only to the host origin, and only when that origin may embed the center', () => {
    const self = frameWindow();
    const shell = connectShell(self, [HOST], HOST, () => {});
    shell.post({ type: 'ready' });
    expect(self.parent.postMessage).toHaveBeenCalledWith({ channel: CHANNEL, type: 'ready' }, HOST);

    const stranger = frameWindow();
    const refused = connectShell(stranger, [HOST], 'https://evil.example', () => {});
    refused.post({ type: 'ready' });
    expect(refused.connected).toBe(false);
    expect(stranger.parent.postMessage).not.toHaveBeenCalled();
  });

  it('reads messages only from its parent window at the host origin', () => {
    const self = frameWindow();
    const received = vi.fn();
    connectShell(self, [HOST], HOST, received);
    const open = { channel: CHANNEL, type: 'open', page: { path: '/' } };

    self.deliver({ data: open, origin: 'https://evil.example', source: self.parent });
    self.deliver({ data: open, origin: HOST, source: {} as Window });
    self.deliver({ data: { type: 'open' }, origin: HOST, source: self.parent });
    self.deliver({ data: { channel: CHANNEL, type: 'steal-answers' }, origin: HOST, source: self.parent });
    expect(received).not.toHaveBeenCalled();

    self.deliver({ data: open, origin: HOST, source: self.parent });
    expect(received).toHaveBeenCalledWith(open);
  });

  it('stops listening when disposed', () => {
    const self = frameWindow();
    const received = vi.fn();
    connectShell(self, [HOST], HOST, received).dispose();
    self.deliver({ data: { channel: CHANNEL, type: 'reset' }, origin: HOST, source: self.parent });
    expect(received).not.toHaveBeenCalled();
  });
});
