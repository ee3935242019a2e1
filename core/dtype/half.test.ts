import { describe, expect, it } from 'vitest';
import { decodeBF16, decodeF16 } from './half';

describe('F16', () => {
  it('has the IEEE binary16 edge values', () => {
    expect(decodeF16(0x0001)).toBe(5.960464477539063e-8); // 2^-24
    expect(decodeF16(0x03ff)).toBe(6.097555160522461e-5); // largest subnormal
    expect(decodeF16(0x0400)).toBe(6.103515625e-5); // 2^-14
    expect(decodeF16(0x3c00)).toBe(1);
    expect(decodeF16(0xc000)).toBe(-2);
    expect(decodeF16(0x3555)).toBe(0.333251953125);
    expect(decodeF16(0x7bff)).toBe(65504);
    expect(decodeF16(0xfbff)).toBe(-65504);
    expect(decodeF16(0x7c00)).toBe(Infinity);
    expect(decodeF16(0xfc00)).toBe(-Infinity);
    expect(decodeF16(0x7c01)).toBeNaN();
    expect(decodeF16(0x7e00)).toBeNaN();
    expect(decodeF16(0xffff)).toBeNaN();
    expect(Object.is(decodeF16(0x8000), -0)).toBe(true);
    expect(Object.is(decodeF16(0x0000), 0)).toBe(true);
  });

  it('agrees with a rebias into binary32 bits for all 65536 codes', () => {
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    for (let h = 0; h < 0x10000; h++) {
      const sign = (h & 0x8000) << 16;
      const e = (h >> 10) & 0x1f;
      const m = h & 0x3ff;
      let expected: number;
      if (e === 0x1f) {
        u32[0] = sign | 0x7f800000 | (m << 13);
        expected = f32[0];
      } else if (e === 0) {
        expected = (sign ? -1 : 1) * m * 2 ** -24; // subnormals: m units of 2^-24
      } else {
        u32[0] = sign | ((e - 15 + 127) << 23) | (m << 13);
        expected = f32[0];
      }
      const actual = decodeF16(h);
      if (Number.isNaN(expected)) {
        expect(actual).toBeNaN();
      } else if (!Object.is(actual, expected)) {
        expect.fail(`0x${h.toString(16)}: ${actual} vs ${expected}`);
      }
    }
  });
});

describe('BF16', () => {
  it('agrees with Float32Array reinterpretation for all 65536 codes', () => {
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    for (let b = 0; b < 0x10000; b++) {
      u32[0] = b << 16;
      const expected = f32[0];
      const actual = decodeBF16(b);
      if (Number.isNaN(expected)) {
        expect(actual).toBeNaN();
      } else if (!Object.is(actual, expected)) {
        expect.fail(`0x${b.toString(16)}: ${actual} vs ${expected}`);
      }
    }
  });

  it('has the edge values', () => {
    expect(decodeBF16(0x3f80)).toBe(1);
    expect(decodeBF16(0x0001)).toBe(2 ** -133);
    expect(decodeBF16(0x7f7f)).toBe(3.3895313892515355e38);
    expect(decodeBF16(0x7f80)).toBe(Infinity);
    expect(decodeBF16(0xff80)).toBe(-Infinity);
    expect(decodeBF16(0x7fc0)).toBeNaN();
    expect(Object.is(decodeBF16(0x8000), -0)).toBe(true);
  });
});
