import { cellState } from './cell-summary';
import type { CellSummary } from './cell-summary';
import type { HeatmapLayout } from './heatmap-layout';

/**
 * The grid's cells, built with plain DOM calls instead of React: a 94 x 256 expert drill-down is
 * 24k elements, which React takes seconds to create on a slow machine and this does in a fraction.
 * Only attributes and className are set (never innerHTML): tensor names stay inert text.
 * Written against the few DOM members it uses, so tests run without a browser.
 */
export interface CellNode {
  className: string;
  title: string;
  setAttribute(name: string, value: string): void;
}

export interface CellDom<N extends CellNode> {
  /** A new, detached element. */
  create(): N;
  /** Replaces the host's children with these, in order. */
  mount(nodes: readonly N[]): void;
}

/** What changes while scanning or when the metric changes; arrays parallel to layout.cells. */
export interface CellPaint {
  readonly summaries: readonly CellSummary[];
  readonly classNames: readonly string[];
  readonly titles: readonly string[];
}

export interface CellLayer<N extends CellNode> {
  readonly layout: HeatmapLayout;
  /** The element of each layout cell; null for outside-strip cells (drawn by React). */
  readonly nodes: readonly (N | null)[];
  /** What each element shows now: [className, title, data-nan, data-state] per cell. */
  readonly shown: { className: string; title: string; nan: string; state: string }[];
}

/** Class of a grid position without tensors: keeps the auto-placed cells in their columns. */
const VOID_CLASS = 'hm-void';

function paintNode(node: CellNode, shown: CellLayer<CellNode>['shown'][number]): void {
  node.className = shown.className;
  node.title = shown.title;
  node.setAttribute('data-nan', shown.nan);
  node.setAttribute('data-state', shown.state);
}

function shownOf(paint: CellPaint, index: number): CellLayer<CellNode>['shown'][number] {
  return {
    className: paint.classNames[index],
    title: paint.titles[index],
    nan: String(paint.summaries[index].nan),
    state: cellState(paint.summaries[index]),
  };
}

/** Creates one element per grid position (row-major) and mounts them. */
export function buildCellLayer<N extends CellNode>(
  dom: CellDom<N>,
  layout: HeatmapLayout,
  paint: CellPaint,
): CellLayer<N> {
  const nodes: (N | null)[] = layout.cells.map(() => null);
  const shown = layout.cells.map((_, i) => shownOf(paint, i));
  const ordered: N[] = [];
  for (const index of layout.gridIndex) {
    const node = dom.create();
    if (index < 0) {
      node.className = VOID_CLASS;
    } else {
      const cell = layout.cells[index];
      node.setAttribute('data-testid', 'heatmap-cell');
      node.setAttribute('data-layer', cell.layer);
      node.setAttribute('data-module', cell.module);
      if (cell.expert !== null) {
        node.setAttribute('data-expert', String(cell.expert));
      }
      node.setAttribute('data-index', String(index));
      paintNode(node, shown[index]);
      nodes[index] = node;
    }
    ordered.push(node);
  }
  dom.mount(ordered);
  return { layout, nodes, shown };
}

/** Repaints the cells whose class, title or NaN count changed; returns how many. */
export function updateCellLayer<N extends CellNode>(layer: CellLayer<N>, paint: CellPaint): number {
  let changed = 0;
  layer.nodes.forEach((node, index) => {
    if (node === null) {
      return;
    }
    const next = shownOf(paint, index);
    const prev = layer.shown[index];
    if (
      prev.className !== next.className ||
      prev.title !== next.title ||
      prev.nan !== next.nan ||
      prev.state !== next.state
    ) {
      paintNode(node, next);
      layer.shown[index] = next;
      changed += 1;
    }
  });
  return changed;
}
