import { describe, expect, it } from 'vitest';
import {
  decodeF6E2M3,
  decodeF6E3M2,
  F6_E2M3_TABLE,
  F6_E3M2_TABLE,
  f6CodeAt,
  F6_GROUP_BYTES,
  F6_GROUP_ELEMENTS,
} from './fp6';

/** OCP MX FP6 from the spec text: no Inf/NaN, subnormal when E = 0. Written from bit strings. */
function specFp6(code: number, e: number, bias: number): number {
  const digits = code.toString(2).padStart(6, '0');
  const m = 5 - e;
  const sign = digits[0] === '1' ? -1 : 1;
  const exponent = parseInt(digits.slice(1, 1 + e), 2);
  const fraction = parseInt(digits.slice(1 + e), 2) / Math.pow(2, m);
  return exponent === 0
    ? sign * Math.pow(2, 1 - bias) * fraction
    : sign * Math.pow(2, exponent - bias) * (1 + fraction);
}

describe('F6_E2M3', () => {
  it('decodes all 64 codes', () => {
    expect(F6_E2M3_TABLE.length).toBe(64);
    for (let c = 0; c < 64; c++) {
      expect(Object.is(decodeF6E2M3(c), specFp6(c, 2, 1)), `code ${c}`).toBe(true);
      expect(Object.is(F6_E2M3_TABLE[c], specFp6(c, 2, 1)), `table ${c}`).toBe(true);
    }
  });

  it('has the documented edge values', () => {
    expect(decodeF6E2M3(0x01)).toBe(0.125);
    expect(decodeF6E2M3(0x08)).toBe(1);
    expect(decodeF6E2M3(0x1f)).toBe(7.5);
    expect(decodeF6E2M3(0x3f)).toBe(-7.5);
    expect(Object.is(decodeF6E2M3(0x20), -0)).toBe(true);
    expect(F6_E2M3_TABLE.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('F6_E3M2', () => {
  it('decodes all 64 codes', () => {
    expect(F6_E3M2_TABLE.length).toBe(64);
    for (let c = 0; c < 64; c++) {
      expect(Object.is(decodeF6E3M2(c), specFp6(c, 3, 3)), `code ${c}`).toBe(true);
      expect(Object.is(F6_E3M2_TABLE[c], specFp6(c, 3, 3)), `table ${c}`).toBe(true);
    }
  });

  it('has the documented edge values', () => {
    expect(decodeF6E3M2(0x01)).toBe(0.0625);
    expect(decodeF6E3M2(0x0c)).toBe(1);
    expect(decodeF6E3M2(0x1f)).toBe(28);
    expect(decodeF6E3M2(0x3f)).toBe(-28);
    expect(F6_E3M2_TABLE.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('F6 packing', () => {
  it('puts element i of a group at bits 6i..6i+5 of the little-endian 24-bit word', () => {
    expect([F6_GROUP_ELEMENTS, F6_GROUP_BYTES]).toEqual([4, 3]);
    const codes = [0x01, 0x22, 0x3f, 0x15, 0x2a, 0x00, 0x3e, 0x07];
    // Pack by hand: word = c0 + c1*64 + c2*64^2 + c3*64^3, bytes little-endian.
    const bytes = new Uint8Array(6);
    for (let g = 0; g < 2; g++) {
      const c = codes.slice(4 * g, 4 * g + 4);
      const word = c[0] + c[1] * 64 + c[2] * 4096 + c[3] * 262144;
      bytes[3 * g] = word % 256;
      bytes[3 * g + 1] = Math.floor(word / 256) % 256;
      bytes[3 * g + 2] = Math.floor(word / 65536);
    }
    expect(codes.map((_, i) => f6CodeAt(bytes, i))).toEqual(codes);
    // Element 0 is the low six bits of byte 0.
    expect(f6CodeAt(new Uint8Array([0xc5, 0, 0]), 0)).toBe(0x05);
  });
});
