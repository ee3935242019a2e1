import { describe, expect, it } from 'vitest';
import { BadValueTracker } from './bad-values';
import { assembleStats, emptySummary, momentsFromSums } from './value-summary';

describe('momentsFromSums', () => {
  it('takes the mean from the plain sum and the variance from shifted sums', () => {
    // values 10, 12, 14 with shift 10: shifted 0, 2, 4
    expect(momentsFromSums(3, 36, 6, 20)).toEqual({ mean: 12, std: Math.sqrt(8 / 3) });
    expect(momentsFromSums(0, 0, 0, 0)).toEqual({ mean: null, std: null });
  });

  it('never reports a negative variance from rounding', () => {
    expect(momentsFromSums(2, 2, 1e-17, 0).std).toBe(0);
  });
});

describe('assembleStats', () => {
  it('derives absmax and reports -0 as 0', () => {
    const s = emptySummary();
    s.min = -0;
    s.max = -0;
    s.mean = -0;
    const tensor = {
      name: 'x',
      dtype: 'F32',
      shape: [1],
      offset: 0,
      nbytes: 4,
      elements: 1,
    } as const;
    const h = { kind: 'codes', bits: 8, counts: [] } as const;
    const stats = assembleStats(tensor, true, s, h, new BadValueTracker([1]));
    expect(Object.is(stats.min, 0)).toBe(true);
    expect(Object.is(stats.mean, 0)).toBe(true);
    expect(stats.absmax).toBe(0);
    expect(stats.densityMap).toBeNull();
  });
});
