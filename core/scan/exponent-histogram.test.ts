import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeBits } from '../dtype/dtype';
import { ExponentCounts, exponentRange } from './exponent-histogram';

describe('exponentRange', () => {
  it('spans smallest subnormal to largest finite for floats, 0..bits-1 for integers', () => {
    expect(exponentRange('F16')).toEqual({ minExponent: -24, bins: 40 });
    expect(exponentRange('BF16')).toEqual({ minExponent: -133, bins: 261 });
    expect(exponentRange('F32')).toEqual({ minExponent: -149, bins: 277 });
    expect(exponentRange('C64')).toEqual({ minExponent: -149, bins: 277 });
    expect(exponentRange('F64')).toEqual({ minExponent: -1074, bins: 2098 });
    expect(exponentRange('I32')).toEqual({ minExponent: 0, bins: 32 });
    expect(exponentRange('U64')).toEqual({ minExponent: 0, bins: 64 });
  });

  it('is null exactly for code-histogram dtypes', () => {
    for (const d of DTYPES) {
      expect(exponentRange(d) === null, d).toBe(dtypeBits(d) <= 8);
    }
  });
});

describe('ExponentCounts', () => {
  it('fills sign-split bins offset by minExponent', () => {
    const x = new ExponentCounts({ minExponent: -2, bins: 4 });
    x.add(-2, false, 3);
    x.add(1, true, 2);
    x.nan = 1;
    expect(x.toHistogram()).toEqual({
      kind: 'exponent',
      minExponent: -2,
      positive: [3, 0, 0, 0],
      negative: [0, 0, 0, 2],
      zero: 0,
      nan: 1,
      posInf: 0,
      negInf: 0,
    });
  });
});
