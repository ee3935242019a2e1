import { describe, expect, it } from 'vitest';
import { cellMetric, cellState, pickWorstTensor, summarizeRows } from './cell-summary';
import { allIndices, makeRow } from './test-rows';
import type { TensorRow } from '../../model/tensor-row';

const summarize = (rows: readonly TensorRow[]) => summarizeRows(rows, allIndices(rows));
const pick = (rows: readonly TensorRow[], metric: Parameters<typeof pickWorstTensor>[2]) =>
  pickWorstTensor(rows, allIndices(rows), metric);

describe('summarizeRows', () => {
  it('adds counts and takes the max absmax over scanned rows', () => {
    const summary = summarize([
      makeRow('a', { nan: 2, posInf: 1, negInf: 2, saturated: 3, zero: 4, absmax: 448 }),
      makeRow('b', { nan: 1, zero: 1, absmax: 2 }),
      makeRow('c', null),
    ]);
    expect(summary).toEqual({
      tensors: 3,
      scanned: 2,
      nan: 3,
      inf: 3,
      saturated: 3,
      zero: 5,
      absmax: 448,
      findings: 0,
      missing: 0,
      failed: 0,
    });
  });

  it('counts missing and failed tensors, and the cell state says which', () => {
    const missing = { ...makeRow('m', null), missing: true };
    const failed = { ...makeRow('f', null), failed: true };
    expect(summarize([missing, makeRow('a', { nan: 1 })])).toMatchObject({ missing: 1, failed: 0 });
    expect(cellState(summarize([missing, makeRow('a', { nan: 1 })]))).toBe('missing');
    expect(cellState(summarize([failed, makeRow('a', {})]))).toBe('failed');
    expect(cellState(summarize([makeRow('a', {}), makeRow('b', null)]))).toBe('pending');
    expect(cellState(summarize([makeRow('a', {})]))).toBe('scanned');
  });

  it('counts findings whether or not the tensors are scanned', () => {
    const rows = [
      { ...makeRow('a', null), findings: 2 },
      { ...makeRow('b', { nan: 1 }), findings: 1 },
    ];
    const summary = summarize(rows);
    expect(summary.findings).toBe(3);
    expect(cellMetric(summary, 'findings')).toBe(3);
    expect(cellMetric(summarize([{ ...makeRow('c', null), findings: 1 }]), 'findings')).toBe(1);
  });

  it('has no absmax without finite values', () => {
    expect(summarize([makeRow('a', { absmax: null })]).absmax).toBeNull();
    expect(summarize([]).absmax).toBeNull();
  });
});

describe('cellMetric', () => {
  const summary = summarize([
    makeRow('a', { nan: 1, negInf: 2, saturated: 3, zero: 4, absmax: 5 }),
  ]);

  it('reads each metric', () => {
    expect(cellMetric(summary, 'nan')).toBe(1);
    expect(cellMetric(summary, 'inf')).toBe(2);
    expect(cellMetric(summary, 'saturated')).toBe(3);
    expect(cellMetric(summary, 'zero')).toBe(4);
    expect(cellMetric(summary, 'absmax')).toBe(5);
  });

  it('is null until something is scanned', () => {
    expect(cellMetric(summarize([makeRow('a', null)]), 'nan')).toBeNull();
  });
});

describe('pickWorstTensor', () => {
  it('prefers the most NaN whatever the metric', () => {
    const rows = [makeRow('a', { zero: 100 }), makeRow('b', { nan: 1 }), makeRow('c', { nan: 3 })];
    expect(pick(rows, 'zero')).toBe('0:c');
  });

  it('without NaN takes the highest metric value', () => {
    const rows = [makeRow('a', { zero: 1 }), makeRow('b', { zero: 7 }), makeRow('c', null)];
    expect(pick(rows, 'zero')).toBe('0:b');
  });

  it('only looks at the given indices', () => {
    const rows = [makeRow('a', { nan: 9 }), makeRow('b', null), makeRow('c', { zero: 1 })];
    expect(pickWorstTensor(rows, [1, 2], 'zero')).toBe('0:c');
    expect(pickWorstTensor(rows, [1], 'nan')).toBe('0:b');
  });

  it('falls back to the first row', () => {
    expect(pick([makeRow('a', null), makeRow('b', {})], 'inf')).toBe('0:a');
    expect(pick([], 'nan')).toBeNull();
  });
});
