import { describe, expect, it } from 'vitest';
import { WeightTally } from './weight-pass';

describe('WeightTally', () => {
  it('counts codes, int4 levels and zeroed blocks', () => {
    const t = new WeightTally({
      kind: 'int4',
      packing: 'awq-gemm',
      groupSize: 2,
      outFeatures: 8,
      inFeatures: 2,
      elementShape: [2, 8],
      zeroPoints: true,
      zeroOffset: 0,
      groupIndex: false,
    });
    t.element(0, 15, 14);
    t.element(1, 0, -16);
    t.zeroed(3);
    t.zeroed(3);
    t.zeroed(4);
    const s = t.finish('w', 'f');
    expect(s).toMatchObject({ codeKind: 'int4', elements: 2, zeroScaleBlocks: 2, zeroedCodes: 3 });
    expect(s.codes[15]).toBe(1);
    expect(s.levels?.min).toBe(-16);
    expect(s.levels?.counts[14 + 16]).toBe(1);
    expect(s.levels?.counts[0]).toBe(1);
  });

  it('keeps 256 FP8 byte bins and no levels for float codes', () => {
    const t = new WeightTally({
      kind: 'fp8',
      weightDtype: 'F8_E4M3',
      scaleEncoding: 'float',
      blockRows: 1,
      blockCols: 1,
      elementShape: [1, 1],
      scaleShape: [1, 1],
    });
    t.element(0, 0xfe, -448);
    const s = t.finish('w', 'f');
    expect(s.codes).toHaveLength(256);
    expect(s.codes[0xfe]).toBe(1);
    expect(s.levels).toBeNull();
  });
});

const FP8_LAYOUT = {
  kind: 'fp8',
  weightDtype: 'F8_E4M3',
  scaleEncoding: 'float',
  blockRows: 1,
  blockCols: 1,
  elementShape: [1, 6],
  scaleShape: [1, 1],
} as const;

describe('WeightTally: the streamed mean and max of |dequantized weight|', () => {
  it('over the finite values only, as numpy computes them', () => {
    const t = new WeightTally(FP8_LAYOUT);
    const values = [0.5, -2, 3.25, Number.NaN, -Infinity, 0];
    values.forEach((v, i) => t.element(i, 0, 0, v));
    const s = t.finish('w', 'f');
    // numpy: np.abs([0.5, -2, 3.25, 0]).mean() = 1.4375, .max() = 3.25
    expect(s.absMean).toBe(1.4375);
    expect(s.absMax).toBe(3.25);
    expect(s.elements).toBe(6);
  });

  it('null when no value is finite', () => {
    const t = new WeightTally(FP8_LAYOUT);
    t.element(0, 0x7f, Number.NaN, Number.NaN);
    expect(t.finish('w', 'f')).toMatchObject({ absMean: null, absMax: null });
  });
});
