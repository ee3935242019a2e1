import { describe, expect, it } from 'vitest';
import { groupExperts } from '../../../core/layout/group-experts';
import { summarizeCells } from './cell-summary';
import { cellTitle } from './cell-tooltip';
import { findCellOfRow, layoutExpertGrid, layoutLayerGrid, rowTitle } from './heatmap-layout';
import { groupRows } from './row-grid';
import { makeRow } from './test-rows';

const rows = [
  makeRow('model.embed_tokens.weight'),
  makeRow('model.layers.0.self_attn.q_proj.weight', { nan: 2 }),
  makeRow('model.layers.0.self_attn.q_proj.weight_scale', { nan: 1 }),
  makeRow('model.layers.0.mlp.experts.0.down_proj.weight', { zero: 5 }),
  makeRow('model.layers.0.mlp.experts.1.down_proj.weight', null),
  makeRow('model.layers.1.mlp.experts.1.down_proj.weight', { nan: 7 }),
  makeRow('lm_head.weight', null),
];
const grid = groupRows(rows);

describe('layoutLayerGrid', () => {
  const layout = layoutLayerGrid(grid);
  const summaries = summarizeCells(layout.cells, rows);

  it('lays out layers x modules, row-major, empties as -1', () => {
    expect(layout.rowLabels).toEqual(['0', '1']);
    expect(layout.columnLabels).toEqual(['self_attn.q_proj', 'mlp.experts.down_proj']);
    expect([...layout.gridIndex]).toEqual([0, 1, -1, 2]);
  });

  it('carries the DOM contract values', () => {
    const [q, experts0, experts1] = layout.cells;
    expect(q).toMatchObject({
      layer: '0',
      module: 'self_attn.q_proj',
      expert: null,
      drillExperts: 0,
    });
    expect(summaries[0].nan).toBe(3);
    expect(experts0).toMatchObject({
      layer: '0',
      module: 'mlp.experts.down_proj',
      drillExperts: 2,
    });
    expect(summaries[1]).toMatchObject({ tensors: 2, scanned: 1, nan: 0 });
    expect(experts1).toMatchObject({ layer: '1', row: 1, col: 1 });
  });

  it('counts the distinct experts of a cell, small and very large indices alike', () => {
    const experts = [3, 0, 3, 70_000, 5, 70_000, 0, 65_535, 65_536];
    const moe = experts.map((e, i) =>
      makeRow(`model.layers.2.mlp.experts.${e}.up_proj.weight${i % 2 === 0 ? '' : '_scale'}`),
    );
    const cells = layoutLayerGrid(groupRows(moe)).cells;
    expect(cells.map((c) => c.drillExperts)).toEqual([new Set(experts).size]);
    // Counted again per cell (stamps do not carry over between cells or layouts).
    expect(layoutLayerGrid(groupRows(moe)).cells[0].drillExperts).toBe(6);
  });

  it('puts the outside tensors in the strip after the grid', () => {
    expect(layout.outsideIndices).toEqual([3, 4]);
    expect(layout.outsideIndices.map((i) => layout.cells[i].layer)).toEqual(['outside', 'outside']);
    expect(layout.cells[4]).toMatchObject({ module: 'lm_head', row: null, col: null });
  });

  it('finds the cell of every tensor', () => {
    expect(findCellOfRow(layout, 2)).toBe(0);
    expect(findCellOfRow(layout, 6)).toBe(4);
    expect(findCellOfRow(layout, 99)).toBeNull();
    const placed = layout.cells.flatMap((c) => c.rowIndices).sort((a, b) => a - b);
    expect(placed).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('tooltips name the place and the action', () => {
    expect(cellTitle(layout.cells[1], summaries[1])).toContain('layer 0 · mlp.experts.down_proj');
    expect(cellTitle(layout.cells[1], summaries[1])).toContain('open the 2 experts');
    expect(cellTitle(layout.cells[3], summaries[3])).toContain(
      'outside layers · model.embed_tokens',
    );
  });
});

describe('layoutExpertGrid', () => {
  const layout = layoutExpertGrid(groupExperts(grid, 'mlp.experts.down_proj'));
  const summaries = summarizeCells(layout.cells, rows);

  it('lays out layers x experts', () => {
    expect(layout.rowLabels).toEqual(['0', '1']);
    expect(layout.columnLabels).toEqual(['0', '1']);
    expect([...layout.gridIndex]).toEqual([0, 1, -1, 2]);
    expect(layout.outsideIndices).toEqual([]);
  });

  it('carries the expert in the contract', () => {
    expect(layout.cells.map((c, i) => [c.layer, c.module, c.expert, summaries[i].nan])).toEqual([
      ['0', 'mlp.experts.down_proj', 0, 0],
      ['0', 'mlp.experts.down_proj', 1, 0],
      ['1', 'mlp.experts.down_proj', 1, 7],
    ]);
    expect(cellTitle(layout.cells[2], summaries[2])).toContain(
      'layer 1 · mlp.experts.down_proj · expert 1',
    );
  });
});

describe('rowTitle', () => {
  it('names layers and the outside row', () => {
    expect(rowTitle('12')).toBe('layer 12');
    expect(rowTitle('outside')).toBe('outside layers');
  });
});

describe('large grids', () => {
  it('lays out 94 layers x 256 experts quickly', () => {
    const many = [];
    for (let layer = 0; layer < 94; layer += 1) {
      for (let expert = 0; expert < 256; expert += 1) {
        const name = `model.layers.${layer}.mlp.experts.${expert}.down_proj.weight`;
        many.push(makeRow(name, { zero: expert }));
      }
    }
    const started = performance.now();
    const big = groupRows(many);
    const main = layoutLayerGrid(big);
    const drill = layoutExpertGrid(groupExperts(big, 'mlp.experts.down_proj'));
    const summaries = summarizeCells(drill.cells, many);
    const titles = drill.cells.map((cell, i) => cellTitle(cell, summaries[i]));
    const elapsed = performance.now() - started;
    expect(main.cells).toHaveLength(94);
    expect(drill.cells).toHaveLength(94 * 256);
    expect(titles).toHaveLength(94 * 256);
    expect(drill.gridIndex.every((i) => i >= 0)).toBe(true);
    // Generous bound for slow CI machines; typically ~100 ms.
    expect(elapsed).toBeLessThan(2000);
  });
});
