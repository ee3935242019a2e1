import { describe, expect, it } from 'vitest';
import { diffVerdict } from './diff-checkpoints';
import type { DiffReport, PairResult } from './diff-types';

function pair(fields: Partial<PairResult>): PairResult {
  return {
    name: 'w',
    module: 'w',
    layer: null,
    expert: null,
    a: { dtype: 'F32', shape: [2], scheme: null },
    b: { dtype: 'F32', shape: [2], scheme: null },
    identical: false,
    sqnrDb: 30,
    relL2: 0.03,
    cosine: 0.999,
    maxAbsError: 0.1,
    bitIdentical: 0,
    nanA: 0,
    nanB: 0,
    infA: 0,
    infB: 0,
    newNonFiniteB: 0,
    elements: 2,
    notCompared: null,
    ...fields,
  };
}

function report(pairs: PairResult[]): DiffReport {
  return {
    a: { path: 'a', scheme: 'none' },
    b: { path: 'b', scheme: 'none' },
    pairs,
    onlyA: [],
    onlyB: [],
    findings: [],
    errors: [],
  };
}

describe('diffVerdict', () => {
  it('passes compared pairs above the bar, fails below it', () => {
    expect(diffVerdict(report([pair({})]), 20)).toBe(0);
    expect(diffVerdict(report([pair({})]), 31)).toBe(1);
    expect(diffVerdict(report([pair({})]), null)).toBe(0);
  });

  it('fails NaN/Inf new in B, and a pair that was not compared', () => {
    expect(diffVerdict(report([pair({ newNonFiniteB: 1 })]), null)).toBe(1);
    expect(diffVerdict(report([pair({ notCompared: 'shape changed', sqnrDb: null })]), null)).toBe(
      1,
    );
  });

  it('A = 0 against B ≠ 0 is an SQNR of −∞ under --min-sqnr; exact agreement is +∞', () => {
    const zero = pair({ sqnrDb: null, relL2: null, cosine: null, maxAbsError: 0.5 });
    expect(diffVerdict(report([zero]), 10)).toBe(1);
    const exact = pair({ sqnrDb: null, relL2: 0, maxAbsError: 0 });
    expect(diffVerdict(report([exact]), 1000)).toBe(0);
    expect(diffVerdict(report([pair({ identical: true, sqnrDb: null })]), 1000)).toBe(0);
  });
});
