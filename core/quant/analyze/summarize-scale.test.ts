import { describe, expect, it } from 'vitest';
import { swizzleIndex } from '../swizzle';
import { f32Bytes } from '../testing/encode';
import { headerOf } from '../testing/open-fixture';
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
      (v) => sink.push(v),
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
