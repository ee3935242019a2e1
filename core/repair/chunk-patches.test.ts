import { describe, expect, it } from 'vitest';
import { chunkPatches } from './chunk-patches';
import { F16_LAYOUT, F32_LAYOUT } from './replacement';

describe('chunkPatches', () => {
  it('FP8: one patch per NaN byte, indices relative to the tensor; scales positive, weights signed', () => {
    const chunk = Uint8Array.of(0x7f, 0x80, 0xff, 0x00);
    const max = { kind: 'max' } as const;
    expect(
      chunkPatches({ kind: 'fp8', treatedAs: 'F8_E4M3', role: 'fp8-weight', rule: max }, chunk, 10),
    ).toEqual([
      { flatIndex: 10, tensorByte: 10, old: 0x7f, new: 0x7e },
      { flatIndex: 12, tensorByte: 12, old: 0xff, new: 0xfe },
    ]);
    expect(
      chunkPatches({ kind: 'fp8', treatedAs: 'F8_E4M3', role: 'fp8-scale', rule: max }, chunk, 10),
    ).toEqual([
      { flatIndex: 10, tensorByte: 10, old: 0x7f, new: 0x7e },
      { flatIndex: 12, tensorByte: 12, old: 0xff, new: 0x7e },
    ]);
  });

  it('E8M0: 0xFF only', () => {
    const chunk = Uint8Array.of(0xff, 0x7f, 0xfe, 0xff);
    expect(
      chunkPatches(
        { kind: 'e8m0', treatedAs: 'F8_E8M0', role: 'mx-block-scale', byte: 0x7f },
        chunk,
        0,
      ).map((p) => p.flatIndex),
    ).toEqual([0, 3]);
  });

  it('floats: only the bytes that change, sharing the element index', () => {
    // F16 +Inf 0x7C00 (00 7C) -> max 0x7BFF (FF 7B): both bytes; F16 1.0 untouched.
    const chunk = Uint8Array.of(0x00, 0x3c, 0x00, 0x7c);
    expect(
      chunkPatches(
        { kind: 'float', treatedAs: 'F16', role: 'float-value', layout: F16_LAYOUT, rule: 'max' },
        chunk,
        4,
      ),
    ).toEqual([
      { flatIndex: 3, tensorByte: 6, old: 0x00, new: 0xff },
      { flatIndex: 3, tensorByte: 7, old: 0x7c, new: 0x7b },
    ]);
  });

  it('stops once it has more patches than the limit, the first ones as without a limit', () => {
    const fp8 = {
      kind: 'fp8',
      treatedAs: 'F8_E4M3',
      role: 'fp8-weight',
      rule: { kind: 'max' },
    } as const;
    const nan = new Uint8Array(1000).fill(0x7f);
    const all = chunkPatches(fp8, nan, 0);
    expect(all).toHaveLength(1000);
    expect(chunkPatches(fp8, nan, 0, 10)).toEqual(all.slice(0, 11));
    expect(chunkPatches(fp8, nan, 0, 1000)).toEqual(all);
    // Floats: whole elements, so up to one element's bytes past the limit.
    const f32 = {
      kind: 'float',
      treatedAs: 'F32',
      role: 'float-value',
      layout: F32_LAYOUT,
      rule: 'zero',
    } as const;
    const inf = new Uint8Array(new Float32Array(100).fill(Number.POSITIVE_INFINITY).buffer);
    const some = chunkPatches(f32, inf, 0, 5);
    expect(some.length).toBeGreaterThan(5);
    expect(some.length).toBeLessThanOrEqual(5 + 4);
    expect(some).toEqual(chunkPatches(f32, inf, 0).slice(0, some.length));
  });

  it('rejects chunks that are not whole float elements (a caller bug)', () => {
    const rule = {
      kind: 'float',
      treatedAs: 'F32',
      role: 'float-value',
      layout: F32_LAYOUT,
      rule: 'zero',
    } as const;
    expect(() => chunkPatches(rule, new Uint8Array(3), 0)).toThrow(RangeError);
    expect(() => chunkPatches(rule, new Uint8Array(4), 2)).toThrow(RangeError);
  });
});
