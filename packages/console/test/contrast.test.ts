import { describe, expect, it } from 'vitest';

// Reads the stylesheet that ships (src/console.css is bundled as is into dist/console.css) and checks
// its colour pairs against WCAG 2.2: 4.5:1 for text (SC 1.4.3), 3:1 for the edges of controls (SC 1.4.11).
// The console's tsconfig leaves Node's types out on purpose (it is browser code), so the one file
// this test reads is read through an untyped import. Vitest runs it in Node either way.
const fs = 'node:fs';
const { readFileSync } = (await import(/* @vite-ignore */ fs)) as {
  readFileSync: (path: string, encoding: 'utf8') => string;
};
const here = import.meta.url;
const css = readFileSync(new URL('../src/console.css', here).pathname, 'utf8');
const colours = new Map(
  [...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{3,6})\s*;/gi)].map(([, name, value]) => [name ?? '', value ?? '']),
);

function colour(name: string): [number, number, number] {
  const value = colours.get(name);
  if (!value) throw new Error(`console.css has no --${name}`);
  const hex = value.length === 4 ? [...value.slice(1)].map((digit) => digit + digit).join('') : value.slice(1);
  return [0, 2, 4].map((index) => Number.parseInt(hex.slice(index, index + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const [lr, lg, lb] = [r, g, b].map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(colour(a)), luminance(colour(b))].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('the console palette', () => {
  it('gives every badge, banner and flag text 4.5:1 on its own background', () => {
    const pairs = [...colours.keys()].filter((name) => name.endsWith('-bg')).map((bg) => bg.replace(/-bg$/, ''));
    expect(pairs.length).toBeGreaterThan(10);
    for (const name of pairs) {
      expect(contrast(`${name}-ink`, `${name}-bg`), name).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps body text, links and buttons at 4.5:1 on the page and on hover', () => {
    for (const ink of ['ink', 'muted', 'accent-text', 'danger-ink', 'new-ink']) {
      expect(contrast(ink, 'page-bg'), ink).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast('muted', 'soft')).toBeGreaterThanOrEqual(4.5);
    expect(contrast('accent-text', 'soft')).toBeGreaterThanOrEqual(4.5);
    expect(contrast('on-accent', 'accent')).toBeGreaterThanOrEqual(4.5);
  });

  it('draws field and card edges at 3:1 or more', () => {
    expect(contrast('line', 'page-bg')).toBeGreaterThanOrEqual(3);
  });
});
