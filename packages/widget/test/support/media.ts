// jsdom has no matchMedia. Browsers always do, so the widget calls it freely; tests get a small
// stand-in whose answers they can change, firing "change" as a browser would.

type Listener = () => void;
const matches = new Map<string, boolean>();
const listeners = new Map<string, Set<Listener>>();

/** Makes `query` match (or not) from now on, and tells its listeners. */
export function setMedia(query: string, value: boolean) {
  matches.set(query, value);
  for (const listener of listeners.get(query) ?? []) listener();
}

export function resetMedia() {
  matches.clear();
  listeners.clear();
}

window.matchMedia = (query: string) =>
  ({
    media: query,
    get matches() {
      return matches.get(query) ?? false;
    },
    addEventListener: (_type: string, listener: Listener) => {
      const set = listeners.get(query) ?? new Set();
      set.add(listener);
      listeners.set(query, set);
    },
    removeEventListener: (_type: string, listener: Listener) => listeners.get(query)?.delete(listener),
  }) as unknown as MediaQueryList;
