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
 * The frame's HTML with the center's settings and flow inline, so opening the chat costs one
 * round trip. JSON inside a script element cannot close it: every "<" is escaped.
 */
export function framePage(center: CenterConfig, locale: string, assets: { script: string; style: string }): string {
  const settings = JSON.stringify(frameSettings(center)).replaceAll('<', '\\u003c');
  const lang = center.locales.includes(locale as never) ? locale : (center.locales[0] ?? 'en');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(center.name)}</title>
<link rel="stylesheet" href="${assets.style}">
<script type="application/json" id="intake-settings">${settings}</script>
<script src="${assets.script}" defer></script>
</head>
<body><div id="app"></div></body>
</html>
`;
}

/** Content-Security-Policy of the frame: its own scripts, styles and API only, embeddable by the center's sites only. */
export function frameCsp(center: CenterConfig): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
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
