import { describe, expect, it } from 'vitest';
import { f32Bytes } from '../testing/encode';
import { moduleFrom } from '../testing/open-fixture';
import { swizzleIndex } from '../swizzle';
import { Collector } from '../testing/collector';
import { decodeWeights } from './decode-weights';

const f32 = (name: string, v: number) => ({
  name,
  dtype: 'F32' as const,
  shape: [],
  data: f32Bytes([v]),
});

describe('decodeFp4', () => {
  it('reports non-zero codes under a zero block scale, once per code, with the scale index', async () => {
    // Two rows of 16: row 0 scale 0 over codes (1, 0, 0...), row 1 scale 0 over zeros only.
    const { module, sources } = moduleFrom(
      [
        {
          name: 'a.weight',
          dtype: 'U8',
          shape: [2, 8],
          data: Uint8Array.from([0x01, 0x10, 0, 0, 0, 0, 0, 0, ...new Array<number>(8).fill(0)]),
        },
        {
          name: 'a.weight_scale',
          dtype: 'F8_E4M3',
          shape: [2, 1],
          data: Uint8Array.from([0x00, 0x80]),
        },
        f32('a.weight_scale_2', 1),
      ],
      'a',
    );
    const c = new Collector();
    await decodeWeights({ sources, module, options: { chunkBytes: 5 } }, c);
    expect(c.values.size).toBe(32);
    expect(c.zeroedScales).toEqual([0, 0]);
  });

  it('pairs swizzled scales with their rows and transposed expert scales with their columns', async () => {
    const scale = new Uint8Array(128 * 4);
    scale[swizzleIndex(1, 0, 1)] = 0x00; // row 1 zeroed, row 0 keeps 0x38
    scale[swizzleIndex(0, 0, 1)] = 0x38;
    const comfy = moduleFrom(
      [
        { name: 'c.comfy_quant', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
        { name: 'c.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16).fill(0x22) },
        { name: 'c.weight_scale', dtype: 'U8', shape: [128, 4], data: scale },
        f32('c.weight_scale_2', 1),
      ],
      'c',
    );
    const c1 = new Collector();
    await decodeWeights({ ...comfy, options: {} }, c1);
    expect(c1.values.get(0)).toBe(1);
    expect(c1.values.get(16)).toBe(0);
    expect(c1.zeroedScales.length).toBe(16);
    expect(new Set(c1.zeroedScales)).toEqual(new Set([1]));

    // BMM experts: weight [1, 8, 2] (in 16, out 2), scale [1, 1, 2]: out column 1 has scale 0.
    const bmm = moduleFrom(
      [
        {
          name: 'e.experts.down',
          dtype: 'U8',
          shape: [1, 8, 2],
          data: new Uint8Array(16).fill(0x11),
        },
        {
          name: 'e.experts.down_weight_scale',
          dtype: 'F8_E4M3',
          shape: [1, 1, 2],
          data: Uint8Array.from([0x38, 0x00]),
        },
        f32('e.experts.down_weight_scale_2', 2),
      ],
      'e.experts.down',
    );
    const c2 = new Collector();
    await decodeWeights({ ...bmm, options: {} }, c2);
    expect(c2.values.get(0)).toBe(1); // (in 0, out 0): 0.5 · 1 · 2
    expect(c2.values.get(1)).toBe(0); // (in 0, out 1): scale 0
    expect(c2.values.get(15 * 2)).toBe(1); // (in 15, out 0)
    expect(new Set(c2.zeroedScales)).toEqual(new Set([1]));
    expect(c2.zeroedScales.length).toBe(16);
  });
});
