import { describe, expect, it } from 'vitest';
import { plainArray } from './plain-array';

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
