import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentOf } from '../../dtype/pow2';
import { ExponentBins } from './exponent-bins';

describe('ExponentBins', () => {
  it('bins magnitudes by floor(log2), trimmed to the occupied range', () => {
    const bins = new ExponentBins();
    for (const v of [1, 1.5, 2, -3, 0.25, 0, NaN, Infinity, -Infinity]) {
      bins.add(v);
    }
    bins.add(448, 3);
    expect(bins.finish()).toEqual({
      minExponent: -2,
      // 0.25 -> -2; 1, 1.5 -> 0; 2, -3 -> 1; 448 -> 8
      counts: [1, 0, 2, 2, 0, 0, 0, 0, 0, 0, 3],
      zero: 1,
      negative: 1,
      nan: 1,
      inf: 2,
    });
  });

  it('is empty when nothing finite and non-zero was added', () => {
    const bins = new ExponentBins();
    bins.add(0);
    expect(bins.finish()).toMatchObject({ minExponent: 0, counts: [], zero: 1 });
  });

  it('handles subnormal doubles and the E8M0 extremes', () => {
    const bins = new ExponentBins();
    bins.add(2 ** -127);
    bins.add(2 ** 127);
    bins.add(Number.MIN_VALUE);
    const h = bins.finish();
    expect(h.minExponent).toBe(-1074);
    expect(h.counts[-127 + 1074]).toBe(1);
    expect(h.counts[127 + 1074]).toBe(1);
  });
});

describe('ExponentBins growing over the occupied range', () => {
  it('gives the histogram of one bin per exponent, whatever order the values come in', () => {
    const value = fc.oneof(
      fc.double(),
      fc.constantFrom(0, -0, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -127),
      fc.integer({ min: -40, max: 40 }).map((e) => 2 ** e * 1.5),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.integer({ min: 1, max: 3 })), { maxLength: 60 }),
        (adds) => {
          const bins = new ExponentBins();
          const byExponent = new Map<number, number>();
          const expected = { zero: 0, negative: 0, nan: 0, inf: 0 };
          for (const [v, times] of adds) {
            bins.add(v, times);
            if (Number.isNaN(v)) {
              expected.nan += times;
            } else if (!Number.isFinite(v)) {
              expected.inf += times;
            } else if (v === 0) {
              expected.zero += times;
            } else {
              expected.negative += v < 0 ? times : 0;
              const e = exponentOf(v);
              byExponent.set(e, (byExponent.get(e) ?? 0) + times);
            }
          }
          const exponents = [...byExponent.keys()];
          const lo = exponents.length === 0 ? 0 : Math.min(...exponents);
          const hi = exponents.length === 0 ? -1 : Math.max(...exponents);
          const counts = Array.from({ length: hi - lo + 1 }, (_, i) => byExponent.get(lo + i) ?? 0);
          expect(bins.finish()).toEqual({ minExponent: lo, counts, ...expected });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
