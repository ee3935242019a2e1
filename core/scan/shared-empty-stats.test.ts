import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../format/tensor-info';
import { EmptyTensorStats } from './empty-tensor-stats';
import { SharedEmptyStats } from './shared-empty-stats';

function empty(name: string, dtype: TensorInfo['dtype']): TensorInfo {
  return { name, dtype, shape: [0], offset: 0, nbytes: 0, elements: 0 };
}

describe('SharedEmptyStats', () => {
  const kernel = new EmptyTensorStats({ wasm: false });
  const shared = new SharedEmptyStats();

  it('gives every zero-byte tensor of a dtype one object, equal to its stats but for the name', () => {
    const a = kernel.of(empty('a', 'F32'), true);
    const b = kernel.of(empty('b', 'F32'), true);
    const one = shared.of(a);
    expect(shared.of(b)).toBe(one);
    expect(one).toEqual({ ...a, name: '' });
    expect(Object.isFrozen(one)).toBe(true);
  });

  it('keeps dtypes, and stats with and without a histogram, apart', () => {
    const f32 = shared.of(kernel.of(empty('a', 'F32'), true));
    const noHistogram = shared.of(kernel.of(empty('a', 'F32'), false));
    const e4m3 = shared.of(kernel.of(empty('a', 'F8_E4M3'), true));
    expect(noHistogram).not.toBe(f32);
    expect(noHistogram.histogram).toBeNull();
    expect(e4m3).not.toBe(f32);
    expect(e4m3.dtype).toBe('F8_E4M3');
    expect(e4m3.histogram?.kind).toBe('codes');
  });
});
