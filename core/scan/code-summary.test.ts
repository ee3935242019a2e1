import { describe, expect, it } from 'vitest';
import { sparseCounts, summarizeCodes } from './code-summary';
import { valueRules } from './value-rules';

describe('sparseCounts', () => {
  it('keeps the non-zero bins in code order', () => {
    expect(sparseCounts([0, 3, 0, 1])).toEqual({ codes: [1, 3], counts: [3, 1] });
  });
});

describe('summarizeCodes', () => {
  it('classifies each code once, weighted by its count', () => {
    // codes 0..4 stand for 0, 1, -448, NaN, 2^-9 (an F8_E4M3 subnormal)
    const values = [0, 1, -448, NaN, 2 ** -9];
    const visited: [number, number][] = [];
    const s = summarizeCodes(
      { codes: [0, 1, 2, 3, 4], counts: [2, 3, 1, 4, 2] },
      (c) => values[c],
      valueRules('F8_E4M3'),
      (v, n) => visited.push([v, n]),
    );
    expect(s).toMatchObject({
      nan: 4,
      zero: 2,
      negative: 1,
      saturated: 1,
      subnormal: 2,
      min: -448,
      max: 1,
    });
    const finite = [0, 0, 1, 1, 1, -448, 2 ** -9, 2 ** -9];
    const mean = finite.reduce((a, b) => a + b) / finite.length;
    expect(s.mean).toBeCloseTo(mean, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / 8), 10);
    expect(visited).toEqual([
      [1, 3],
      [-448, 1],
      [2 ** -9, 2],
    ]);
  });

  it('leaves moments null when nothing is finite', () => {
    const s = summarizeCodes({ codes: [0], counts: [5] }, () => NaN, valueRules('F16'));
    expect(s).toMatchObject({ nan: 5, min: null, max: null, mean: null, std: null });
  });
});
