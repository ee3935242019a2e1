/**
 * The JS byte and F32 kernels count into pooled tables (`CountTable.pooled`), given back at
 * `finish` or `release`: a tensor scanned after others, NaN/Inf ones, wide and narrow ones and
 * abandoned ones, must get the stats a kernel with a fresh table gives. A narrow F32 tensor
 * (NARROW_F32_PARTS) or byte tensor (TOUCHED_BYTES_LIMIT) reads only the bins it counted into:
 * the same stats as reading them all.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import { feedInCuts } from '../testing/feed-kernel';
import { BYTE_SUBTABLES } from './byte-histogram';
import { NARROW_CHUNK_BYTES, TOUCHED_BYTES_LIMIT } from './byte-code-kernel';
import { CountTable, POOL_DEPTH } from './count-table';
import { createJsKernel } from './create-kernel';
import { F32_TOP_BINS, f32TopBin, NARROW_F32_PARTS } from './float32-kernel';
import { createWasmKernel } from './wasm/create-wasm-kernel';
import type { TensorStats } from './tensor-stats';

function tensorOf(dtype: Dtype, bytes: number, name = 't'): TensorInfo {
  const elements = dtype === 'F32' ? bytes / 4 : dtype === 'F4' ? bytes * 2 : bytes;
  return { name, dtype, shape: [elements], offset: 0, nbytes: bytes, elements };
}

function scan(dtype: Dtype, bytes: Uint8Array, histogram = true, cuts: number[] = []): TensorStats {
  return feedInCuts(createJsKernel(tensorOf(dtype, bytes.length), histogram), dtype, bytes, cuts);
}

const f32 = (...values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

/** Tables taken out of the pool so that kernels get new ones; given back after each test. */
let held: CountTable[] = [];

/** Empties the pool of the byte and F32 kernels' table sizes: the next kernels count afresh. */
function drainPool(): void {
  for (const size of [BYTE_SUBTABLES * 256, F32_TOP_BINS]) {
    for (let i = 0; i < POOL_DEPTH; i++) {
      held.push(CountTable.pooled(size));
    }
  }
}

afterEach(() => {
  for (const t of held) {
    t.release();
  }
  held = [];
});

describe('pooled count tables', () => {
  it('an FP8 scale after one with NaN holds only its own codes', () => {
    scan('F8_E4M3', Uint8Array.of(0x7f, 0xff, 0x38, 0x38));
    const stats = scan('F8_E4M3', Uint8Array.of(0x38, 0x00)); // 1.0 and 0
    expect([stats.nan, stats.zero, stats.min, stats.max, stats.mean]).toEqual([0, 1, 0, 1, 0.5]);
    expect(stats.nanIndices).toEqual([]);
    expect(stats.densityMap).toBeNull();
    const counts = new Array<number>(256).fill(0);
    counts[0x00] = 1;
    counts[0x38] = 1;
    expect(stats.histogram).toEqual({ kind: 'codes', bits: 8, counts });
  });

  it('a narrow tensor after a wide one (all four sub-tables used) counts from zero', () => {
    scan('U8', new Uint8Array(4 * NARROW_CHUNK_BYTES).fill(7));
    const stats = scan('U8', Uint8Array.of(7, 9, 9));
    expect(stats.histogram?.kind === 'codes' ? stats.histogram.counts[7] : null).toBe(1);
    expect([stats.min, stats.max]).toEqual([7, 9]);
  });

  it('an F32 scalar after a tensor with NaN and Inf has its own exponent bins', () => {
    scan('F32', f32(NaN, Infinity, 2, -3, 2 ** -140));
    const stats = scan('F32', f32(1.5));
    expect([stats.nan, stats.posInf, stats.subnormal, stats.negative]).toEqual([0, 0, 0, 0]);
    expect([stats.min, stats.max, stats.mean, stats.std]).toEqual([1.5, 1.5, 1.5, 0]);
    const h = stats.histogram;
    expect(h?.kind).toBe('exponent');
    if (h?.kind === 'exponent') {
      expect(h.positive.reduce((a, n) => a + n, 0)).toBe(1);
      expect(h.positive[0 - h.minExponent]).toBe(1);
      expect(h.negative.every((n) => n === 0)).toBe(true);
    }
  });

  it('a kernel released before its end (a cancelled scan) leaves nothing behind', () => {
    const dropped = createJsKernel(tensorOf('F8_E4M3', 4 * NARROW_CHUNK_BYTES));
    dropped.update(new Uint8Array(4 * NARROW_CHUNK_BYTES).fill(0x7f), 0);
    dropped.release?.();
    const floats = createJsKernel(tensorOf('F32', 8));
    floats.update(f32(5, 6), 0);
    floats.release?.();
    expect(scan('F8_E4M3', Uint8Array.of(0x38)).nan).toBe(0);
    expect(scan('F32', f32(1)).max).toBe(1);
  });

  it('finish gives the same stats when called again', () => {
    const kernel = createJsKernel(tensorOf('F8_E4M3', 2));
    kernel.update(Uint8Array.of(0x7f, 0x38), 0);
    const first = kernel.finish();
    scan('F8_E4M3', Uint8Array.of(0x01, 0x02)); // reuses the table the first kernel gave back
    expect(kernel.finish()).toBe(first);
  });

  const dtypes: Dtype[] = ['F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F4', 'U8', 'I8', 'F32'];
  /** Bytes rich in NaN/Inf codes of each family; F32 lengths are whole elements. */
  const tensorArb = fc
    .record({
      dtype: fc.constantFrom(...dtypes),
      bytes: fc.array(fc.constantFrom(0x00, 0x7f, 0x80, 0xff, 0x7c, 0xfc, 0x38, 0x01), {
        minLength: 1,
        maxLength: 300,
      }),
      histogram: fc.boolean(),
      cut: fc.integer({ min: 1, max: 80 }),
    })
    .map(({ dtype, bytes, histogram, cut }) => {
      const length = dtype === 'F32' ? bytes.length - (bytes.length % 4) || 4 : bytes.length;
      const data = Uint8Array.from({ length }, (_, i) => bytes[i % bytes.length]);
      return { dtype, data, histogram, cuts: [cut, cut, cut] };
    });

  it('tensors scanned in a row equal each one scanned with fresh tables (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(tensorArb, { minLength: 2, maxLength: 12 }), (list) => {
        const inRow = list.map((t) => scan(t.dtype, t.data, t.histogram, t.cuts));
        const fresh = list.map((t) => {
          drainPool();
          return scan(t.dtype, t.data, t.histogram, t.cuts);
        });
        expect(inRow).toEqual(fresh);
      }),
      { numRuns: 150 },
    );
  });
});

describe('narrow F32 tensors', () => {
  it('f32TopBin names the bin of every kind of part', () => {
    const bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0];
    expect(f32TopBin(bits(1))).toBe(127);
    expect(f32TopBin(bits(-1))).toBe(256 + 127);
    expect(f32TopBin(bits(2 ** -149))).toBe(512); // the smallest subnormal: mantissa bit 0
    expect(f32TopBin(bits(-(2 ** -127)))).toBe(512 + 32 + 22);
    for (const v of [0, -0, NaN, Infinity, -Infinity]) {
      expect(f32TopBin(bits(v))).toBe(-1);
    }
  });

  const part = fc.constantFrom(
    0,
    -0,
    1.5,
    -2,
    3e38,
    -3.4028234663852886e38,
    2 ** -149,
    -(2 ** -140),
    2 ** -127,
    NaN,
    Infinity,
    -Infinity,
    0.1,
  );

  it('give the stats of the WASM kernel, which reads every bin (fast-check)', () => {
    const wasmAt = createWasmKernel(tensorOf('F32', 4));
    if (wasmAt === null) {
      return; // no WASM SIMD here: scan-reference.test.ts still checks the JS kernel
    }
    wasmAt.release?.();
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: NARROW_F32_PARTS + 4 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        (values, histogram, cut) => {
          const data = f32(...values);
          const js = scan('F32', data, histogram, [cut]);
          const wasm = createWasmKernel(tensorOf('F32', data.length));
          expect(wasm).not.toBeNull();
          if (wasm !== null) {
            const dense = feedInCuts(wasm, 'F32', data, [cut]);
            expect(js).toEqual(histogram ? dense : { ...dense, histogram: null });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('tiny byte tensors', () => {
  it('give the stats of the WASM kernel, which folds every bin (fast-check)', () => {
    const probe = createWasmKernel(tensorOf('F8_E4M3', 1));
    if (probe === null) {
      return; // no WASM SIMD here: scan-reference.test.ts still checks the JS kernel
    }
    probe.release?.();
    const byteDtypes: Dtype[] = ['F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F4', 'U8', 'I8', 'BOOL'];
    fc.assert(
      fc.property(
        fc.constantFrom(...byteDtypes),
        fc.array(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff, 0x7c, 0xfc, 0x38, 0x21), {
          minLength: 1,
          maxLength: TOUCHED_BYTES_LIMIT + 4,
        }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        (dtype, list, histogram, cut) => {
          const data = Uint8Array.from(list);
          const js = scan(dtype, data, histogram, [cut]);
          const wasm = createWasmKernel(tensorOf(dtype, data.length));
          expect(wasm).not.toBeNull();
          if (wasm !== null) {
            const dense = feedInCuts(wasm, dtype, data, [cut]);
            expect(js).toEqual(histogram ? dense : { ...dense, histogram: null });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
