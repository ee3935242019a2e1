import { describe, expect, it } from 'vitest';
import { summarizeCells } from './cell-summary';
import { layoutLayerGrid } from './heatmap-layout';
import { CELL_CLASS, paintCells } from './heatmap-paint';
import { groupRows } from './row-grid';
import { makeRow } from './test-rows';

const rows = [
  makeRow('layers.0.attn.q.weight', { zero: 1000 }),
  makeRow('layers.0.mlp.up.weight', { zero: 0, nan: 1 }),
  makeRow('layers.1.attn.q.weight', { posInf: 3 }),
  makeRow('layers.1.mlp.up.weight', null),
  makeRow('layers.2.attn.q.weight', { zero: 1 }),
  makeRow('layers.2.attn.q.bias', null),
  makeRow('layers.0.mlp.experts.3.w1.weight', {}),
];
const layout = layoutLayerGrid(groupRows(rows));
const summaries = summarizeCells(layout.cells, rows);
const classesOf = (module: string, layer: string) => {
  const index = layout.cells.findIndex((c) => c.module === module && c.layer === layer);
  return paintCells(layout.cells, summaries, 'zero').classNames[index].split(' ');
};

describe('paintCells', () => {
  it('scales over the scanned cells', () => {
    expect(paintCells(layout.cells, summaries, 'zero').scale).toEqual({ min: 0, max: 1000 });
  });

  it('colours by level, top level for the max', () => {
    expect(classesOf('attn.q', '0')).toEqual([CELL_CLASS.base, 'hm-l9']);
  });

  it('marks NaN whatever the metric, and Inf without NaN', () => {
    expect(classesOf('mlp.up', '0')).toEqual([CELL_CLASS.base, 'hm-l0', CELL_CLASS.nan]);
    expect(classesOf('attn.q', '1')).toEqual([CELL_CLASS.base, 'hm-l0', CELL_CLASS.inf]);
  });

  it('marks pending and partially scanned cells', () => {
    expect(classesOf('mlp.up', '1')).toEqual([CELL_CLASS.base, CELL_CLASS.pending]);
    expect(classesOf('attn.q', '2')).toContain(CELL_CLASS.partial);
  });

  it('marks drill-down cells', () => {
    expect(classesOf('mlp.experts.w1', '0')).toContain(CELL_CLASS.drill);
  });
});
