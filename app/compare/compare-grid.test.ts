import { describe, expect, it } from 'vitest';
import type { PairResult } from '../../core/diff/diff-types';
import { cellKeyOf, compareGrid, worstFirst } from './compare-grid';

function pair(
  name: string,
  layer: number | null,
  module: string,
  sqnrDb: number | null,
  identical = false,
): PairResult {
  return {
    name,
    module,
    layer,
    expert: null,
    a: { dtype: 'BF16', shape: [2, 2], scheme: null },
    b: { dtype: 'U8', shape: [2, 1], scheme: 'nvfp4' },
    identical,
    sqnrDb,
    relL2: null,
    cosine: null,
    maxAbsError: null,
    bitIdentical: null,
    nanA: null,
    nanB: null,
    infA: null,
    infB: null,
    newNonFiniteB: null,
    elements: null,
    notCompared: null,
  };
}

describe('compareGrid', () => {
  it('keeps the worst pair of each layer x module cell and skips pairs outside layers', () => {
    const grid = compareGrid([
      pair('l1.e0', 1, 'mlp.experts.down_proj', 18),
      pair('l1.e1', 1, 'mlp.experts.down_proj', 3),
      pair('l0.q', 0, 'self_attn.q_proj', 21),
      pair('head', null, 'lm_head', null, true),
    ]);
    expect(grid.layers).toEqual([0, 1]);
    expect(grid.modules).toEqual(['mlp.experts.down_proj', 'self_attn.q_proj']);
    const cell = grid.cells.get(cellKeyOf(1, 'mlp.experts.down_proj'));
    expect(cell?.worst.name).toBe('l1.e1');
    expect(cell?.pairs).toBe(2);
  });

  it('orders pairs worst first, identical last', () => {
    const order = worstFirst([
      pair('same', 0, 'm', null, true),
      pair('b', 0, 'm', 20),
      pair('a', 0, 'm', 2),
    ]);
    expect(order.map((p) => p.name)).toEqual(['a', 'b', 'same']);
  });
});
