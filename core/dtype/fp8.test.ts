import { describe, expect, it } from 'vitest';
import {
  decodeF8E4M3,
  decodeF8E4M3Fnuz,
  decodeF8E5M2,
  decodeF8E5M2Fnuz,
  decodeF8E8M0,
  F8_E4M3_TABLE,
  F8_E4M3FNUZ_TABLE,
  F8_E5M2_TABLE,
  F8_E5M2FNUZ_TABLE,
  F8_E8M0_TABLE,
} from './fp8';

/**
 * The spec, re-derived independently of the implementation: split the code's binary string into
 * sign, exponent and mantissa digits and apply the textbook formula with Math.pow.
 */
function specValue(code: number, e: number, m: number, bias: number): number {
  const digits = code.toString(2).padStart(8, '0');
  const sign = digits[0] === '1' ? -1 : 1;
  const exponent = parseInt(digits.slice(1, 1 + e), 2);
  const mantissa = parseInt(digits.slice(1 + e), 2) / Math.pow(2, m);
  if (exponent === 0) {
    return sign * Math.pow(2, 1 - bias) * mantissa;
  }
  return sign * Math.pow(2, exponent - bias) * (1 + mantissa);
}

const CODES = Array.from({ length: 256 }, (_, c) => c);

function expectSame(actual: number, expected: number, code: number): void {
  if (Number.isNaN(expected)) {
    expect(Number.isNaN(actual), `code 0x${code.toString(16)}`).toBe(true);
  } else {
    expect(
      Object.is(actual, expected),
      `code 0x${code.toString(16)}: ${actual} vs ${expected}`,
    ).toBe(true);
  }
}

function checkAll(
  decode: (c: number) => number,
  table: Float64Array,
  expected: (c: number) => number,
): void {
  expect(table.length).toBe(256);
  for (const c of CODES) {
    expectSame(decode(c), expected(c), c);
    expectSame(table[c], expected(c), c);
  }
}

describe('F8_E4M3 (float8_e4m3fn)', () => {
  const expected = (c: number): number => ((c & 0x7f) === 0x7f ? NaN : specValue(c, 4, 3, 7));

  it('matches the spec for all 256 codes', () => {
    checkAll(decodeF8E4M3, F8_E4M3_TABLE, expected);
  });

  it('has the documented edge values', () => {
    expect(decodeF8E4M3(0x01)).toBe(0.001953125); // 2^-9, smallest subnormal
    expect(decodeF8E4M3(0x07)).toBe(0.013671875); // largest subnormal 7 * 2^-9
    expect(decodeF8E4M3(0x08)).toBe(0.015625); // 2^-6, smallest normal
    expect(decodeF8E4M3(0x38)).toBe(1);
    expect(decodeF8E4M3(0x77)).toBe(240);
    expect(decodeF8E4M3(0x78)).toBe(256); // E=15 is finite
    expect(decodeF8E4M3(0x7e)).toBe(448);
    expect(decodeF8E4M3(0xfe)).toBe(-448);
    expect(decodeF8E4M3(0x7f)).toBeNaN();
    expect(decodeF8E4M3(0xff)).toBeNaN();
    expect(Object.is(decodeF8E4M3(0x00), 0)).toBe(true);
    expect(Object.is(decodeF8E4M3(0x80), -0)).toBe(true);
    expect(CODES.filter((c) => Number.isNaN(decodeF8E4M3(c)))).toEqual([0x7f, 0xff]);
    expect(
      CODES.some((c) => !Number.isFinite(decodeF8E4M3(c)) && !Number.isNaN(decodeF8E4M3(c))),
    ).toBe(false);
  });
});

describe('F8_E5M2', () => {
  const expected = (c: number): number => {
    const magnitude = c & 0x7f;
    if (magnitude === 0x7c) {
      return c & 0x80 ? -Infinity : Infinity;
    }
    return magnitude > 0x7c ? NaN : specValue(c, 5, 2, 15);
  };

  it('matches the spec for all 256 codes', () => {
    checkAll(decodeF8E5M2, F8_E5M2_TABLE, expected);
  });

  it('has the documented edge values', () => {
    expect(decodeF8E5M2(0x01)).toBe(1.52587890625e-5); // 2^-16
    expect(decodeF8E5M2(0x04)).toBe(6.103515625e-5); // 2^-14, smallest normal
    expect(decodeF8E5M2(0x3c)).toBe(1);
    expect(decodeF8E5M2(0x7b)).toBe(57344);
    expect(decodeF8E5M2(0xfb)).toBe(-57344);
    expect(decodeF8E5M2(0x7c)).toBe(Infinity);
    expect(decodeF8E5M2(0xfc)).toBe(-Infinity);
    for (const c of [0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]) {
      expect(decodeF8E5M2(c)).toBeNaN();
    }
    expect(Object.is(decodeF8E5M2(0x80), -0)).toBe(true);
  });
});

describe('F8_E4M3FNUZ', () => {
  const expected = (c: number): number => (c === 0x80 ? NaN : specValue(c, 4, 3, 8));

  it('matches the spec for all 256 codes', () => {
    checkAll(decodeF8E4M3Fnuz, F8_E4M3FNUZ_TABLE, expected);
  });

  it('has the documented edge values', () => {
    expect(decodeF8E4M3Fnuz(0x80)).toBeNaN();
    expect(CODES.filter((c) => Number.isNaN(decodeF8E4M3Fnuz(c)))).toEqual([0x80]);
    expect(decodeF8E4M3Fnuz(0x7f)).toBe(240);
    expect(decodeF8E4M3Fnuz(0xff)).toBe(-240);
    expect(decodeF8E4M3Fnuz(0x40)).toBe(1);
    expect(decodeF8E4M3Fnuz(0x01)).toBe(0.0009765625); // 2^-10
    expect(Object.is(decodeF8E4M3Fnuz(0x00), 0)).toBe(true);
    expect(CODES.some((c) => Object.is(decodeF8E4M3Fnuz(c), -0))).toBe(false);
    expect(CODES.some((c) => Math.abs(decodeF8E4M3Fnuz(c)) === Infinity)).toBe(false);
  });
});

describe('F8_E5M2FNUZ', () => {
  const expected = (c: number): number => (c === 0x80 ? NaN : specValue(c, 5, 2, 16));

  it('matches the spec for all 256 codes', () => {
    checkAll(decodeF8E5M2Fnuz, F8_E5M2FNUZ_TABLE, expected);
  });

  it('has the documented edge values', () => {
    expect(CODES.filter((c) => Number.isNaN(decodeF8E5M2Fnuz(c)))).toEqual([0x80]);
    expect(decodeF8E5M2Fnuz(0x7f)).toBe(57344);
    expect(decodeF8E5M2Fnuz(0xff)).toBe(-57344);
    expect(decodeF8E5M2Fnuz(0x40)).toBe(1);
    expect(decodeF8E5M2Fnuz(0x01)).toBe(7.62939453125e-6); // 2^-17
    expect(CODES.some((c) => Object.is(decodeF8E5M2Fnuz(c), -0))).toBe(false);
    expect(CODES.some((c) => Math.abs(decodeF8E5M2Fnuz(c)) === Infinity)).toBe(false);
  });
});

describe('F8_E8M0 (float8_e8m0fnu)', () => {
  const expected = (c: number): number => (c === 0xff ? NaN : Math.pow(2, c - 127));

  it('matches the spec for all 256 codes', () => {
    checkAll(decodeF8E8M0, F8_E8M0_TABLE, expected);
  });

  it('has the documented edge values', () => {
    expect(decodeF8E8M0(0x7f)).toBe(1);
    expect(decodeF8E8M0(0x80)).toBe(2);
    expect(decodeF8E8M0(0x00)).toBe(5.877471754111438e-39); // 2^-127, not zero
    expect(decodeF8E8M0(0xfe)).toBe(1.7014118346046923e38); // 2^127
    expect(decodeF8E8M0(0xff)).toBeNaN();
    expect(CODES.every((c) => c === 0xff || decodeF8E8M0(c) > 0)).toBe(true);
  });
});
