import { describe, expect, it } from 'vitest';
import { createGridCache, groupRows, layerKeyOf, sameTensors } from './row-grid';
import { makeRow } from './test-rows';

describe('layerKeyOf', () => {
  it('parses the tensor name once per header entry', () => {
    const row = makeRow('model.layers.4.mlp.experts.9.up_proj.weight_scale', null);
    const first = layerKeyOf(row);
    expect(first).toEqual({
      layer: 4,
      module: 'mlp.experts.up_proj',
      expert: 9,
      param: 'weight_scale',
    });
    // Stats arrive: a new row object, the same header entry, the same parsed key.
    expect(layerKeyOf({ ...row, stats: makeRow('x').stats })).toBe(first);
  });
});

describe('groupRows', () => {
  it('groups rows by layer and module', () => {
    const grid = groupRows([
      makeRow('blocks.1.ffn.0.weight'),
      makeRow('blocks.0.ffn.0.weight_scale'),
    ]);
    expect(grid.layers).toEqual([0, 1]);
    expect(grid.modules).toEqual(['ffn.0']);
  });
});

describe('createGridCache', () => {
  it('keeps the grid while only stats change', () => {
    const cache = createGridCache();
    const before = [makeRow('layers.0.a.weight', null), makeRow('layers.1.a.weight', null)];
    const grid = cache.gridFor(before);
    const after = [makeRow('layers.0.a.weight', { nan: 1 }), before[1]];
    expect(cache.gridFor(after)).toBe(grid);
    expect(cache.gridFor([...after, makeRow('lm_head.weight')])).not.toBe(grid);
  });

  it('compares tensors by key and order', () => {
    const a = makeRow('a');
    const b = makeRow('b');
    expect(sameTensors([a, b], [makeRow('a', null), b])).toBe(true);
    expect(sameTensors([a, b], [b, a])).toBe(false);
    expect(sameTensors([a], [a, b])).toBe(false);
  });
});
