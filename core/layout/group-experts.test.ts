import { describe, expect, it } from 'vitest';
import { expertCellKey, groupExperts, hasExperts } from './group-experts';
import { groupIntoGrid } from './group-grid';
import { cellKey } from './layer-grid';
import { parseLayerKey } from './layer-key';

const names = [
  'model.layers.3.mlp.experts.10.down_proj.weight',
  'model.layers.3.mlp.experts.10.down_proj.weight_scale_inv',
  'model.layers.3.mlp.experts.2.down_proj.weight',
  'model.layers.1.mlp.experts.2.down_proj.weight',
  'model.layers.1.mlp.experts.2.up_proj.weight',
  'model.layers.1.mlp.shared_experts.down_proj.weight',
  'model.layers.1.mlp.experts.gate_up_proj_blocks',
  'experts.5.down_proj.weight',
];
const grid = groupIntoGrid(names, (n) => parseLayerKey(n));

describe('groupExperts', () => {
  const experts = groupExperts(grid, 'mlp.experts.down_proj');

  it('lists layers and experts numerically', () => {
    expect(experts.layers).toEqual([1, 3]);
    expect(experts.experts).toEqual([2, 10]);
  });

  it('groups all parameters of one expert', () => {
    expect(experts.cells.get(expertCellKey(3, 10))?.entries.map((e) => e.key.param)).toEqual([
      'weight',
      'weight_scale_inv',
    ]);
    expect(experts.cells.get(expertCellKey(1, 10))).toBeUndefined();
  });

  it('puts experts outside layers in a last row', () => {
    expect(groupExperts(grid, 'experts.down_proj').layers).toEqual([null]);
  });
});

describe('hasExperts', () => {
  const cell = (layer: number, module: string) => {
    const found = grid.cells.get(cellKey(layer, module));
    if (found === undefined) {
      throw new Error(`no cell ${layer} ${module}`);
    }
    return found;
  };

  it('is true for per-expert tensors only', () => {
    expect(hasExperts(cell(3, 'mlp.experts.down_proj'))).toBe(true);
    expect(hasExperts(cell(1, 'mlp.shared_experts.down_proj'))).toBe(false);
    expect(hasExperts(cell(1, 'mlp.experts.gate_up_proj'))).toBe(false);
  });
});
