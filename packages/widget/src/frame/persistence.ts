/**
 * Keeps the conversation in the frame origin's sessionStorage for 30 minutes, so a visitor who
 * opens another page of the site does not start over (docs/architecture.md, data flow 4). The host page cannot
 * read it (another origin); it is gone when the tab closes, and "Start over" clears it at once.
 */
const KEY = 'intake-chat:conversation';
export const TTL_MS = 30 * 60_000;

interface Saved {
  readonly center: string;
  readonly flow: string;
  readonly savedAt: number;
  readonly snapshot: unknown;
}

export interface Persistence {
  load(): unknown | undefined;
  save(snapshot: unknown): void;
  clear(): void;
}

export function createPersistence(
  scope: { center: string; flow: string },
  storage: Storage | null = safeSessionStorage(),
  now: () => number = Date.now,
): Persistence {
  return {
    load() {
      try {
        const saved = JSON.parse(storage?.getItem(KEY) ?? 'null') as Saved | null;
        if (!saved || saved.center !== scope.center || saved.flow !== scope.flow) return undefined;
        if (now() - saved.savedAt > TTL_MS) {
          storage?.removeItem(KEY);
          return undefined;
        }
        return saved.snapshot;
      } catch {
        return undefined;
      }
    },
    save(snapshot) {
      try {
        storage?.setItem(KEY, JSON.stringify({ ...scope, savedAt: now(), snapshot } satisfies Saved));
      } catch {
        // Storage full or blocked: the conversation still works, it just will not survive a new page.
      }
    },
    clear() {
      try {
        storage?.removeItem(KEY);
      } catch {}
    },
  };
}

/** Some browsers throw on touching sessionStorage in a third-party frame with storage blocked. */
function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
