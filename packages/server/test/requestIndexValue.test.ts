import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/leads/requestIndexValue.js';

/** How request hashes were taken before: every hash already stored was made from this text. */
const asBefore = (value: unknown) =>
  JSON.stringify(value, (_name, inner) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

describe('the text a request hash is taken of', () => {
  it('is the same as before for any JSON, so a retry of a lead stored earlier still matches', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(asBefore(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('is the same as before for keys that look like numbers, left-out values and nested lists', () => {
    const keys = fc.constantFrom('0', '7', '12', '01', '-1', '4294967295', '1e3', 'a', 'B', '', 'é', '__proto__');
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(undefined, null, true, 0, -0, 1.5, 'x'),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(keys, tie('node'), { maxKeys: 6 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(keys, value), (object) => {
        expect(canonicalJson(object)).toBe(asBefore(object));
      }),
      { numRuns: 2_000 },
    );
  });

  it('does not depend on the order the fields were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 3, e: 4 }], c: 5 } })).toBe(
      canonicalJson({ a: { c: 5, d: [2, { e: 4, f: 3 }] }, b: 1 }),
    );
  });
});
