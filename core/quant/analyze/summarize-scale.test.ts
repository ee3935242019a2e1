import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../dtype/dtype';
import { decodeToFloat64 } from '../../dtype/decode-value';
import { F8_E4M3_TABLE, F8_E8M0_TABLE } from '../../dtype/fp8';
import type { ScaleEncoding } from '../quant-layout';
import { f32Bytes } from '../testing/encode';
import { headerOf } from '../testing/open-fixture';
import { swizzledShape, swizzleIndex, unswizzleIndex } from '../swizzle';
import type { ScaleGeometry } from './summarize-scale';
import { summarizeScale } from './summarize-scale';

describe('summarizeScale', () => {
  it('decodes U8 bytes by role and counts NaN, zero, saturated and tiny values', async () => {
    const { header, sources } = headerOf([
      {
        name: 's',
        dtype: 'U8',
        shape: [6],
        data: Uint8Array.from([0x7f, 0xff, 0x00, 0x7e, 0x01, 0x38]),
      },
    ]);
    const ref = { file: header.fileName, info: header.tensors[0] };
    const sink: number[] = [];
    const s = await summarizeScale(
      sources,
      ref,
      'e4m3',
      { sliceElements: 6, swizzle: null },
      { chunkBytes: 4 },
      (v, _slice, times) => {
        for (let k = 0; k < times; k++) {
          sink.push(v);
        }
      },
    );
    expect(s).toMatchObject({
      elements: 6,
      padding: 0,
      nan: 2,
      zero: 1,
      saturated: 1,
      subnormal: 1,
      min: 0,
      max: 448,
      value: null,
    });
    expect(s.codes?.[0x7f]).toBe(1);
    expect(sink).toHaveLength(6);
    const e8m0 = await summarizeScale(
      sources,
      ref,
      'e8m0',
      { sliceElements: 6, swizzle: null },
      {},
    );
    expect(e8m0).toMatchObject({ nan: 1, zero: 0, subnormal: 1 });
  });

  it('leaves swizzle padding out and reports slices', async () => {
    const bytes = new Uint8Array(128 * 4);
    bytes[swizzleIndex(0, 0, 1)] = 0x38;
    bytes[swizzleIndex(1, 0, 1)] = 0x40;
    bytes[swizzleIndex(100, 0, 1)] = 0x7f; // padding
    const { header, sources } = headerOf([
      { name: 's', dtype: 'U8', shape: [128, 4], data: bytes },
    ]);
    const s = await summarizeScale(
      sources,
      { file: header.fileName, info: header.tensors[0] },
      'e4m3',
      { sliceElements: 512, swizzle: { rows: 2, cols: 1 } },
      {},
    );
    expect(s).toMatchObject({ elements: 2, padding: 510, nan: 0, min: 1, max: 2 });
  });

  it('summarizes float scales: Inf, negative, subnormal, and a one-element value', async () => {
    const { header, sources } = headerOf([
      { name: 'g', dtype: 'F32', shape: [4], data: f32Bytes([Infinity, -2, 1e-40, 3]) },
      { name: 'x', dtype: 'F32', shape: [], data: f32Bytes([NaN]) },
    ]);
    const g = await summarizeScale(
      sources,
      { file: header.fileName, info: header.tensors[0] },
      'float',
      { sliceElements: 4, swizzle: null },
      {},
    );
    expect(g).toMatchObject({ posInf: 1, negative: 1, subnormal: 1, min: -2, max: 3, codes: null });
    const x = await summarizeScale(
      sources,
      { file: header.fileName, info: header.tensors[1] },
      'float',
      { sliceElements: 1, swizzle: null },
      {},
    );
    expect(x).toMatchObject({ nan: 1, min: null, max: null });
    expect(x.value).toBeNaN();
  });
});

/** Element by element, the way the summary is defined: the independent reference of the fast path. */
function referenceSummary(
  bytes: Uint8Array,
  dtype: Dtype,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
): { counts: Record<string, number | null>; sink: Map<string, number> } {
  const eb = dtype === 'F32' ? 4 : dtype === 'BF16' || dtype === 'F16' ? 2 : 1;
  const n = bytes.length / eb;
  const values =
    encoding === 'e4m3'
      ? Array.from(bytes, (b) => F8_E4M3_TABLE[b])
      : encoding === 'e8m0'
        ? Array.from(bytes, (b) => F8_E8M0_TABLE[b])
        : Array.from(decodeToFloat64(dtype, bytes, n));
  // Largest finite magnitudes, written out: E4M3 448, E8M0 2^127, else the dtype's own.
  const largestOfDtype: Partial<Record<Dtype, number>> = {
    F8_E5M2: 57344,
    F16: 65504,
    BF16: (2 - 2 ** -7) * 2 ** 127,
    F32: (2 - 2 ** -23) * 2 ** 127,
  };
  const largest =
    encoding === 'e4m3' ? 448 : encoding === 'e8m0' ? 2 ** 127 : (largestOfDtype[dtype] ?? NaN);
  const c = { elements: 0, padding: 0, nan: 0, posInf: 0, zero: 0, saturated: 0 };
  let min = Infinity;
  let max = -Infinity;
  const sink = new Map<string, number>();
  for (let p = 0; p < n; p++) {
    const slice = Math.floor(p / geometry.sliceElements);
    const sw = geometry.swizzle;
    if (sw !== null) {
      const at = unswizzleIndex(p % geometry.sliceElements, sw.cols);
      if (at.row >= sw.rows || at.col >= sw.cols) {
        c.padding++;
        continue;
      }
    }
    const v = values[p];
    c.elements++;
    const key = `${slice}:${v}`;
    sink.set(key, (sink.get(key) ?? 0) + 1);
    if (Number.isNaN(v)) {
      c.nan++;
    } else if (v === Infinity) {
      c.posInf++;
    } else if (v !== -Infinity) {
      c.zero += v === 0 ? 1 : 0;
      c.saturated += Math.abs(v) === largest ? 1 : 0;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return {
    counts: {
      ...c,
      min: Number.isFinite(min) ? min : null,
      max: Number.isFinite(max) ? max : null,
    },
    sink,
  };
}

describe('summarizeScale against an element-by-element reference', () => {
  const cases: readonly { dtype: Dtype; encoding: ScaleEncoding }[] = [
    { dtype: 'U8', encoding: 'e4m3' },
    { dtype: 'F8_E4M3', encoding: 'e4m3' },
    { dtype: 'U8', encoding: 'e8m0' },
    { dtype: 'F8_E5M2', encoding: 'float' },
    { dtype: 'BF16', encoding: 'float' },
    { dtype: 'F16', encoding: 'float' },
    { dtype: 'F32', encoding: 'float' },
  ];

  it('gives the same counts, range and (slice, value) multiplicities for any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cases),
        fc.record({
          slices: fc.integer({ min: 1, max: 3 }),
          rows: fc.integer({ min: 1, max: 200 }),
          cols: fc.integer({ min: 1, max: 9 }),
          swizzled: fc.boolean(),
          chunkBytes: fc.integer({ min: 1, max: 5000 }),
          seed: fc.integer(),
        }),
        async ({ dtype, encoding }, g) => {
          const [pr, pc] = g.swizzled ? swizzledShape(g.rows, g.cols) : [g.rows, g.cols];
          const sliceElements = pr * pc;
          const eb = dtype === 'F32' ? 4 : dtype === 'BF16' || dtype === 'F16' ? 2 : 1;
          const data = new Uint8Array(g.slices * sliceElements * eb);
          let x = g.seed | 1;
          for (let i = 0; i < data.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            // Mostly a few codes (so multiplicities repeat), sometimes any byte (NaN, Inf, max).
            data[i] = (x & 7) === 0 ? x >>> 24 : 0x38 + (x & 3);
          }
          const { header, sources } = headerOf([
            { name: 's', dtype, shape: [g.slices, pr, pc], data },
          ]);
          const geometry: ScaleGeometry = {
            sliceElements,
            swizzle: g.swizzled ? { rows: g.rows, cols: g.cols } : null,
          };
          const sink = new Map<string, number>();
          const s = await summarizeScale(
            sources,
            { file: header.fileName, info: header.tensors[0] },
            encoding,
            geometry,
            { chunkBytes: g.chunkBytes },
            (v, slice, times) => {
              const key = `${slice}:${v}`;
              sink.set(key, (sink.get(key) ?? 0) + times);
            },
          );
          const want = referenceSummary(data, dtype, encoding, geometry);
          expect(s).toMatchObject(want.counts);
          expect(sink).toEqual(want.sink);
        },
      ),
      { numRuns: 150 },
    );
  });
});
