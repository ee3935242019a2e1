import type { Metric } from '../../model/tensor-row';
import { cellMetric } from './cell-summary';
import type { CellSummary } from './cell-summary';
import { colourLevel, makeColourScale } from './colour-scale';
import type { ColourScale } from './colour-scale';
import type { HeatCell } from './heatmap-layout';

/** CSS classes of heatmap.css; the only place class names are spelled out. */
export const CELL_CLASS = {
  base: 'hm-cell',
  /** `hm-l0` .. `hm-l9`: the colour step. */
  levelPrefix: 'hm-l',
  /** No tensor of the cell is scanned yet: hatched grey. */
  pending: 'hm-pending',
  /** Some tensors are scanned: colour plus a light hatch. */
  partial: 'hm-partial',
  /** Holds NaN: red whatever the metric. */
  nan: 'hm-nan',
  /** Holds Inf (and no NaN): warning outline whatever the metric. */
  inf: 'hm-inf',
  /** A click opens the expert drill-down. */
  drill: 'hm-drill',
} as const;

export interface Painting {
  readonly scale: ColourScale;
  /** Parallel to the layout's cells. */
  readonly classNames: readonly string[];
}

/** Class strings by flag code: a drill-down paints 24k cells, most sharing a handful of strings. */
const classNameCache = new Map<number, string>();

const FLAG_PARTIAL = 1;
const FLAG_NAN = 2;
const FLAG_INF = 4;
const FLAG_DRILL = 8;
/** Codes below this carry flags; the level (or -1 for pending) sits above. */
const FLAG_SPAN = 16;

function buildClassName(level: number | null, flags: number): string {
  const names: string[] = [CELL_CLASS.base];
  if (level === null) {
    names.push(CELL_CLASS.pending);
  } else {
    names.push(`${CELL_CLASS.levelPrefix}${level}`);
  }
  if ((flags & FLAG_PARTIAL) !== 0) {
    names.push(CELL_CLASS.partial);
  }
  if ((flags & FLAG_NAN) !== 0) {
    names.push(CELL_CLASS.nan);
  } else if ((flags & FLAG_INF) !== 0) {
    names.push(CELL_CLASS.inf);
  }
  if ((flags & FLAG_DRILL) !== 0) {
    names.push(CELL_CLASS.drill);
  }
  return names.join(' ');
}

function classNameOf(
  cell: HeatCell,
  summary: CellSummary,
  value: number | null,
  scale: ColourScale,
): string {
  const level = value === null ? null : colourLevel(value, scale);
  const flags =
    (value !== null && summary.scanned < summary.tensors ? FLAG_PARTIAL : 0) |
    (summary.nan > 0 ? FLAG_NAN : 0) |
    (summary.inf > 0 ? FLAG_INF : 0) |
    (cell.drillExperts > 0 ? FLAG_DRILL : 0);
  const code = ((level ?? -1) + 1) * FLAG_SPAN + flags;
  let name = classNameCache.get(code);
  if (name === undefined) {
    name = buildClassName(level, flags);
    classNameCache.set(code, name);
  }
  return name;
}

/** Colours every cell for one metric on a shared log scale; `summaries` is parallel to `cells`. */
export function paintCells(
  cells: readonly HeatCell[],
  summaries: readonly CellSummary[],
  metric: Metric,
): Painting {
  const values = summaries.map((summary) => cellMetric(summary, metric));
  const scale = makeColourScale(values);
  return {
    scale,
    classNames: cells.map((cell, i) => classNameOf(cell, summaries[i], values[i], scale)),
  };
}
