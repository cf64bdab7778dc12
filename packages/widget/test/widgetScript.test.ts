import { expect, it, vi } from 'vitest';

// widget.js as a page loads it: the script tag first, a page that queued calls before it arrived,
// then the script runs once. (Each test file gets its own page.)
it('mounts one <intake-chat> from its script tag and replays what the page queued', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  document.documentElement.lang = 'es';
  const script = document.createElement('script');
  script.src = 'https://intake.example.org/widget.js';
  script.dataset.center = 'riverbend';
  script.dataset.position = 'left';
  document.body.append(script);
  const page = window as unknown as { IntakeChat: ((...args: unknown[]) => void) & { q?: unknown[][] } };
  page.IntakeChat = Object.assign((...args: unknown[]) => page.IntakeChat.q?.push(args), { q: [] as unknown[][] });
  page.IntakeChat('open');
  page.IntakeChat('wiggle');
  const opened = vi.fn();
  document.addEventListener('intake:open', opened);

  await import('../src/shell/widget.js');

  const elements = document.querySelectorAll('intake-chat');
  expect(elements).toHaveLength(1);
  const launcher = elements[0]?.shadowRoot?.querySelector('button.launcher');
  expect(launcher?.getAttribute('aria-expanded')).toBe('true');
  expect(launcher?.textContent).toBe('Cerrar chat');
  expect(elements[0]?.shadowRoot?.querySelector('.left')).not.toBeNull();
  expect(opened).toHaveBeenCalledOnce();
  expect(String(warn.mock.calls[0]?.[0])).toContain('IntakeChat("wiggle")');

  // Calls after loading run at once.
  page.IntakeChat('close');
  expect(launcher?.getAttribute('aria-expanded')).toBe('false');

  // A single-page app that replaces the body's content on navigation gets the chat back, once the
  // page has been idle a moment (the history hooks wait for it, after the launcher is drawn).
  await new Promise((resolve) => setTimeout(resolve, 20));
  document.body.replaceChildren();
  history.pushState(null, '', '/insurance');
  await Promise.resolve();
  expect(document.querySelectorAll('intake-chat')).toHaveLength(1);
});
