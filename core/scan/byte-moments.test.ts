import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import { ByteCodeKernel } from './byte-code-kernel';
import { ByteMomentsKernel, exactIntegerMoments } from './byte-moments';
import type { MomentsDtype } from './byte-moments';
import { createKernel } from './create-kernel';
import { scanTensors } from './scan-tensor';
import type { ScanKernel } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import { WasmByteMomentsKernel } from './wasm/wasm-byte-moments-kernel';
import { lcgBytes } from '../testing/lcg-bytes';

function info(dtype: MomentsDtype, n: number): TensorInfo {
  return { name: 't', dtype, shape: [n], offset: 0, nbytes: n, elements: n };
}

/** Feeds `bytes` to `kernel` in pieces whose sizes cycle through `splits`. */
function run(kernel: ScanKernel, bytes: Uint8Array, splits: readonly number[]): TensorStats {
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const n = Math.min(bytes.length - at, Math.max(1, splits[k++ % splits.length] ?? 1));
    kernel.update(bytes.subarray(at, at + n), at);
    at += n;
  }
  return kernel.finish();
}

/** Stats of a histogram scan without the histogram: what the counts-only kernels must give. */
function withoutHistogram(stats: TensorStats): TensorStats {
  return { ...stats, histogram: null };
}

/** Bytes mostly from a few values (so extremes and zeros repeat), some anything. */
const bytesArb = fc
  .array(
    fc.oneof(fc.constantFrom(0, 1, 0x7f, 0x80, 0xfe, 0xff), fc.integer({ min: 0, max: 255 })),
    {
      maxLength: 3000,
    },
  )
  .map((a) => Uint8Array.from(a));

describe('histogram-free U8 / I8 kernels', () => {
  it('equal the histogram kernel but for the histogram, JS and WASM alike, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<MomentsDtype>('U8', 'I8'),
        bytesArb,
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
        (dtype, bytes, splits) => {
          const t = info(dtype, bytes.length);
          const full = withoutHistogram(run(new ByteCodeKernel(t), bytes, [bytes.length || 1]));
          expect(run(new ByteMomentsKernel(t), bytes, splits)).toEqual(full);
          expect(run(new WasmByteMomentsKernel(t), bytes, splits)).toEqual(full);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks its figures against an independent computation', () => {
    const bytes = Uint8Array.from([0, 1, 2, 255, 128, 127, 0, 5]);
    const u8 = run(new WasmByteMomentsKernel(info('U8', 8)), bytes, [3]);
    const values = [0, 1, 2, 255, 128, 127, 0, 5];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(u8).toMatchObject({ zero: 2, saturated: 1, negative: 0, min: 0, max: 255, absmax: 255 });
    expect(u8.mean).toBe(mean);
    expect(u8.std).toBeCloseTo(std, 12);
    const i8 = run(new WasmByteMomentsKernel(info('I8', 8)), bytes, [5]);
    const signed = values.map((v) => (v >= 128 ? v - 256 : v)); // 0 1 2 -1 -128 127 0 5
    expect(i8).toMatchObject({ zero: 2, saturated: 2, negative: 2, min: -128, max: 127 });
    expect(i8.absmax).toBe(128);
    expect(i8.mean).toBe(signed.reduce((a, b) => a + b, 0) / 8);
  });

  it('exactIntegerMoments: the population moments, from exact sums', () => {
    expect(exactIntegerMoments(0, 0n, 0n)).toEqual({ mean: null, std: null });
    expect(exactIntegerMoments(4, 10n, 30n)).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    // A constant tensor has std exactly 0, however large.
    const n = 3_000_000_000;
    expect(exactIntegerMoments(n, 255n * BigInt(n), 65025n * BigInt(n))).toEqual({
      mean: 255,
      std: 0,
    });
  });

  it('scans in place in the arena and in staged blocks alike (a 20 MiB tensor)', async () => {
    const n = 20 * 1024 * 1024 + 13;
    const data = lcgBytes(n, 7);
    const file = buildSafetensors([{ name: 'w', dtype: 'U8', shape: [n], data }]);
    const offset = 8 + Number(new DataView(file.buffer).getBigUint64(0, true));
    const t: TensorInfo = { name: 'w', dtype: 'U8', shape: [n], offset, nbytes: n, elements: n };
    // readInto: scanTensors reads into the arena, where the kernel scans in place.
    const source: ByteSource = {
      name: 'f',
      size: file.length,
      read: (o, l) => Promise.resolve(file.slice(o, o + l)),
      readInto: (o, target) => {
        target.set(file.subarray(o, o + target.length));
        return Promise.resolve(target.length);
      },
    };
    const [full] = await scanTensors(source, [t]);
    const [inPlace] = await scanTensors(source, [t], { histograms: () => false });
    expect(inPlace).toEqual(withoutHistogram(full));
    const staged = run(createKernel(t, { wasm: true, histogram: false }), data, [3_000_001]);
    expect(staged).toEqual(withoutHistogram(full));
  });
});
