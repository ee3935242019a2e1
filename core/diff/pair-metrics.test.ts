import { describe, expect, it } from 'vitest';
import { CosineAccumulator, PairMetrics } from './pair-metrics';

describe('PairMetrics', () => {
  it('counts NaN/Inf per side and leaves them out of the norms', () => {
    const a = Float64Array.of(1, 2, NaN, 4, Infinity, 1e308, 5);
    const b = Float64Array.of(1, 2.5, NaN, NaN, 3, -1e308, -Infinity);
    const m = new PairMetrics();
    m.add(a, 0, b, 0, 3);
    m.add(a, 3, b, 3, 4);
    const s = m.summary();
    expect(s).toMatchObject({ nanA: 1, nanB: 2, infA: 1, infB: 1, newNonFiniteB: 2 });
    // Finite pairs: (1,1), (2,2.5), (1e308,-1e308): the last one's error overflows.
    expect(s.elements).toBe(3);
    expect(s.maxAbsError).toBe(Infinity);
    // Equal values: 1 == 1 and NaN with NaN.
    expect(s.bitIdentical).toBeCloseTo(2 / 7, 12);
  });

  it('SQNR, relative L2, cosine and max error of plain numbers', () => {
    const a = Float64Array.of(3, 4);
    const b = Float64Array.of(3, 3);
    const m = new PairMetrics();
    m.add(a, 0, b, 0, 2);
    const s = m.summary();
    expect(s.sqnrDb).toBeCloseTo(10 * Math.log10(25), 12);
    expect(s.relL2).toBeCloseTo(1 / 5, 12);
    expect(s.cosine).toBeCloseTo(21 / (5 * Math.sqrt(18)), 12);
    expect(s.maxAbsError).toBe(1);
    const c = new CosineAccumulator();
    c.add(a, 0, Float64Array.of(3, NaN, 3), 0, 2);
    expect(c.cosine()).toBe(1);
  });

  it('no SQNR when A and B agree exactly or A is zero', () => {
    const m = new PairMetrics();
    m.add(Float64Array.of(1, -2), 0, Float64Array.of(1, -2), 0, 2);
    expect(m.summary()).toMatchObject({ sqnrDb: null, relL2: 0, maxAbsError: 0, bitIdentical: 1 });
    const z = new PairMetrics();
    z.add(Float64Array.of(0, 0), 0, Float64Array.of(1, 0), 0, 2);
    expect(z.summary()).toMatchObject({ sqnrDb: null, relL2: null, cosine: null });
  });
});
