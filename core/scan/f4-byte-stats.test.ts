import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../format/tensor-info';
import { decodedInfo } from './role-decode';
import { createKernel } from './create-kernel';
import type { TensorStats } from './tensor-stats';

/**
 * Packed FP4 weights (U8 decoded by role as F4) are scanned by the byte kernels: a 256-bin byte
 * histogram, from which every F4 statistic is derived at finish (byteCodeStats), with no work per
 * nibble; without a histogram, in WASM, by moments4 (f4-moments.ts). This checks both against the
 * straightforward path: decode every nibble and count, on random bytes, for the JS and WASM
 * kernels, with and without a histogram.
 */

/** OCP E2M1, written out independently of core/dtype: codes 0-7 positive, 8-15 their negatives. */
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];
/** The largest finite E2M1 magnitude; values at it are saturated. */
const E2M1_MAX = 6;
/** Smallest normal E2M1 magnitude (exponent 1, bias 1): ±0.5 are the only subnormals. */
const E2M1_SMALLEST_NORMAL = 1;

interface Expected {
  readonly zero: number;
  readonly saturated: number;
  readonly negative: number;
  readonly subnormal: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  readonly counts: number[];
}

/** Every nibble decoded one by one (low nibble first), then counted. */
function perNibble(bytes: Uint8Array): Expected {
  const counts: number[] = new Array<number>(16).fill(0);
  const values: number[] = [];
  for (const b of bytes) {
    for (const code of [b & 0xf, b >>> 4]) {
      counts[code] += 1;
      values.push(E2M1[code]);
    }
  }
  let sum = 0;
  for (const v of values) {
    sum += v;
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) {
    squares += (v - mean) * (v - mean);
  }
  return {
    zero: values.filter((v) => v === 0).length,
    saturated: values.filter((v) => Math.abs(v) === E2M1_MAX).length,
    negative: values.filter((v) => v < 0).length,
    subnormal: values.filter((v) => v !== 0 && Math.abs(v) < E2M1_SMALLEST_NORMAL).length,
    min: values.reduce((a, v) => Math.min(a, v), Infinity),
    max: values.reduce((a, v) => Math.max(a, v), -Infinity),
    mean,
    std: Math.sqrt(squares / values.length),
    counts,
  };
}

function packedWeight(nbytes: number): TensorInfo {
  const u8: TensorInfo = {
    name: 'model.layers.0.mlp.experts.0.down_proj.weight',
    dtype: 'U8',
    shape: [nbytes],
    offset: 0,
    nbytes,
    elements: nbytes,
  };
  return decodedInfo(u8, 'F4');
}

/** -0 and +0 are the same value for these comparisons. */
function plain(v: number | null): number | null {
  return v === 0 ? 0 : v;
}

function scan(bytes: Uint8Array, wasm: boolean, histogram: boolean, cut: number): TensorStats {
  const info = packedWeight(bytes.length);
  const kernel = createKernel(info, { wasm, histogram });
  for (let at = 0; at < bytes.length; at += cut) {
    kernel.update(bytes.subarray(at, Math.min(bytes.length, at + cut)), at * 2);
  }
  return kernel.finish();
}

function expectMatches(stats: TensorStats, want: Expected, histogram = true): void {
  expect(stats.dtype).toBe('F4');
  expect(stats.elements).toBe(want.counts.reduce((a, n) => a + n, 0));
  expect([stats.nan, stats.posInf, stats.negInf]).toEqual([0, 0, 0]);
  expect(stats.zero).toBe(want.zero);
  expect(stats.saturated).toBe(want.saturated);
  expect(stats.negative).toBe(want.negative);
  expect(stats.subnormal).toBe(want.subnormal);
  expect(plain(stats.min)).toBe(plain(want.min));
  expect(plain(stats.max)).toBe(plain(want.max));
  expect(stats.absmax).toBe(Math.max(Math.abs(want.min), Math.abs(want.max)));
  // Both are sums of multiples of 0.5: exact in float64, so only the division rounds.
  expect(stats.mean).toBeCloseTo(want.mean, 12);
  expect(stats.std).toBeCloseTo(want.std, 12);
  expect(stats.nanIndices).toEqual([]);
  expect(stats.densityMap).toBeNull();
  // Neither the JS byte kernel nor the WASM moments kernel gives one when not asked for it.
  expect(stats.histogram).toEqual(
    histogram ? { kind: 'codes', bits: 4, counts: want.counts } : null,
  );
}

describe('F4 stats from the byte histogram', () => {
  it('equal the per-nibble decode on random bytes (JS and WASM kernels, any chunking)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 700 }),
        (bytes, wasm, histogram, cut) => {
          expectMatches(scan(bytes, wasm, histogram, cut), perNibble(bytes), histogram);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equal the per-nibble decode on skewed bytes (few distinct codes, runs of one byte)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0x00, 0x08, 0x77, 0xff, 0x7f, 0x80, 0x12, 0x9a), {
          minLength: 1,
          maxLength: 2000,
        }),
        fc.boolean(),
        (list, wasm) => {
          const bytes = Uint8Array.from(list);
          expectMatches(scan(bytes, wasm, true, 257), perNibble(bytes));
        },
      ),
      { numRuns: 200 },
    );
  });
});
