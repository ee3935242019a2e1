import { describe, expect, it } from 'vitest';
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
