import { describe, expect, it } from 'vitest';
import { BF16_LARGEST_FINITE, F16_LARGEST_FINITE, F32_LARGEST_FINITE } from '../dtype/dtype-limits';
import { decodeF8E4M3 } from '../dtype/fp8';
import { decodeBF16, decodeF16 } from '../dtype/half';
import {
  BF16_LAYOUT,
  byteOfBits,
  E4M3_MAX_MAGNITUDE,
  F16_LAYOUT,
  F32_LAYOUT,
  isE4m3Nan,
  isNonFinite,
  readBitsLE,
} from './replacement';

function f32OfBits(bits: number): number {
  return new Float32Array(Uint32Array.of(bits).buffer)[0];
}

describe('F8_E4M3', () => {
  it('NaN is exactly the codes the decoder calls NaN: 0x7F and 0xFF, never 0x80', () => {
    const nan = [];
    for (let c = 0; c < 256; c++) {
      expect(isE4m3Nan(c)).toBe(Number.isNaN(decodeF8E4M3(c)));
      if (isE4m3Nan(c)) {
        nan.push(c);
      }
    }
    expect(nan).toEqual([0x7f, 0xff]);
    expect(decodeF8E4M3(E4M3_MAX_MAGNITUDE)).toBe(448);
  });
});

describe('IEEE layouts', () => {
  it('F16 and BF16: isNonFinite agrees with the decoders on all 65536 patterns', () => {
    const disagreements: string[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if (isNonFinite(bits, F16_LAYOUT) !== !Number.isFinite(decodeF16(bits))) {
        disagreements.push(`F16 ${bits.toString(16)}`);
      }
      if (isNonFinite(bits, BF16_LAYOUT) !== !Number.isFinite(decodeBF16(bits))) {
        disagreements.push(`BF16 ${bits.toString(16)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('F32: isNonFinite agrees with Float32Array on edge patterns', () => {
    for (const bits of [
      0, 0x80000000, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffffffff, 0x7f800001,
      0x00800000,
    ]) {
      expect(isNonFinite(bits, F32_LAYOUT)).toBe(!Number.isFinite(f32OfBits(bits)));
    }
  });

  it('max bits are the largest finite values', () => {
    expect(decodeF16(F16_LAYOUT.maxFinite)).toBe(F16_LARGEST_FINITE);
    expect(decodeBF16(BF16_LAYOUT.maxFinite)).toBe(BF16_LARGEST_FINITE);
    expect(f32OfBits(F32_LAYOUT.maxFinite)).toBe(F32_LARGEST_FINITE);
  });

  it('reads little-endian elements and splits them back into bytes', () => {
    const bytes = Uint8Array.of(0x00, 0x00, 0xc0, 0xff, 0x34, 0x12);
    expect(readBitsLE(bytes, 0, 4)).toBe(0xffc00000);
    expect(readBitsLE(bytes, 4, 2)).toBe(0x1234);
    expect([0, 1, 2, 3].map((k) => byteOfBits(0xffc00000, k))).toEqual([0x00, 0x00, 0xc0, 0xff]);
  });
});
