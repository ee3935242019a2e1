import { describe, expect, it } from 'vitest';
import { F8_E4M3_TABLE } from '../../dtype/fp8';
import {
  e2m1,
  nvfp4Global,
  quantizeFp8,
  quantizeInt4,
  quantizeInt4Symmetric,
  quantizeMxfp4,
  quantizeNf4,
  quantizeNvfp4,
} from './quantize';

const m = (rows: number, cols: number, f: (i: number) => number) => ({
  rows,
  cols,
  values: Float64Array.from({ length: rows * cols }, (_, i) => f(i)),
});

describe('fixture quantizers follow formats.md', () => {
  it('NVFP4: global = amax/(6·448), the amax block gets scale 448 and code 6', () => {
    const w = m(1, 16, (i) => (i === 3 ? 2.688 : 0.1));
    const q = quantizeNvfp4(w);
    expect(q.global).toBeCloseTo(nvfp4Global(w.values));
    expect(q.global).toBeCloseTo(2.688 / 2688);
    expect(F8_E4M3_TABLE[q.scales[0]]).toBe(448);
    expect(e2m1(q.codes[3])).toBe(6);
  });
  it('MXFP4: power-of-two scale covering amax / 6', () => {
    const q = quantizeMxfp4(m(1, 32, (i) => (i === 0 ? 12 : 1)));
    expect(q.scales[0]).toBe(128);
    expect(e2m1(q.codes[0])).toBe(6);
  });
  it('FP8: amax/448 per block', () => {
    const q = quantizeFp8(
      m(2, 2, (i) => i + 1),
      1,
      2,
    );
    expect(Array.from(q.scales)).toEqual([2 / 448, 4 / 448]);
    expect(F8_E4M3_TABLE[q.codes[1]]).toBe(448);
  });
  it('int4 asymmetric and symmetric', () => {
    const q = quantizeInt4(
      m(1, 2, (i) => (i === 0 ? -1.5 : 0)),
      1,
      () => 0,
    );
    expect([q.scales[0], q.zeros[0], q.q[0], q.q[1]]).toEqual([0.1, 15, 0, 15]);
    const s = quantizeInt4Symmetric(
      m(1, 2, (i) => (i === 0 ? -7 : 7)),
      2,
    );
    expect([s.scales[0], s.q[0], s.q[1]]).toEqual([1, -7, 7]);
  });
  it('NF4: nearest table entry of w / absmax', () => {
    const q = quantizeNf4(Float64Array.of(-2, 2, 0), 64);
    expect(Array.from(q.absmax)).toEqual([2]);
    expect(Array.from(q.codes)).toEqual([0, 15, 7]);
  });
});
