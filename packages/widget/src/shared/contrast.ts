/**
 * Colours a center's accent can safely be used as (WCAG 2.2 SC 1.4.3 and 1.4.11): a fill with
 * readable text on it, and a darker shade where the accent itself is text or an outline on white.
 */
export interface AccentPalette {
  /** The accent as given, for fills (the launcher, chosen options). */
  readonly fill: string;
  /** Text on the fill: white or black, whichever reads better (always at least 4.5:1). */
  readonly onFill: string;
  /** The accent darkened until it reads as text on white at 4.5:1 or more. */
  readonly text: string;
  /** Contrast of the accent as given against white, when it was too light for text; else null. */
  readonly adjustedFrom: number | null;
}

export const DEFAULT_ACCENT = '#1b6f5c';
// Black, not a softer near-black: for mid-tone accents only pure black or white reaches 4.5:1.
const INK = '#000000';
const HEX = /^#?([0-9a-f]{6})$/i;

/** Parses "#1b6f5c" or "1b6f5c"; null for anything else. */
export function parseHex(color: string): [number, number, number] | null {
  const match = HEX.exec(color.trim());
  const hex = match?.[1];
  return hex ? ([0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]) : null;
}

export function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Text on a fill of this colour: white or black, whichever contrasts more, so always at least
 * 4.58:1. The two ratios are equal where (L + 0.05)² = 1.05 × 0.05, at a luminance L of 0.179.
 */
export function inkOn(color: string): string {
  return luminance(parseHex(color) ?? [27, 111, 92]) > 0.179 ? INK : '#ffffff';
}

export function accentPalette(color: string): AccentPalette {
  const rgb = parseHex(color) ?? (parseHex(DEFAULT_ACCENT) as [number, number, number]);
  const white: [number, number, number] = [255, 255, 255];
  const onFill = inkOn(color);
  let text = rgb;
  while (contrast(text, white) < 4.5) text = text.map((channel) => Math.floor(channel * 0.92)) as typeof rgb;
  const given = contrast(rgb, white);
  return { fill: toHex(rgb), onFill, text: toHex(text), adjustedFrom: given < 4.5 ? given : null };
}

function luminance(rgb: [number, number, number]): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}
