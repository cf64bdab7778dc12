import { DEFAULT_ACCENT, parseHex } from '../shared/contrast.js';
import { warn } from './warn.js';

/** How one `<intake-chat>` looks and where its conversation comes from (docs/architecture.md, embedding contract). */
export interface WidgetOptions {
  readonly center: string;
  /** The widget's own origin: where widget.js came from, which serves the frame and takes leads. */
  readonly origin: string;
  readonly locale: 'en' | 'es';
  readonly position: 'left' | 'right';
  readonly offsetX: number;
  readonly offsetY: number;
  /** From the bottom on narrow screens (480 px wide or less); the same as offsetY unless given. */
  readonly mobileOffsetY: number;
  readonly zIndex: number;
  readonly accent: string;
  /** Open by itself after this many milliseconds; null (the default) never opens unasked. */
  readonly openAfter: number | null;
  /** False with `data-insight="off"`: neither the launcher nor the chat counts anything (docs/insight.md). */
  readonly insight: boolean;
  /**
   * When the chat's frame is made (docs/performance.md): `intent` (the default), on a hover, a focus
   * or a tap of the launcher, so a page view that never reaches for the chat costs the page no frame;
   * `idle`, while the page is idle, its files fetched and not run, so a first opening finds them cached.
   */
  readonly preload: 'intent' | 'idle';
}

/** Option names: `data-<name>` on the script tag, `<name>` on a page-placed `<intake-chat>`. */
export type OptionName =
  | 'center'
  | 'locale'
  | 'position'
  | 'offset-x'
  | 'offset-y'
  | 'mobile-offset-y'
  | 'z-index'
  | 'accent'
  | 'open-after'
  | 'insight'
  | 'preload';

/** Above ordinary page content, below the very top layers a cookie banner may use; `data-z-index` moves it. */
export const DEFAULT_Z_INDEX = 2147483000;
const MAX_Z = 2147483647;

/**
 * Reads the options, each from the element first, then the script tag. A bad value never stops the
 * launcher: it falls back to the default with a console warning that says what to write instead.
 * Only a missing or malformed center is fatal (null, with an error in the console): leads could go nowhere.
 */
export function readOptions(
  get: (name: OptionName) => string | null,
  page: { readonly lang: string; readonly scriptSrc: string | null },
): WidgetOptions | null {
  const center = get('center')?.trim() ?? '';
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(center)) {
    warn(`data-center="${center}" must be your center's id from the intake-chat config, like "riverbend".`, 'error');
    return null;
  }
  let origin: string;
  try {
    origin = new URL(page.scriptSrc ?? '').origin;
  } catch {
    warn('load widget.js with <script src="https://…/widget.js">.', 'error');
    return null;
  }

  /** The option's value if `parse` accepts it; else the fallback, with a warning saying what to write. */
  const option = <T>(name: OptionName, expected: string, fallback: T, parse: (raw: string) => T | undefined): T => {
    const raw = get(name)?.trim();
    if (!raw) return fallback;
    const value = parse(raw.toLowerCase());
    if (value !== undefined) return value;
    warn(`data-${name}="${raw}" should be ${expected}; using ${fallback}.`);
    return fallback;
  };
  const whole = (min: number, max: number) => (raw: string) => {
    const value = Number(raw.replace(/px$/, ''));
    return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
  };
  const pageLocale = page.lang.toLowerCase().startsWith('es') ? 'es' : 'en';
  const offsetY = option('offset-y', '0 to 2000 (pixels)', 20, whole(0, 2000));

  return {
    center,
    origin,
    locale: option('locale', '"en" or "es"', pageLocale, (raw) =>
      /^(en|es)\b/.test(raw) ? (raw.slice(0, 2) as 'en' | 'es') : undefined,
    ),
    position: option('position', '"left" or "right"', 'right', (raw) =>
      raw === 'left' || raw === 'right' ? raw : undefined,
    ),
    offsetX: option('offset-x', '0 to 2000 (pixels)', 20, whole(0, 2000)),
    offsetY,
    mobileOffsetY: option('mobile-offset-y', '0 to 2000 (pixels)', offsetY, whole(0, 2000)),
    zIndex: option('z-index', 'a whole number', DEFAULT_Z_INDEX, whole(-MAX_Z, MAX_Z)),
    accent: option('accent', 'a 6-digit hex colour like #1b6f5c', DEFAULT_ACCENT, (raw) =>
      parseHex(raw) ? (raw.startsWith('#') ? raw : `#${raw}`) : undefined,
    ),
    openAfter: option('open-after', '0 to 600000 (ms)', null, whole(0, 600_000)),
    // Any value but "off" counts: a typo must not turn off what the center relies on, nor warn for it.
    insight: get('insight')?.trim().toLowerCase() !== 'off',
    preload: option('preload', '"intent" or "idle"', 'intent', (raw) =>
      raw === 'intent' || raw === 'idle' ? raw : undefined,
    ),
  };
}
