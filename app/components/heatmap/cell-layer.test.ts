import { describe, expect, it } from 'vitest';
import { groupExperts } from '../../../core/layout/group-experts';
import { buildCellLayer, updateCellLayer } from './cell-layer';
import type { CellDom, CellNode, CellPaint } from './cell-layer';
import { summarizeCells } from './cell-summary';
import { cellTitle } from './cell-tooltip';
import { layoutExpertGrid, layoutLayerGrid } from './heatmap-layout';
import type { HeatmapLayout } from './heatmap-layout';
import { paintCells } from './heatmap-paint';
import { groupRows } from './row-grid';
import { makeRow } from './test-rows';
import type { TensorRow } from '../../model/tensor-row';

/** A stand-in for a DOM element: records what the layer sets. */
class FakeNode implements CellNode {
  className = '';
  title = '';
  readonly attributes = new Map<string, string>();
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
}

function fakeDom(): CellDom<FakeNode> & { mounted: readonly FakeNode[] } {
  const dom = {
    mounted: [] as readonly FakeNode[],
    create: () => new FakeNode(),
    mount: (nodes: readonly FakeNode[]) => {
      dom.mounted = nodes;
    },
  };
  return dom;
}

function paintOf(layout: HeatmapLayout, rows: readonly TensorRow[]): CellPaint {
  const summaries = summarizeCells(layout.cells, rows);
  return {
    summaries,
    classNames: paintCells(layout.cells, summaries, 'nan').classNames,
    titles: layout.cells.map((cell, i) => cellTitle(cell, summaries[i])),
  };
}

const rows = [
  makeRow('model.layers.0.self_attn.q_proj.weight', { nan: 4 }),
  makeRow('model.layers.1.mlp.experts.3.down_proj.weight', null),
  makeRow('lm_head.weight'),
];

describe('buildCellLayer', () => {
  const layout = layoutLayerGrid(groupRows(rows));
  const dom = fakeDom();
  const layer = buildCellLayer(dom, layout, paintOf(layout, rows));

  it('mounts one element per grid position, placeholders where no tensor lives', () => {
    expect(dom.mounted).toHaveLength(4);
    expect(dom.mounted.map((n) => n.attributes.get('data-testid') ?? n.className)).toEqual([
      'heatmap-cell',
      'hm-void',
      'hm-void',
      'heatmap-cell',
    ]);
  });

  it('sets the DOM contract attributes', () => {
    const [q, , , experts] = dom.mounted;
    expect(Object.fromEntries(q.attributes)).toEqual({
      'data-testid': 'heatmap-cell',
      'data-layer': '0',
      'data-module': 'self_attn.q_proj',
      'data-nan': '4',
      'data-state': 'scanned',
      'data-index': '0',
    });
    expect(experts.attributes.get('data-nan')).toBe('0');
    expect(experts.attributes.get('data-state')).toBe('pending');
    expect(experts.className).toContain('hm-pending');
    expect(q.title).toContain('NaN 4');
  });

  it('leaves outside-strip cells to React', () => {
    expect(layer.nodes).toHaveLength(3);
    expect(layer.nodes[2]).toBeNull();
  });

  it('repaints only what changed', () => {
    const scanned = [
      rows[0],
      makeRow('model.layers.1.mlp.experts.3.down_proj.weight', { nan: 2 }),
      rows[2],
    ];
    expect(updateCellLayer(layer, paintOf(layout, scanned))).toBe(1);
    expect(dom.mounted[3].attributes.get('data-nan')).toBe('2');
    expect(dom.mounted[3].className).toContain('hm-nan');
    expect(updateCellLayer(layer, paintOf(layout, scanned))).toBe(0);
  });
});

describe('buildCellLayer (experts)', () => {
  it('adds data-expert in the drill-down', () => {
    const grid = groupRows(rows);
    const layout = layoutExpertGrid(groupExperts(grid, 'mlp.experts.down_proj'));
    const dom = fakeDom();
    buildCellLayer(dom, layout, paintOf(layout, rows));
    expect(Object.fromEntries(dom.mounted[0].attributes)).toMatchObject({
      'data-layer': '1',
      'data-module': 'mlp.experts.down_proj',
      'data-expert': '3',
    });
  });
});
