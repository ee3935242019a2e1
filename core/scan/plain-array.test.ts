import { describe, expect, it } from 'vitest';
import { plainArray, sparsePlainArray } from './plain-array';

describe('plainArray', () => {
  it('copies every value, in order, into an array of the same length', () => {
    const values = Float64Array.of(0, 2 ** 40, -0.5, Number.NaN, Infinity);
    const out = plainArray(values);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toEqual([0, 2 ** 40, -0.5, Number.NaN, Infinity]);
    expect(Object.keys(out)).toEqual(['0', '1', '2', '3', '4']); // no holes
    values[0] = 7;
    expect(out[0]).toBe(0);
    expect(plainArray(new Float64Array(0))).toEqual([]);
  });
});

describe('sparsePlainArray', () => {
  it('equals plainArray when the counts are zero outside the given bins', () => {
    const counts = new Float64Array(256);
    counts[3] = 5;
    counts[200] = 2 ** 40;
    counts[255] = 1;
    const out = sparsePlainArray(counts, [255, 3, 200]);
    expect(out).toEqual(plainArray(counts));
    expect(Object.keys(out)).toHaveLength(256); // no holes
    expect(sparsePlainArray(counts, [])).toEqual(plainArray(new Float64Array(256)));
  });
});
