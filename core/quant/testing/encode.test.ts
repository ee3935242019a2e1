import { describe, expect, it } from 'vitest';
import { decodeBF16, decodeF16 } from '../../dtype/half';
import { F4_TABLE } from '../../dtype/fp4';
import { F8_E4M3_TABLE, F8_E8M0_TABLE } from '../../dtype/fp8';
import {
  bf16Bits,
  encodeE2M1,
  encodeE4M3,
  encodeE4M3Signed,
  encodeE8M0Ceil,
  f16Bits,
  prng,
} from './encode';

describe('fixture encoders invert the decoders', () => {
  it('E4M3: nearest finite code, saturating at 448', () => {
    expect(encodeE4M3(1)).toBe(0x38);
    expect(encodeE4M3(448)).toBe(0x7e);
    expect(encodeE4M3(1e6)).toBe(0x7e);
    expect(encodeE4M3(2 ** -9)).toBe(0x01);
    expect(encodeE4M3Signed(-2)).toBe(0xc0);
    for (let c = 0; c < 0x7f; c++) {
      expect(encodeE4M3(F8_E4M3_TABLE[c])).toBe(c);
    }
  });
  it('E2M1 and E8M0', () => {
    for (let c = 1; c < 16; c++) {
      if (c !== 8) {
        expect(encodeE2M1(F4_TABLE[c])).toBe(c);
      }
    }
    expect(encodeE2M1(-0)).toBe(0);
    expect(encodeE2M1(5.5)).toBe(7);
    expect(F8_E8M0_TABLE[encodeE8M0Ceil(3)]).toBe(4);
    expect(F8_E8M0_TABLE[encodeE8M0Ceil(4)]).toBe(4);
    expect(encodeE8M0Ceil(0)).toBe(0);
  });
  it('F16 / BF16 bits round-trip ordinary values', () => {
    for (const v of [1, -2.5, 0.1, 65504, 1e-6, 0]) {
      expect(decodeF16(f16Bits(v))).toBeCloseTo(v, 3);
      expect(Math.abs(decodeBF16(bf16Bits(v)) - v)).toBeLessThanOrEqual(Math.abs(v) / 128);
    }
    expect(decodeF16(f16Bits(1e6))).toBe(Infinity);
  });
  it('the PRNG is deterministic', () => {
    const a = prng(7);
    const b = prng(7);
    expect([a(), a()]).toEqual([b(), b()]);
  });
});
