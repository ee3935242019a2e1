import type { Metric } from '../../model/tensor-row';
import type { CellSummary } from './cell-summary';
import { rowTitle } from './heatmap-layout';
import type { HeatCell } from './heatmap-layout';
import { PENDING_WORDING } from '../../remote/unread-wording';

/** Thousands separators: a drill-down titles 24k cells, and Intl.NumberFormat is ~10x slower. */
const THOUSANDS_RE = /\B(?=(\d{3})+$)/g;

/** absmax is shown with this many significant digits, in exponent notation outside [1e-3, 1e6). */
const ABSMAX_DIGITS = 4;
const EXPONENT_BELOW = 1e-3;
const EXPONENT_ABOVE = 1e6;

export const METRIC_LABELS: Readonly<Record<Metric, string>> = {
  nan: 'NaN',
  inf: 'Inf',
  saturated: 'saturated',
  zero: 'zero',
  absmax: 'absmax',
  findings: 'findings',
};

/** An exact count with `,` every three digits (locale-independent). */
export function formatCount(count: number): string {
  const digits = String(count);
  return /^\d+$/.test(digits) ? digits.replace(THOUSANDS_RE, ',') : digits;
}

export function formatAbsmax(value: number | null): string {
  if (value === null) {
    return '—';
  }
  if (value === 0) {
    return '0';
  }
  const magnitude = Math.abs(value);
  return magnitude < EXPONENT_BELOW || magnitude >= EXPONENT_ABOVE
    ? value.toExponential(ABSMAX_DIGITS - 1)
    : String(Number(value.toPrecision(ABSMAX_DIGITS)));
}

export function formatMetricValue(metric: Metric, value: number): string {
  return metric === 'absmax' ? formatAbsmax(value) : formatCount(value);
}

export interface CellPlace {
  /** `layer 3`, `outside layers`. */
  readonly row: string;
  readonly module: string;
  readonly expert: number | null;
  /** Experts behind a click (drill-down), 0 when the click selects a tensor. */
  readonly drillExperts: number;
}

/** The hover text of a cell: place, exact counts, scan progress and what a click does. */
export function describeCell(
  place: CellPlace,
  s: CellSummary,
  unscanned: string = PENDING_WORDING,
): string {
  const where = [place.row, place.module];
  if (place.expert !== null) {
    where.push(`expert ${place.expert}`);
  }
  const pending = s.tensors - s.scanned;
  const tensors = `${formatCount(s.tensors)} tensor${s.tensors === 1 ? '' : 's'}`;
  const progress =
    pending === 0
      ? `${tensors}, all scanned`
      : `${tensors}: ${formatCount(s.scanned)} scanned, ${formatCount(pending)} ${unscanned === PENDING_WORDING ? 'pending' : unscanned}`;
  const counts =
    s.scanned === 0
      ? unscanned
      : [
          `NaN ${formatCount(s.nan)}`,
          `Inf ${formatCount(s.inf)}`,
          `saturated ${formatCount(s.saturated)}`,
          `zero ${formatCount(s.zero)}`,
          `absmax ${formatAbsmax(s.absmax)}`,
        ].join(' · ');
  const action =
    place.drillExperts > 0
      ? `Click to open the ${formatCount(place.drillExperts)} experts`
      : 'Click to open the worst tensor';
  return [where.join(' · '), counts, progress, action].join('\n');
}

/** The hover text of a laid-out cell. */
export function cellTitle(cell: HeatCell, summary: CellSummary, unscanned?: string): string {
  const { module, expert, drillExperts } = cell;
  return describeCell(
    { row: rowTitle(cell.layer), module, expert, drillExperts },
    summary,
    unscanned,
  );
}
