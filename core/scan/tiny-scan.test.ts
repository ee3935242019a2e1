/**
 * `scanTinyTensor` gives exactly the stats of a fresh JS kernel fed the same bytes in one chunk:
 * byte dtypes (NaN/Inf-rich bytes), F32 and C64 (every kind of part), 1-D and 2-D shapes, with and
 * without a histogram, one after another through the same module scratch (a tensor with NaN/Inf,
 * then a clean one), and from views at odd offsets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import { feedInCuts } from '../testing/feed-kernel';
import { createJsKernel } from './create-kernel';
import { NARROW_F32_PARTS } from './float32-kernel';
import type { TensorStats } from './tensor-stats';
import { TINY_BYTE_SCAN_BYTES } from './tiny-byte-scan';
import { scanTinyTensor } from './tiny-scan';
import { NO_INDICES } from './value-summary';

const BYTE_DTYPES: Dtype[] = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'F4',
];

/** A tensor of `elements` as one row, or as rows of `cols` when it divides them. */
function tensorOf(dtype: Dtype, nbytes: number, cols: number, name = 't'): TensorInfo {
  const elements =
    dtype === 'F4'
      ? nbytes * 2
      : dtype === 'C64'
        ? nbytes / 8
        : dtype === 'F32'
          ? nbytes / 4
          : nbytes;
  const shape = elements % cols === 0 && elements > cols ? [elements / cols, cols] : [elements];
  return { name, dtype, shape, offset: 0, nbytes, elements };
}

/** What a fresh JS kernel gives (the reference), or the moments kernel for U8 / I8 without a histogram. */
function kernelStats(t: TensorInfo, bytes: Uint8Array, histogram: boolean): TensorStats {
  return feedInCuts(createJsKernel(t, histogram), t.dtype, bytes, []);
}

/** `bytes` as a view at an odd offset of a larger buffer when `misalign`. */
function placed(bytes: Uint8Array, misalign: boolean): Uint8Array {
  if (!misalign) {
    return bytes;
  }
  const backing = new Uint8Array(bytes.length + 3);
  backing.set(bytes, 1);
  return backing.subarray(1, 1 + bytes.length);
}

const byteCase = fc
  .record({
    dtype: fc.constantFrom(...BYTE_DTYPES),
    list: fc.array(
      fc.oneof(
        fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff, 0x7c, 0xfc, 0x7e, 0xfe, 0x38),
        fc.integer({ min: 0, max: 255 }),
      ),
      { minLength: 1, maxLength: TINY_BYTE_SCAN_BYTES - 1 },
    ),
    cols: fc.integer({ min: 1, max: 9 }),
    histogram: fc.boolean(),
    misalign: fc.boolean(),
  })
  .map(({ dtype, list, cols, histogram, misalign }) => {
    const bytes = Uint8Array.from(list);
    return { t: tensorOf(dtype, bytes.length, cols), bytes, histogram, misalign };
  });

const bitsOf = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0];
const part = fc.oneof(
  fc.constantFrom(
    ...[0, -0, 1.5, -2, 3.4028234663852886e38, -3.4028234663852886e38, 2 ** -149, -(2 ** -140)].map(
      bitsOf,
    ),
    ...[NaN, Infinity, -Infinity, 0.1, -1e-30, 65504].map(bitsOf),
    0x7fc00001, // a NaN with payload
    0xffffffff, // a negative NaN
  ),
  fc.integer({ min: 0, max: 0xffffffff }),
);

const floatCase = fc
  .record({
    dtype: fc.constantFrom<Dtype>('F32', 'C64'),
    parts: fc.array(part, { minLength: 1, maxLength: NARROW_F32_PARTS }),
    cols: fc.integer({ min: 1, max: 5 }),
    histogram: fc.boolean(),
    misalign: fc.boolean(),
  })
  .map(({ dtype, parts, cols, histogram, misalign }) => {
    const n = dtype === 'C64' ? parts.length - (parts.length % 2) || 2 : parts.length;
    const u32 = Uint32Array.from({ length: n }, (_, i) => parts[i % parts.length]);
    const bytes = new Uint8Array(u32.buffer);
    return { t: tensorOf(dtype, bytes.length, cols), bytes, histogram, misalign };
  });

describe('scanTinyTensor', () => {
  it('equals a fresh JS kernel, tensor after tensor, byte and float dtypes (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(byteCase, floatCase), { minLength: 1, maxLength: 10 }),
        (list) => {
          for (const { t, bytes, histogram, misalign } of list) {
            const tiny = scanTinyTensor(t, placed(bytes, misalign), histogram);
            const moments = !histogram && (t.dtype === 'U8' || t.dtype === 'I8');
            if (moments) {
              expect(tiny).toBeNull(); // the moments kernel's case
              continue;
            }
            expect(tiny).toEqual(kernelStats(t, bytes, histogram));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a clean tensor after one with NaN and Inf has none, and shares the empty index lists', () => {
    const e4m3 = tensorOf('F8_E4M3', 4, 2);
    const dirty = scanTinyTensor(e4m3, Uint8Array.of(0x7f, 0x38, 0xff, 0x00), true);
    expect(dirty?.nan).toBe(2);
    expect(dirty?.nanIndices).toEqual([0, 2]);
    const clean = scanTinyTensor(e4m3, Uint8Array.of(0x38, 0x38, 0x00, 0x40), true);
    expect(clean).toEqual(kernelStats(e4m3, Uint8Array.of(0x38, 0x38, 0x00, 0x40), true));
    expect(clean?.nanIndices).toBe(NO_INDICES);
    expect(clean?.densityMap).toBeNull();

    const f32 = tensorOf('F32', 12, 3);
    const specials = new Uint8Array(Float32Array.of(NaN, -Infinity, 2).buffer);
    expect(scanTinyTensor(f32, specials, true)).toEqual(kernelStats(f32, specials, true));
    const plain = new Uint8Array(Float32Array.of(1, 2 ** -140, -3).buffer);
    const after = scanTinyTensor(f32, plain, false);
    expect(after).toEqual(kernelStats(f32, plain, false));
    expect([after?.nan, after?.posInf, after?.negInf, after?.subnormal]).toEqual([0, 0, 0, 1]);
  });

  it('leaves other tensors to a kernel: other dtypes, too many bytes, a size that does not match', () => {
    const bf16: TensorInfo = {
      name: 'b',
      dtype: 'BF16',
      shape: [],
      offset: 0,
      nbytes: 2,
      elements: 1,
    };
    expect(scanTinyTensor(bf16, new Uint8Array(2), true)).toBeNull();
    const wide = tensorOf('U8', TINY_BYTE_SCAN_BYTES, 1);
    expect(scanTinyTensor(wide, new Uint8Array(TINY_BYTE_SCAN_BYTES), true)).toBeNull();
    const long = tensorOf('F32', 4 * (NARROW_F32_PARTS + 1), 1);
    expect(scanTinyTensor(long, new Uint8Array(long.nbytes), true)).toBeNull();
    const short = { ...tensorOf('F32', 8, 1), elements: 3 };
    expect(scanTinyTensor(short, new Uint8Array(8), true)).toBeNull();
    const f4 = { ...tensorOf('F4', 2, 1), elements: 3 };
    expect(scanTinyTensor(f4, new Uint8Array(2), true)).toBeNull();
  });
});
