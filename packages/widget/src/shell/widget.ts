// widget.js: the one classic script a center pastes. It defines <intake-chat>, mounts one unless the
// page placed its own, and replays the commands the page queued before the script arrived.

import { runCommand, takeQueue } from './commands.js';
import { IntakeChatElement, whenIdle } from './IntakeChatElement.js';

const TAG = 'intake-chat';
let mounted: IntakeChatElement | null = null;

if (!customElements.get(TAG)) {
  customElements.define(TAG, IntakeChatElement);
  const queued = takeQueue(window as Parameters<typeof takeQueue>[0]);
  whenBodyExists(() => {
    mountUnlessPlaced();
    for (const args of queued) runCommand(args);
    // Not before the launcher is on screen: a single-page app navigates after its first paint.
    whenIdle(keepMountedAcrossNavigation);
  });
}

function mountUnlessPlaced() {
  if (document.querySelector(TAG)) return;
  mounted ??= document.createElement(TAG) as IntakeChatElement;
  document.body.append(mounted);
}

/**
 * Single-page apps that swap the body's content can drop the element: put it back after each
 * navigation. A wrapped pushState/replaceState and popstate/hashchange, not a MutationObserver on
 * the whole page or polling (docs/widget-lessons.md, embedding).
 */
function keepMountedAcrossNavigation() {
  const check = () => queueMicrotask(() => mounted && !mounted.isConnected && mountUnlessPlaced());
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
  }
  addEventListener('popstate', check);
  addEventListener('hashchange', check);
}

function whenBodyExists(run: () => void) {
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run, { once: true });
}
