import { describe, expect, it } from 'vitest';
import { groupExperts } from '../../../core/layout/group-experts';
import {
  layoutExpertGroups,
  parentModule,
  projectionName,
  siblingExpertModules,
} from './expert-groups-layout';
import { groupRows } from './row-grid';
import { makeRow } from './test-rows';

const names: string[] = [];
for (let layer = 0; layer < 2; layer += 1) {
  names.push(`model.layers.${layer}.self_attn.q_proj.weight`);
  for (let expert = 0; expert < 3; expert += 1) {
    for (const proj of ['gate_proj', 'up_proj', 'down_proj']) {
      names.push(`model.layers.${layer}.mlp.experts.${expert}.${proj}.weight`);
    }
  }
}
const rows = names.map((n) => makeRow(n, n.includes('1.mlp.experts.2.up') ? { nan: 1 } : {}));
const grid = groupRows(rows);

describe('expert drill-down of every projection', () => {
  it('names parents and projections', () => {
    expect(parentModule('mlp.experts.gate_proj')).toBe('mlp.experts');
    expect(projectionName('mlp.experts.gate_proj')).toBe('gate_proj');
    expect(parentModule('lm_head')).toBe('lm_head');
  });

  it('finds the sibling projections in column order', () => {
    expect(siblingExpertModules(grid.modules, 'mlp.experts.up_proj')).toEqual([
      'mlp.experts.gate_proj',
      'mlp.experts.up_proj',
      'mlp.experts.down_proj',
    ]);
    expect(siblingExpertModules(grid.modules, 'absent')).toEqual(['absent']);
  });

  it('lays the projections side by side with a separator column', () => {
    const modules = siblingExpertModules(grid.modules, 'mlp.experts.gate_proj');
    const layout = layoutExpertGroups(modules.map((m) => groupExperts(grid, m)));
    expect(layout.rowLabels).toEqual(['0', '1']);
    expect(layout.columnLabels).toEqual(['0', '1', '2', '', '0', '1', '2', '', '0', '1', '2']);
    expect(layout.columnGroups).toEqual([
      { label: 'gate_proj', start: 0, count: 3 },
      { label: 'up_proj', start: 4, count: 3 },
      { label: 'down_proj', start: 8, count: 3 },
    ]);
    expect(layout.cells).toHaveLength(18);
    const bad = layout.cells.find((c) => c.layer === '1' && c.expert === 2 && c.col === 6);
    expect(bad?.module).toBe('mlp.experts.up_proj');
    expect(rows[bad?.rowIndices[0] ?? -1].info.name).toBe(
      'model.layers.1.mlp.experts.2.up_proj.weight',
    );
    // The separators hold no cell.
    expect(layout.gridIndex[3]).toBe(-1);
    expect(layout.gridIndex[7]).toBe(-1);
  });
});
