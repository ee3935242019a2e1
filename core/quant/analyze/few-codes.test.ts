import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedByteHistogram } from '../../scan/shared-byte-histograms';
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

describe('sharedHistogram and the scan', () => {
  it('is the very array the scan gives a tiny tensor with the same byte counts', () => {
    const bytes = Uint8Array.of(0x38, 0x30, 0x38);
    const counts = new Float64Array(256);
    counts[0x30] = 1;
    counts[0x38] = 2;
    expect(sharedHistogram(fewCodes(bytes))).toBe(sharedByteHistogram(counts, [0x30, 0x38]).counts);
    // The scratch it filled is clean again: other counts give another array.
    expect(sharedHistogram(fewCodes(Uint8Array.of(0x30)))).toEqual(
      Array.from({ length: 256 }, (_, c) => (c === 0x30 ? 1 : 0)),
    );
  });
});
