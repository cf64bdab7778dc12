import { useLayoutEffect, useRef } from 'preact/hooks';
import { useConsole } from './context.js';

/**
 * Moves focus to the returned element the first time `ready` is true: a view's heading as it opens,
 * so keyboard and screen-reader users start at the top of what just replaced the page.
 */
export function useFocusOnce<T extends HTMLElement>(ready = true) {
  const ref = useRef<T>(null);
  const done = useRef(false);
  // A layout effect: focus moves with the DOM, before the person can press a key in the old place.
  useLayoutEffect(() => {
    if (!ready || done.current || !ref.current) return;
    done.current = true;
    ref.current.focus();
  }, [ready]);
  return ref;
}

/**
 * A console view's h1, focused when the view opens by navigation or after signing in. Not on a plain
 * page load: focus then starts at the top of the page, where the skip link is.
 */
export function useViewHeading(ready = true) {
  const { focusViews } = useConsole();
  return useFocusOnce<HTMLHeadingElement>(ready && focusViews);
}
