import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { Copy } from './copy.js';
import { hrefFor } from './router.js';
import type { LeadRow, Session } from './types.js';

/** More arrivals than this in one poll get one notification for them all, not a stack of them. */
const MAX_NOTICES = 3;

type AudioContextClass = new () => AudioContext;
export type Holder = { current: AudioContext | null };

/**
 * The person's own alerts for new leads while the console is open (`session.staff.alerts`, both off
 * until they turn them on in their settings): a short tone made with the Web Audio API (no file to
 * fetch), and a desktop notification that says only "New callback request (urgent)", the urgency's
 * word, never a name, phone number, route or answer, since it shows on a screen others may see.
 * Clicking it brings the console forward on that lead. Permission is never asked for here: the
 * settings page asks, after a click. Returns what to call with each poll's arrivals.
 */
export function useAlerts(session: Session, t: Copy): (leads: readonly LeadRow[]) => void {
  const latest = useRef({ session, t });
  latest.current = { session, t };
  const audio = useRef<AudioContext | null>(null);
  const sound = session.staff.alerts?.sound === true;

  // A context made without a gesture starts suspended and may stay so: with sound on, the first tap
  // or key in the console wakes it, so that the tone for a lead that arrives later can play.
  useEffect(() => {
    if (!sound) return;
    const unlock = () => {
      const context = audioContext(audio);
      if (!context || context.state === 'running') return stop();
      context.resume?.().then(stop, () => {});
    };
    const stop = () => {
      removeEventListener('pointerdown', unlock, true);
      removeEventListener('keydown', unlock, true);
    };
    addEventListener('pointerdown', unlock, true);
    addEventListener('keydown', unlock, true);
    return stop;
  }, [sound]);

  useEffect(
    () => () => {
      audio.current?.close?.().catch(() => {});
      audio.current = null;
    },
    [],
  );

  return useCallback((leads: readonly LeadRow[]) => {
    const { session: current, t: words } = latest.current;
    const alerts = current.staff.alerts;
    if (!alerts || leads.length === 0) return;
    if (alerts.sound) playTone(audio);
    if (alerts.desktop) notify(leads, words, current.staff.locale);
  }, []);
}

function audioContext(holder: Holder): AudioContext | null {
  if (holder.current) return holder.current;
  const Context =
    (globalThis as { AudioContext?: AudioContextClass }).AudioContext ??
    (globalThis as { webkitAudioContext?: AudioContextClass }).webkitAudioContext;
  if (!Context) return null;
  try {
    holder.current = new Context();
  } catch {
    return null;
  }
  return holder.current;
}

/** Two soft notes, rising, about a third of a second in all; false when this browser cannot play them. */
export function playTone(holder: Holder): boolean {
  const context = audioContext(holder);
  if (!context) return false;
  try {
    if (context.state === 'suspended') context.resume?.().catch(() => {});
    const start = context.currentTime + 0.01;
    [880, 1175].forEach((frequency, index) => {
      const at = start + index * 0.16;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.setValueAtTime(frequency, at);
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
      oscillator.connect(gain);
      gain.connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.16);
    });
    return true;
  } catch {
    // A tone that cannot play must never stop the inbox.
    return false;
  }
}

function notify(leads: readonly LeadRow[], t: Copy, lang: string) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notices =
    leads.length > MAX_NOTICES
      ? [{ title: t.newArrivals(leads.length), tag: 'intake-arrivals', href: hrefFor({ name: 'inbox', query: {} }) }]
      : leads.map((lead) => ({
          title: t.arrivalNotice(t.urgencies[lead.urgency]),
          // The same lead in two open tabs is one notification.
          tag: `intake-${lead.id}`,
          href: hrefFor({ name: 'lead', id: lead.id }),
        }));
  for (const { title, tag, href } of notices) {
    try {
      const notice = new Notification(title, { tag, lang });
      notice.onclick = () => {
        window.focus();
        location.hash = href;
        notice.close();
      };
    } catch {
      // Chrome on Android has no Notification constructor (it wants a service worker): no notification.
    }
  }
}
