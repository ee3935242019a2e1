import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../core/format/tensor-info';
import type { QuantModule } from '../core/quant/quant-types';
import { ANALYZE_JOB_MAX_MODULES, JOB_MAX_BYTES, planThreadJobs } from './thread-jobs';

const info = (nbytes: number): TensorInfo => ({
  name: 't',
  dtype: 'U8',
  shape: [nbytes],
  offset: 0,
  nbytes,
  elements: nbytes,
});

/** A module whose scale holds `scaleBytes` and whose weight is large (not counted: read rarely). */
const module = (scaleBytes: number) =>
  ({
    tensors: {
      weight: { file: 'a', info: info(1 << 30) },
      scale: { file: 'a', info: info(scaleBytes) },
    },
  }) as unknown as QuantModule;

function analyzeRanges(modules: readonly QuantModule[]): [number, number][] {
  return planThreadJobs([], modules).flatMap((j) =>
    j.kind === 'analyze' ? [[j.first, j.count] as [number, number]] : [],
  );
}

describe('planThreadJobs: module analyses in batches', () => {
  it('cuts consecutive modules into batches of ANALYZE_JOB_MAX_MODULES, every module once, in order', () => {
    const n = ANALYZE_JOB_MAX_MODULES * 2 + 7;
    const ranges = analyzeRanges(Array.from({ length: n }, () => module(16)));
    expect(ranges).toEqual([
      [0, ANALYZE_JOB_MAX_MODULES],
      [ANALYZE_JOB_MAX_MODULES, ANALYZE_JOB_MAX_MODULES],
      [2 * ANALYZE_JOB_MAX_MODULES, 7],
    ]);
  });

  it('closes a batch before its scales pass JOB_MAX_BYTES (the weights do not count)', () => {
    const big = JOB_MAX_BYTES / 2 - 1;
    expect(analyzeRanges([module(big), module(big), module(big), module(1)])).toEqual([
      [0, 2],
      [2, 2],
    ]);
    // A module over the limit alone is still one job.
    expect(analyzeRanges([module(JOB_MAX_BYTES * 2), module(1)])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it('no modules, no analysis jobs; they come after the priority scans, before the bulk', () => {
    expect(analyzeRanges([])).toEqual([]);
    const jobs = planThreadJobs([[info(16), info(128 << 20)]], [module(16)]);
    expect(jobs.map((j) => j.kind)).toEqual(['scan', 'analyze', 'scan']);
  });
});
