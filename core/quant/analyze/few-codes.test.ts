import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEW_CODES_ELEMENTS, fewCodes, sharedHistogram } from './few-codes';

describe('fewCodes', () => {
  it('gives the distinct bytes ascending with their counts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: FEW_CODES_ELEMENTS }), (bytes) => {
        const expected = new Map<number, number>();
        for (const b of [...bytes].sort((x, y) => x - y)) {
          expected.set(b, (expected.get(b) ?? 0) + 1);
        }
        const few = fewCodes(bytes);
        const got = Array.from({ length: few.runs }, (_, r) => [few.codes[r], few.counts[r]]);
        expect(got).toEqual([...expected]);
      }),
    );
  });

  it('refuses more bytes than it sorts', () => {
    expect(() => fewCodes(new Uint8Array(FEW_CODES_ELEMENTS + 1))).toThrow(RangeError);
  });
});

describe('sharedHistogram', () => {
  it('is the 256-bin histogram of the bytes, one frozen array for equal histograms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: FEW_CODES_ELEMENTS }), (bytes) => {
        const expected = new Array<number>(256).fill(0);
        for (const b of bytes) {
          expected[b]++;
        }
        const first = sharedHistogram(fewCodes(bytes));
        expect(first).toEqual(expected);
        expect(Object.isFrozen(first)).toBe(true);
        // The same bytes in another order: the same array.
        expect(sharedHistogram(fewCodes(bytes.slice().reverse()))).toBe(first);
      }),
      { numRuns: 200 },
    );
  });
});
