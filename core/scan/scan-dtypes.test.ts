/**
 * One small hand-made tensor per dtype, with the expected stats written out by hand (counts,
 * extremes, histograms) or computed here from the plain value list (mean, std).
 */
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import { buildSafetensors } from '../format/build-safetensors';
import type { TensorInfo } from '../format/tensor-info';
import { memorySource } from '../io/byte-source';
import { scanTensor } from './scan-tensor';
import type { TensorStats } from './tensor-stats';

async function scanOne(
  dtype: Dtype,
  shape: number[],
  data: Uint8Array,
  chunkBytes?: number,
): Promise<TensorStats> {
  const file = buildSafetensors([{ name: 't', dtype, shape, data }]);
  const offset = 8 + Number(new DataView(file.buffer).getBigUint64(0, true));
  const elements = shape.reduce((a, b) => a * b, 1);
  const info: TensorInfo = { name: 't', dtype, shape, offset, nbytes: data.length, elements };
  return scanTensor(memorySource('f.safetensors', file), info, { chunkBytes });
}

/** Population mean and std of plain numbers, two-pass. */
function moments(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Mean and std agree to 1e-12 of the data's scale (double rounding differs with sum order). */
function expectMoments(s: TensorStats, finite: number[]): void {
  const m = moments(finite);
  const scale = Math.max(...finite.map(Math.abs));
  expect(Math.abs((s.mean ?? NaN) - m.mean)).toBeLessThanOrEqual(1e-12 * scale);
  expect(Math.abs((s.std ?? NaN) - m.std)).toBeLessThanOrEqual(1e-12 * scale);
}

/** An exponent histogram with `entries` = [exponent, 'pos' | 'neg', count]. */
function expHistogram(
  minExponent: number,
  bins: number,
  entries: [number, 'pos' | 'neg', number][],
  rest: { zero?: number; nan?: number; posInf?: number; negInf?: number } = {},
): TensorStats['histogram'] {
  const positive = new Array<number>(bins).fill(0);
  const negative = new Array<number>(bins).fill(0);
  for (const [e, sign, n] of entries) {
    (sign === 'pos' ? positive : negative)[e - minExponent] += n;
  }
  return {
    kind: 'exponent',
    minExponent,
    positive,
    negative,
    zero: rest.zero ?? 0,
    nan: rest.nan ?? 0,
    posInf: rest.posInf ?? 0,
    negInf: rest.negInf ?? 0,
  };
}

function codeHistogram(bits: 4 | 6 | 8, codes: number[]): TensorStats['histogram'] {
  const counts = new Array<number>(2 ** bits).fill(0);
  for (const c of codes) {
    counts[c]++;
  }
  return { kind: 'codes', bits, counts };
}

const f32 = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);
const f64 = (values: number[]): Uint8Array => new Uint8Array(Float64Array.from(values).buffer);
const u16 = (values: number[]): Uint8Array => new Uint8Array(Uint16Array.from(values).buffer);
const i32 = (values: number[]): Uint8Array => new Uint8Array(Int32Array.from(values).buffer);
const u32 = (values: number[]): Uint8Array => new Uint8Array(Uint32Array.from(values).buffer);
const F32_MAX = 3.4028234663852886e38;

describe('scanTensor per dtype', () => {
  it('F32: classes, extremes, exponent bins', async () => {
    const values = [1.5, -2, 0, -0, 2 ** -140, 0.25];
    const s = await scanOne('F32', [2, 3], f32(values));
    expect(s).toMatchObject({
      name: 't',
      dtype: 'F32',
      elements: 6,
      floatLike: true,
      nan: 0,
      posInf: 0,
      negInf: 0,
      zero: 2,
      subnormal: 1,
      saturated: 0,
      negative: 1,
      min: -2,
      max: 1.5,
      absmax: 2,
      nanIndices: [],
      infIndices: [],
      densityMap: null,
    });
    expectMoments(s, values);
    expect(s.histogram).toEqual(
      expHistogram(
        -149,
        277,
        [
          [0, 'pos', 1],
          [-2, 'pos', 1],
          [-140, 'pos', 1],
          [1, 'neg', 1],
        ],
        {
          zero: 2,
        },
      ),
    );
  });

  it('F32: NaN, Inf and saturation', async () => {
    const s = await scanOne('F32', [6], f32([NaN, Infinity, -Infinity, F32_MAX, -F32_MAX, 7]));
    expect(s).toMatchObject({
      nan: 1,
      posInf: 1,
      negInf: 1,
      saturated: 2,
      negative: 1,
      min: -F32_MAX,
      max: F32_MAX,
      nanIndices: [0],
      infIndices: [1, 2],
      densityMap: { rows: 1, cols: 6, cellRows: 1, cellCols: 6, cells: [0, 1, 2], nan: [1, 0, 0] },
    });
    expect(s.densityMap?.inf).toEqual([0, 1, 1]);
  });

  it('F64', async () => {
    const values = [0.1, -1e300, Number.MAX_VALUE, 5e-324, 0];
    const s = await scanOne('F64', [5], f64([...values, NaN]).subarray(0, 40));
    expect(s).toMatchObject({
      zero: 1,
      subnormal: 1,
      saturated: 1,
      negative: 1,
      min: -1e300,
      max: Number.MAX_VALUE,
      absmax: Number.MAX_VALUE,
    });
    expect(s.histogram).toEqual(
      expHistogram(
        -1074,
        2098,
        [
          [-4, 'pos', 1],
          [996, 'neg', 1],
          [1023, 'pos', 1],
          [-1074, 'pos', 1],
        ],
        { zero: 1 },
      ),
    );
    const nan = await scanOne('F64', [2], f64([-Infinity, NaN]));
    expect(nan).toMatchObject({ nan: 1, negInf: 1, min: null, mean: null, std: null });
  });

  it('BF16', async () => {
    const bits = [0x3f80, 0xc000, 0x0000, 0x8000, 0x7f80, 0x7fc0, 0x7f7f, 0x0001];
    const s = await scanOne('BF16', [2, 4], u16(bits));
    const max = 3.3895313892515355e38;
    expect(s).toMatchObject({
      nan: 1,
      posInf: 1,
      negInf: 0,
      zero: 2,
      subnormal: 1,
      saturated: 1,
      negative: 1,
      min: -2,
      max,
      nanIndices: [5],
      infIndices: [4],
      densityMap: {
        rows: 2,
        cols: 4,
        cells: [4, 5],
        nan: [0, 1],
        inf: [1, 0],
      },
    });
    expectMoments(s, [1, -2, 0, 0, max, 2 ** -133]);
    expect(s.histogram).toEqual(
      expHistogram(
        -133,
        261,
        [
          [0, 'pos', 1],
          [1, 'neg', 1],
          [127, 'pos', 1],
          [-133, 'pos', 1],
        ],
        { zero: 2, nan: 1, posInf: 1 },
      ),
    );
  });

  it('F16', async () => {
    const bits = [0x3c00, 0x7bff, 0xfbff, 0x0001, 0xfc00, 0x7e00, 0x4000];
    const s = await scanOne('F16', [7], u16(bits));
    expect(s).toMatchObject({
      nan: 1,
      posInf: 0,
      negInf: 1,
      zero: 0,
      subnormal: 1,
      saturated: 2,
      negative: 1,
      min: -65504,
      max: 65504,
      nanIndices: [5],
      infIndices: [4],
    });
    expectMoments(s, [1, 65504, -65504, 2 ** -24, 2]);
    expect(s.histogram).toEqual(
      expHistogram(
        -24,
        40,
        [
          [0, 'pos', 1],
          [15, 'pos', 1],
          [15, 'neg', 1],
          [-24, 'pos', 1],
          [1, 'pos', 1],
        ],
        { nan: 1, negInf: 1 },
      ),
    );
  });

  it('F8_E4M3', async () => {
    const codes = [0x38, 0x7e, 0xfe, 0x7f, 0xff, 0x01, 0x00, 0x80];
    const s = await scanOne('F8_E4M3', [8], Uint8Array.from(codes));
    expect(s).toMatchObject({
      nan: 2,
      posInf: 0,
      negInf: 0,
      zero: 2,
      subnormal: 1,
      saturated: 2,
      negative: 1,
      min: -448,
      max: 448,
      absmax: 448,
      nanIndices: [3, 4],
      infIndices: [],
      histogram: codeHistogram(8, codes),
    });
    expectMoments(s, [1, 448, -448, 2 ** -9, 0, 0]);
  });

  it('F8_E5M2', async () => {
    const codes = [0x3c, 0x7c, 0xfc, 0x7d, 0x7b, 0x01, 0x84];
    const s = await scanOne('F8_E5M2', [7], Uint8Array.from(codes));
    expect(s).toMatchObject({
      nan: 1,
      posInf: 1,
      negInf: 1,
      zero: 0,
      subnormal: 1,
      saturated: 1,
      negative: 1,
      min: -(2 ** -14),
      max: 57344,
      nanIndices: [3],
      infIndices: [1, 2],
      histogram: codeHistogram(8, codes),
    });
    expectMoments(s, [1, 57344, 2 ** -16, -(2 ** -14)]);
  });

  it('F8_E8M0', async () => {
    const codes = [0x7f, 0x80, 0xff, 0x00, 0xfe];
    const s = await scanOne('F8_E8M0', [5], Uint8Array.from(codes));
    expect(s).toMatchObject({
      nan: 1,
      zero: 0,
      subnormal: 0,
      saturated: 1,
      negative: 0,
      min: 2 ** -127,
      max: 2 ** 127,
      nanIndices: [2],
    });
    expectMoments(s, [1, 2, 2 ** -127, 2 ** 127]);
  });

  it('F8_E4M3FNUZ and F8_E5M2FNUZ', async () => {
    const a = await scanOne(
      'F8_E4M3FNUZ',
      [6],
      Uint8Array.from([0x80, 0x7f, 0x40, 0x00, 0xc0, 0x01]),
    );
    expect(a).toMatchObject({
      nan: 1,
      zero: 1,
      subnormal: 1,
      saturated: 1,
      negative: 1,
      min: -1,
      max: 240,
      nanIndices: [0],
    });
    const b = await scanOne('F8_E5M2FNUZ', [5], Uint8Array.from([0x80, 0x7f, 0xff, 0x40, 0x01]));
    expect(b).toMatchObject({
      nan: 1,
      subnormal: 1,
      saturated: 2,
      negative: 1,
      min: -57344,
      max: 57344,
    });
    expectMoments(b, [57344, -57344, 1, 2 ** -17]);
  });

  it('F4: two codes per byte, low nibble first', async () => {
    // elements: 1, 6 | -0, -6 | 0.5, 0 | -1, 3
    const codes = [0x2, 0x7, 0x8, 0xf, 0x1, 0x0, 0xa, 0x5];
    const bytes = Uint8Array.from([0x72, 0xf8, 0x01, 0x5a]);
    const s = await scanOne('F4', [2, 4], bytes);
    expect(s).toMatchObject({
      elements: 8,
      nan: 0,
      zero: 2,
      subnormal: 1,
      saturated: 2,
      negative: 2,
      min: -6,
      max: 6,
      histogram: codeHistogram(4, codes),
      densityMap: null,
    });
    expectMoments(s, [1, 6, 0, -6, 0.5, 0, -1, 3]);
  });

  it('F6_E2M3 and F6_E3M2: four codes per three bytes', async () => {
    const pack = (codes: number[]): Uint8Array => {
      const out: number[] = [];
      for (let g = 0; g < codes.length; g += 4) {
        const word = codes[g] + codes[g + 1] * 64 + codes[g + 2] * 4096 + codes[g + 3] * 262144;
        out.push(word % 256, Math.floor(word / 256) % 256, Math.floor(word / 65536));
      }
      return Uint8Array.from(out);
    };
    const codes = [0x08, 0x1f, 0x3f, 0x01, 0x00, 0x20, 0x10, 0x28];
    const s = await scanOne('F6_E2M3', [8], pack(codes));
    expect(s).toMatchObject({
      zero: 2,
      subnormal: 1,
      saturated: 2,
      negative: 2,
      min: -7.5,
      max: 7.5,
      histogram: codeHistogram(6, codes),
    });
    expectMoments(s, [1, 7.5, -7.5, 0.125, 0, 0, 2, -1]);
    const e3 = await scanOne('F6_E3M2', [4], pack([0x0c, 0x1f, 0x21, 0x00]));
    expect(e3).toMatchObject({
      zero: 1,
      subnormal: 1,
      saturated: 1,
      negative: 1,
      min: -0.0625,
      max: 28,
    });
  });

  it('U8, I8 and BOOL: code histograms, integer saturation', async () => {
    const u8 = await scanOne('U8', [4], Uint8Array.from([0, 255, 7, 128]));
    expect(u8).toMatchObject({
      floatLike: false,
      zero: 1,
      saturated: 1,
      negative: 0,
      min: 0,
      max: 255,
      histogram: codeHistogram(8, [0, 255, 7, 128]),
    });
    expectMoments(u8, [0, 255, 7, 128]);
    const i8 = await scanOne('I8', [4], Uint8Array.from([0x80, 0x7f, 0xff, 0x00]));
    expect(i8).toMatchObject({
      zero: 1,
      saturated: 2,
      negative: 2,
      min: -128,
      max: 127,
      absmax: 128,
    });
    const bool = await scanOne('BOOL', [4], Uint8Array.from([0, 1, 2, 0]));
    expect(bool).toMatchObject({
      floatLike: false,
      zero: 2,
      saturated: 0,
      negative: 0,
      min: 0,
      max: 1,
      mean: 0.5,
      std: 0.5,
      histogram: codeHistogram(8, [0, 1, 2, 0]),
    });
  });

  it('I16 and U16', async () => {
    const i16 = await scanOne('I16', [5], u16([0x8000, 0x7fff, 0xffff, 0, 5]));
    expect(i16).toMatchObject({
      floatLike: false,
      zero: 1,
      saturated: 2,
      negative: 2,
      min: -32768,
      max: 32767,
    });
    expect(i16.histogram).toEqual(
      expHistogram(
        0,
        16,
        [
          [15, 'neg', 1],
          [14, 'pos', 1],
          [0, 'neg', 1],
          [2, 'pos', 1],
        ],
        { zero: 1 },
      ),
    );
    expectMoments(i16, [-32768, 32767, -1, 0, 5]);
    const u = await scanOne('U16', [4], u16([0, 65535, 1, 256]));
    expect(u).toMatchObject({ zero: 1, saturated: 1, min: 0, max: 65535 });
    expect(u.histogram).toEqual(
      expHistogram(
        0,
        16,
        [
          [15, 'pos', 1],
          [0, 'pos', 1],
          [8, 'pos', 1],
        ],
        { zero: 1 },
      ),
    );
  });

  it('I32 and U32', async () => {
    const values = [-(2 ** 31), 2 ** 31 - 1, -1, 0, 1024];
    const s = await scanOne('I32', [5], i32(values));
    expect(s).toMatchObject({
      zero: 1,
      saturated: 2,
      negative: 2,
      min: -(2 ** 31),
      max: 2 ** 31 - 1,
    });
    expect(s.histogram).toEqual(
      expHistogram(
        0,
        32,
        [
          [31, 'neg', 1],
          [30, 'pos', 1],
          [0, 'neg', 1],
          [10, 'pos', 1],
        ],
        {
          zero: 1,
        },
      ),
    );
    expectMoments(s, values);
    const u = await scanOne('U32', [3], u32([0, 2 ** 32 - 1, 3]));
    expect(u).toMatchObject({ zero: 1, saturated: 1, negative: 0, min: 0, max: 2 ** 32 - 1 });
    expect(u.histogram).toEqual(
      expHistogram(
        0,
        32,
        [
          [31, 'pos', 1],
          [1, 'pos', 1],
        ],
        { zero: 1 },
      ),
    );
  });

  it('I64 and U64: exact classes on the words, doubles for moments', async () => {
    const big = [-(2n ** 63n), 2n ** 63n - 1n, -1n, 0n, 2n ** 53n + 1n];
    const s = await scanOne('I64', [5], new Uint8Array(BigInt64Array.from(big).buffer));
    expect(s).toMatchObject({ zero: 1, saturated: 2, negative: 2, min: -(2 ** 63), max: 2 ** 63 });
    expect(s.histogram).toEqual(
      expHistogram(
        0,
        64,
        [
          [63, 'neg', 1],
          [62, 'pos', 1],
          [0, 'neg', 1],
          [53, 'pos', 1],
        ],
        {
          zero: 1,
        },
      ),
    );
    expectMoments(s, big.map(Number));
    const u = await scanOne(
      'U64',
      [3],
      new Uint8Array(BigUint64Array.from([2n ** 64n - 1n, 0n, 1n]).buffer),
    );
    expect(u).toMatchObject({ zero: 1, saturated: 1, min: 0, max: 2 ** 64 });
    expect(u.histogram).toEqual(
      expHistogram(
        0,
        64,
        [
          [63, 'pos', 1],
          [0, 'pos', 1],
        ],
        { zero: 1 },
      ),
    );
  });

  it('C64: counts over both parts, indices per complex element', async () => {
    const s = await scanOne('C64', [2], f32([1, NaN, -Infinity, -0]));
    expect(s).toMatchObject({
      elements: 2,
      nan: 1,
      negInf: 1,
      zero: 1,
      negative: 0,
      min: 0,
      max: 1,
      nanIndices: [0],
      infIndices: [1],
      densityMap: {
        rows: 1,
        cols: 2,
        cellRows: 1,
        cellCols: 2,
        cells: [0, 1],
        nan: [1, 0],
        inf: [0, 1],
      },
    });
    expect(Object.is(s.min, -0)).toBe(false);
  });

  it('zero-element and scalar tensors', async () => {
    const empty = await scanOne('F32', [0, 4], new Uint8Array(0));
    expect(empty).toMatchObject({
      elements: 0,
      nan: 0,
      zero: 0,
      min: null,
      max: null,
      absmax: null,
      mean: null,
      std: null,
      densityMap: null,
    });
    const scalar = await scanOne('BF16', [], u16([0x7fc1]));
    expect(scalar.densityMap).toEqual({
      rows: 1,
      cols: 1,
      cellRows: 1,
      cellCols: 1,
      cells: [0],
      nan: [1],
      inf: [0],
    });
  });
});
