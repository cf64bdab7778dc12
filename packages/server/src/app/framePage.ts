import { createHash } from 'node:crypto';
import type { CenterConfig } from '../config/loadConfig.js';

/** What the conversation frame needs about its center: public facts only, never secrets or alert addresses. */
export function frameSettings(center: CenterConfig) {
  return {
    center: center.id,
    name: center.name,
    phone: center.phone,
    phoneE164: center.phoneE164,
    locales: center.locales,
    // Exactly { call, callAndText }, each { version, text: { en, es } }: the frame shows the one that
    // fits the visitor's choice about texts and sends its version with the lead.
    consent: {
      call: consentText(center.consent.call),
      callAndText: consentText(center.consent.callAndText),
    },
    /** The target of each urgency, in minutes. */
    callbackTargets: center.callbackTargets,
    /** The normal target: what frames written before per-urgency targets read. */
    callbackTargetMinutes: center.callbackTargets.normal,
    // The same list as frame-ancestors: the frame talks by postMessage to these origins only.
    origins: center.allowedOrigins,
    flow: center.flow,
    /** Whether the frame sends its anonymous day counts (docs/insight.md). */
    insight: center.insight.enabled,
  };
}

function consentText({ version, text }: CenterConfig['consent']['call']) {
  return { version, text: { en: text.en, es: text.es } };
}

/**
 * The whole of a waiting frame's own script (`start=intent`). Wherever a browser does not isolate
 * sites (many phones) a frame runs on the host page's main thread, and the conversation's 100 KB would
 * cost every page view, chat or not. So this page fetches frame.js at low priority into the cache
 * (fetch, not `<link rel=prefetch>`: Safari has no prefetch, and fetch is what `connect-src 'self'`
 * already allows), says "waiting" to the page that embeds it, and runs frame.js when that page says
 * "wake" on intent. A browser that asks to save data (`Save-Data: on`) gets a page that names its
 * stylesheet in `data-style` instead of linking it: both files wait for the wake to be fetched at
 * all, the stylesheet first, so the chat is never drawn without it. It behaves the same for every
 * visitor, one with a conversation in progress included: what it says must not tell the host page
 * who has started an intake. A host the center
 * does not allow gets no message (`connectShell` checks the same). Inline, allowed by its hash.
 */
export const WAITING_SCRIPT = `(() => {
  const src = document.documentElement.dataset.script;
  const host = new URLSearchParams(location.hash.slice(1)).get('host') ?? '';
  const allowed = document.documentElement.dataset.origins.split(' ').includes(host);
  const style = document.documentElement.dataset.style;
  const start = () => {
    removeEventListener('message', wake);
    const script = document.createElement('script');
    script.src = src;
    if (!style) return document.head.append(script);
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = style;
    link.onload = link.onerror = () => document.head.append(script);
    document.head.append(link);
  };
  const wake = (event) => {
    const data = event.data;
    if (event.source === parent && event.origin === host && data?.channel === 'intake-chat' && data.type === 'wake') start();
  };
  if (parent === window || !allowed) start();
  else {
    addEventListener('message', wake);
    if (!style) fetch(src, { priority: 'low' }).then((response) => response.arrayBuffer()).catch(() => {});
    parent.postMessage({ channel: 'intake-chat', type: 'waiting' }, host);
  }
})();`;
const WAITING_HASH = `'sha256-${createHash('sha256').update(WAITING_SCRIPT).digest('base64')}'`;

/**
 * The frame's HTML with the center's settings and flow inline, so opening the chat costs one
 * round trip. JSON inside a script element cannot close it: every "<" is escaped. `waiting`: made
 * while the host page was idle, its script fetched but run only on intent (`WAITING_SCRIPT`);
 * `saveData`: the waiting page fetches neither its script nor its stylesheet before then.
 */
export function framePage(
  center: CenterConfig,
  locale: string,
  assets: { script: string; style: string },
  waiting = false,
  saveData = false,
): string {
  const settings = JSON.stringify(frameSettings(center)).replaceAll('<', '\\u003c');
  const lang = center.locales.includes(locale as never) ? locale : (center.locales[0] ?? 'en');
  const script = waiting ? `<script>${WAITING_SCRIPT}</script>` : `<script src="${assets.script}" defer></script>`;
  // The waiting script reads the versioned address of frame.js, and the origins allowed to wake it,
  // from the root element: parsing the settings' 20 KB of JSON would cost the host page's thread.
  return `<!doctype html>
<html lang="${lang}"${waiting ? ` data-script="${assets.script}" data-origins="${escapeHtml(center.allowedOrigins.join(' '))}"${saveData ? ` data-style="${assets.style}"` : ''}` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(center.name)}</title>
${saveData && waiting ? '' : `<link rel="stylesheet" href="${assets.style}">`}
<script type="application/json" id="intake-settings">${settings}</script>
${script}
</head>
<body><div id="app"></div></body>
</html>
`;
}

/** Content-Security-Policy of the frame: its own scripts, styles and API only, embeddable by the center's sites only. */
export function frameCsp(center: CenterConfig): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${WAITING_HASH}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${center.allowedOrigins.join(' ')}`,
  ].join('; ');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
