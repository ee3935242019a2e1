import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../format/tensor-info';
import { feedInCuts } from '../testing/feed-kernel';
import { lcgBytes } from '../testing/lcg-bytes';
import { ByteCodeKernel } from './byte-code-kernel';
import { createKernel } from './create-kernel';
import { F4MomentsKernel, f4MeanStd } from './f4-moments';
import type { ScanKernel } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import {
  ARENA_READ_BYTES,
  giveBackArenaReadBuffer,
  takeArenaReadBuffer,
} from './wasm/scan-instance';
import { WasmF4MomentsKernel } from './wasm/wasm-f4-moments-kernel';

/** OCP E2M1, written out independently of core/dtype: codes 0-7 positive, 8-15 their negatives. */
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

/** A packed F4 tensor of `nbytes` bytes: two elements per byte. */
function f4(nbytes: number): TensorInfo {
  return {
    name: 'w',
    dtype: 'F4',
    shape: [2, nbytes],
    offset: 0,
    nbytes,
    elements: 2 * nbytes,
  };
}

/** Stats of the histogram kernel without its histogram: what the moments kernels must give. */
function histogramScan(bytes: Uint8Array): TensorStats {
  const kernel = new ByteCodeKernel(f4(bytes.length));
  kernel.update(bytes, 0);
  return { ...kernel.finish(), histogram: null };
}

function scanWith(kernel: ScanKernel, bytes: Uint8Array): TensorStats {
  kernel.update(bytes, 0);
  return kernel.finish();
}

/**
 * Bytes mostly from codes the kernel treats specially (zeros and -0, subnormals, +-6, negatives),
 * some anything, some runs of one byte.
 */
const SPECIAL_NIBBLES = [0, 8, 1, 9, 7, 15, 6, 14];
const nibble = fc.oneof(fc.constantFrom(...SPECIAL_NIBBLES), fc.integer({ min: 0, max: 15 }));
const bytesArb = fc
  .array(
    fc.oneof(
      fc.tuple(nibble, nibble).map(([lo, hi]) => [lo | (hi << 4)]),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 300 }))
        .map(([b, n]) => new Array<number>(n).fill(b)),
    ),
    { maxLength: 40 },
  )
  .map((runs) => Uint8Array.from(runs.flat()));

describe('histogram-free F4 kernels (moments4 and its JS reference)', () => {
  it('equal the histogram kernel but for the histogram, JS and WASM alike, for any chunking', () => {
    fc.assert(
      fc.property(
        bytesArb,
        fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 15 }),
        (bytes, cuts, misalign) => {
          const t = f4(bytes.length);
          const full = histogramScan(bytes);
          expect(feedInCuts(new F4MomentsKernel(t), 'F4', bytes, cuts, misalign)).toEqual(full);
          expect(feedInCuts(new WasmF4MomentsKernel(t), 'F4', bytes, cuts, misalign)).toEqual(full);
          const chosen = createKernel(t, { wasm: true, histogram: false });
          expect(feedInCuts(chosen, 'F4', bytes, cuts, misalign)).toEqual(full);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks its figures against an independent computation', () => {
    // 19 bytes: one whole v128 for moments4, 3 bytes for the JS tail.
    const bytes = Uint8Array.from([
      0x00, 0x81, 0x97, 0xf7, 0x2a, 0x66, 0x10, 0x08, 0x3c, 0xe5, 0x4b, 0xd2, 0x0f, 0x70, 0x99,
      0x1e, 0x68, 0xa4, 0x05,
    ]);
    const values = Array.from(bytes).flatMap((b) => [E2M1[b & 15], E2M1[b >> 4]]);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    for (const kernel of [new F4MomentsKernel(f4(19)), new WasmF4MomentsKernel(f4(19))]) {
      const stats = scanWith(kernel, bytes);
      expect(stats).toMatchObject({
        elements: 38,
        floatLike: true,
        nan: 0,
        posInf: 0,
        negInf: 0,
        zero: values.filter((v) => v === 0).length,
        saturated: values.filter((v) => Math.abs(v) === 6).length,
        negative: values.filter((v) => v < 0).length,
        subnormal: values.filter((v) => Math.abs(v) === 0.5).length,
        min: -6,
        max: 6,
        absmax: 6,
        histogram: null,
        densityMap: null,
      });
      expect(stats.mean).toBeCloseTo(mean, 14);
      expect(stats.std).toBeCloseTo(std, 14);
    }
  });

  it('gives an empty tensor and a one-byte tensor their stats', () => {
    for (const make of [
      (t: TensorInfo) => new F4MomentsKernel(t),
      (t: TensorInfo) => new WasmF4MomentsKernel(t),
    ]) {
      expect(scanWith(make(f4(0)), new Uint8Array(0))).toEqual(histogramScan(new Uint8Array(0)));
      const one = scanWith(make(f4(1)), Uint8Array.from([0x80]));
      // Codes 0 (+0) and 8 (-0): zero twice, never negative; min and max read as 0.
      expect(one).toMatchObject({ zero: 2, negative: 0, min: 0, max: 0, mean: 0, std: 0 });
      expect(Object.is(one.min, 0) && Object.is(one.max, 0) && Object.is(one.mean, 0)).toBe(true);
    }
  });

  it('f4MeanStd: halves the exact integer moments of 2v', () => {
    expect(f4MeanStd(0, 0n, 0n)).toEqual({ mean: null, std: null });
    // Values 6 and 0: 2v = 12 and 0.
    expect(f4MeanStd(2, 12n, 144n)).toEqual({ mean: 3, std: 3 });
  });

  // The widest totals moments4 keeps: one 8 MiB call (in place in the arena) or 256 KiB staged
  // blocks, of the bytes that fill each lane counter fastest.
  it.each([
    ['0x66: the largest squares but 6 (4, 4)', 0x66],
    ['0x77: saturated (6, 6), the largest 2v + 12', 0x77],
    ['0xff: saturated (-6, -6), 2v + 12 = 0', 0xff],
    ['0x99: negative and subnormal (-0.5, -0.5)', 0x99],
    ['0x88: zero (-0, -0)', 0x88],
    ['0x70: zero and 6', 0x70],
  ])('constant byte %s: exact at the lane counters limits', (_, byte) => {
    const lo = E2M1[byte & 15];
    const hi = E2M1[byte >> 4];
    const values = [lo, hi];
    const count = (test: (v: number) => boolean): number =>
      values.filter(test).length * ARENA_READ_BYTES;
    const plain = (v: number): number => (v === 0 ? 0 : v);
    const t = f4(ARENA_READ_BYTES);
    const expected: TensorStats = {
      name: 'w',
      dtype: 'F4',
      elements: 2 * ARENA_READ_BYTES,
      floatLike: true,
      nan: 0,
      posInf: 0,
      negInf: 0,
      zero: count((v) => v === 0),
      subnormal: count((v) => Math.abs(v) === 0.5),
      saturated: count((v) => Math.abs(v) === 6),
      negative: count((v) => v < 0),
      min: plain(Math.min(lo, hi)),
      max: plain(Math.max(lo, hi)),
      absmax: Math.max(Math.abs(lo), Math.abs(hi)),
      mean: plain((lo + hi) / 2),
      std: Math.abs(lo - hi) / 2,
      histogram: null,
      nanIndices: [],
      infIndices: [],
      densityMap: null,
    };
    const arena = takeArenaReadBuffer(ARENA_READ_BYTES);
    expect(arena).not.toBeNull();
    if (arena !== null) {
      try {
        arena.fill(byte);
        expect(scanWith(new WasmF4MomentsKernel(t), arena)).toEqual(expected);
      } finally {
        giveBackArenaReadBuffer(arena);
      }
    }
    const staged = new Uint8Array(ARENA_READ_BYTES).fill(byte);
    expect(scanWith(new WasmF4MomentsKernel(t), staged)).toEqual(expected);
  });

  it('equals the histogram kernel on 20 MiB of pseudo-random bytes', () => {
    const bytes = lcgBytes(20 * 1024 * 1024 + 13, 11);
    const t = f4(bytes.length);
    const full = histogramScan(bytes);
    const cuts = [3_000_001, 5, 8 * 1024 * 1024];
    expect(feedInCuts(new WasmF4MomentsKernel(t), 'F4', bytes, cuts)).toEqual(full);
  });

  it('holds its instance until finish or release, like the other WASM kernels', () => {
    const bytes = new Uint8Array(16).fill(0x21);
    const k = new WasmF4MomentsKernel(f4(16));
    k.update(bytes, 0);
    const first = k.finish();
    expect(k.finish()).toBe(first);
    expect(() => k.update(bytes, 0)).toThrow(/after finish/);
    const released = new WasmF4MomentsKernel(f4(16));
    released.update(bytes.subarray(0, 8), 0);
    released.release();
    released.release();
    expect(() => released.update(bytes.subarray(8), 16)).toThrow(/after finish/);
    expect(() => new WasmF4MomentsKernel({ ...f4(16), dtype: 'U8', elements: 16 })).toThrow(
      /not F4/,
    );
  });
});
