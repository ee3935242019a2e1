import { describe, expect, it } from 'vitest';
import { summarizeCells } from './cell-summary';
import { layoutLayerGrid } from './heatmap-layout';
import { overviewMarks } from './overview-marks';
import { groupRows } from './row-grid';
import { makeRow } from './test-rows';

describe('overviewMarks', () => {
  it('marks each row holding NaN or Inf once, NaN first, at its share of the height', () => {
    const rows = [];
    for (let layer = 0; layer < 400; layer += 1) {
      const nan = layer === 7 || layer === 399 ? 1 : 0;
      const posInf = layer === 7 || layer === 200 ? 2 : 0;
      rows.push(makeRow(`model.layers.${layer}.mlp.up_proj.weight`, { nan, posInf }));
      rows.push(makeRow(`model.layers.${layer}.mlp.down_proj.weight`, { nan }));
    }
    const layout = layoutLayerGrid(groupRows(rows));
    const marks = overviewMarks(layout, summarizeCells(layout.cells, rows));
    expect(marks).toEqual([
      { row: 7, kind: 'nan', at: 7 / 400 },
      { row: 200, kind: 'inf', at: 200 / 400 },
      { row: 399, kind: 'nan', at: 399 / 400 },
    ]);
  });
});
