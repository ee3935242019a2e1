import { describe, expect, it } from 'vitest';
import { groupIntoGrid } from './group-grid';
import { cellKey } from './layer-grid';
import { parseLayerKey } from './layer-key';

const byName = (name: string) => parseLayerKey(name);

describe('groupIntoGrid', () => {
  const names = [
    'model.embed_tokens.weight',
    'model.layers.10.self_attn.q_proj.weight',
    'model.layers.2.self_attn.q_proj.weight',
    'model.layers.2.self_attn.q_proj.weight_scale',
    'model.layers.2.mlp.experts.0.down_proj.weight',
    'model.layers.2.mlp.experts.1.down_proj.weight',
    'model.layers.10.mlp.experts.0.down_proj.weight',
    'model.norm.weight',
    'lm_head.weight',
  ];
  const grid = groupIntoGrid(names, byName);

  it('sorts layers numerically, not as strings', () => {
    expect(grid.layers).toEqual([2, 10]);
  });

  it('orders the block columns canonically', () => {
    expect(grid.modules).toEqual(['self_attn.q_proj', 'mlp.experts.down_proj']);
  });

  it('keeps the outside row apart, in first-seen order', () => {
    expect(grid.outside.map((c) => c.module)).toEqual([
      'model.embed_tokens',
      'model.norm',
      'lm_head',
    ]);
    expect(grid.outside.every((c) => c.layer === null)).toBe(true);
  });

  it('aggregates every parameter and expert of a layer x module', () => {
    expect(grid.cells.get(cellKey(2, 'self_attn.q_proj'))?.entries.map((e) => e.item)).toEqual([
      'model.layers.2.self_attn.q_proj.weight',
      'model.layers.2.self_attn.q_proj.weight_scale',
    ]);
    expect(grid.cells.get(cellKey(2, 'mlp.experts.down_proj'))?.entries).toHaveLength(2);
    expect(grid.cells.get(cellKey(null, 'lm_head'))?.entries).toHaveLength(1);
    expect(grid.cells.get(cellKey(10, 'self_attn.k_proj'))).toBeUndefined();
  });

  it('places every item exactly once', () => {
    const placed = [...grid.cells.values()].flatMap((c) => c.entries.map((e) => e.item));
    expect(placed.sort()).toEqual([...names].sort());
  });

  it('handles an empty checkpoint', () => {
    expect(groupIntoGrid([], byName)).toEqual({
      layers: [],
      modules: [],
      outside: [],
      cells: new Map(),
    });
  });
});
