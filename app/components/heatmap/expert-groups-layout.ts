import type { ExpertGrid } from '../../../core/layout/group-experts';
import { expertCellKey } from '../../../core/layout/group-experts';
import { compareLayers, layerLabel } from '../../../core/layout/layer-grid';
import type { ColumnGroup, HeatCell, HeatmapLayout } from './heatmap-layout';
import { makeGridIndex } from './heatmap-layout';

/** Empty columns between two projections, so their experts read as separate blocks. */
const GROUP_SEPARATOR_COLUMNS = 1;

/** `mlp.experts.gate_proj` → `mlp.experts`; a module without a dot is its own parent. */
export function parentModule(module: string): string {
  const dot = module.lastIndexOf('.');
  return dot < 0 ? module : module.slice(0, dot);
}

/** The last part of a module: `mlp.experts.gate_proj` → `gate_proj`. */
export function projectionName(module: string): string {
  return module.slice(module.lastIndexOf('.') + 1);
}

/**
 * The expert projections drawn next to `module` in its drill-down: every module of the grid under
 * the same parent (gate, up and down side by side), in the grid's column order.
 */
export function siblingExpertModules(modules: readonly string[], module: string): string[] {
  const parent = parentModule(module);
  const siblings = modules.filter((m) => m !== module && parentModule(m) === parent);
  return siblings.length === 0 || !modules.includes(module)
    ? [module]
    : modules.filter((m) => m === module || siblings.includes(m));
}

/**
 * The drill-down of several expert projections side by side: rows are the layers of any of them,
 * columns are each projection's experts in turn, separated by an empty column. Cells keep their
 * own projection as `module`, so `data-module` names what the cell holds.
 */
export function layoutExpertGroups(grids: readonly ExpertGrid<number>[]): HeatmapLayout {
  const shown = grids.filter((g) => g.experts.length > 0);
  const layerSet = new Set<number | null>();
  for (const grid of shown) {
    for (const layer of grid.layers) {
      layerSet.add(layer);
    }
  }
  const layers = [...layerSet].sort(compareLayers);
  const columnLabels: string[] = [];
  const columnGroups: ColumnGroup[] = [];
  const starts: number[] = [];
  shown.forEach((grid, g) => {
    if (g > 0) {
      for (let k = 0; k < GROUP_SEPARATOR_COLUMNS; k += 1) {
        columnLabels.push('');
      }
    }
    starts.push(columnLabels.length);
    columnGroups.push({
      label: projectionName(grid.module),
      start: columnLabels.length,
      count: grid.experts.length,
    });
    for (const expert of grid.experts) {
      columnLabels.push(String(expert));
    }
  });
  const cells: HeatCell[] = [];
  layers.forEach((layer, row) => {
    shown.forEach((grid, g) => {
      grid.experts.forEach((expert, e) => {
        const cell = grid.cells.get(expertCellKey(layer, expert));
        if (cell !== undefined) {
          cells.push({
            layer: layerLabel(layer),
            module: grid.module,
            expert,
            rowIndices: cell.entries.map((entry) => entry.item),
            drillExperts: 0,
            row,
            col: starts[g] + e,
          });
        }
      });
    });
  });
  return {
    rowLabels: layers.map(layerLabel),
    columnLabels,
    cells,
    gridIndex: makeGridIndex(layers.length, columnLabels.length, cells),
    outsideIndices: [],
    columnGroups,
  };
}
