import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../core/format/tensor-info';
import type { FileResult } from '../core/report/json-report';
import type { TensorStats } from '../core/scan/tensor-stats';
import { anyBadValues, wholeAndClean } from './file-stats';

const info = (name: string): TensorInfo => ({
  name,
  dtype: 'F32',
  shape: [1],
  offset: 0,
  nbytes: 4,
  elements: 1,
});
const stats = (name: string, nan: number, negInf = 0) =>
  ({ name, nan, posInf: 0, negInf }) as TensorStats;

function file(names: string[], scanned: TensorStats[], valid = true): FileResult {
  const tensors = names.map(info);
  return {
    path: 'a.safetensors',
    size: 12,
    header: valid
      ? {
          fileName: 'a.safetensors',
          fileSize: 12,
          headerLength: 0,
          dataStart: 8,
          metadata: null,
          tensors,
          byName: new Map(tensors.map((t) => [t.name, t])),
        }
      : null,
    stats: new Map(scanned.map((s) => [s.name, s])),
  };
}

describe('file stats without a lookup per tensor', () => {
  it('whole and clean: every header tensor has stats and none holds NaN/Inf', () => {
    expect(wholeAndClean(file(['a', 'b'], [stats('a', 0), stats('b', 0)]))).toBe(true);
    expect(wholeAndClean(file([], []))).toBe(true);
  });

  it('not whole: a tensor left unscanned, or an invalid file', () => {
    expect(wholeAndClean(file(['a', 'b'], [stats('b', 0)]))).toBe(false);
    expect(wholeAndClean(file(['a'], [], false))).toBe(false);
  });

  it('not clean: any NaN or Inf, found in one pass over the stats', () => {
    const f = file(['a', 'b', 'c'], [stats('a', 0), stats('b', 0, 1), stats('c', 0)]);
    expect(anyBadValues(f)).toBe(true);
    expect(wholeAndClean(f)).toBe(false);
    expect(anyBadValues(file(['a'], [stats('a', 0)]))).toBe(false);
  });
});
