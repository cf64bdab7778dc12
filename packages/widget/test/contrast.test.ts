import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accentPalette, contrast, parseHex } from '../src/shared/contrast.js';

const rgb = (hex: string) => parseHex(hex) as [number, number, number];
const WHITE = rgb('#ffffff');

describe("a center's accent colour", () => {
  it('always yields text that reads at 4.5:1 or more, on the accent and on white (WCAG 2.2 SC 1.4.3)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (value) => {
        const accent = `#${value.toString(16).padStart(6, '0')}`;
        const palette = accentPalette(accent);
        expect(contrast(rgb(palette.onFill), rgb(palette.fill))).toBeGreaterThanOrEqual(4.5);
        expect(contrast(rgb(palette.text), WHITE)).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an accent that already reads well, and darkens one that does not, saying by how much', () => {
    expect(accentPalette('#1b6f5c')).toMatchObject({ text: '#1b6f5c', adjustedFrom: null });
    const light = accentPalette('#7fd1b9');
    expect(light.text).not.toBe('#7fd1b9');
    expect(light.adjustedFrom).toBeCloseTo(1.8, 1);
  });
});
