import { describe, expect, it } from 'vitest';
import { exponentOf, pow2 } from './pow2';

/** 2^n by repeated doubling/halving from 1: exact for every n a double can represent. */
function byRepetition(n: number): number {
  let v = 1;
  for (let i = 0; i < Math.abs(n); i++) {
    v = n > 0 ? v * 2 : v / 2;
  }
  return v;
}

describe('pow2', () => {
  it('is exact over the whole double range, subnormals included', () => {
    for (let n = -1080; n <= 1030; n++) {
      expect(pow2(n), `2^${n}`).toBe(byRepetition(n));
    }
    expect(pow2(-1074)).toBe(Number.MIN_VALUE);
    expect(pow2(1024)).toBe(Infinity);
    expect(pow2(-1075)).toBe(0);
  });

  it('rejects fractional exponents', () => {
    expect(() => pow2(0.5)).toThrow(RangeError);
  });
});

describe('exponentOf', () => {
  it('is floor(log2|v|) for normal and subnormal doubles of either sign', () => {
    for (let n = -1074; n <= 1023; n += 7) {
      const p = byRepetition(n);
      expect(exponentOf(p), `2^${n}`).toBe(n);
      expect(exponentOf(-p)).toBe(n);
      if (n < 1023 && n >= -1072) {
        expect(exponentOf(p * 1.75)).toBe(n);
      }
    }
    expect(exponentOf(Number.MAX_VALUE)).toBe(1023);
    expect(exponentOf(0.75)).toBe(-1);
    expect(exponentOf(3 * Number.MIN_VALUE)).toBe(-1073);
  });
});
