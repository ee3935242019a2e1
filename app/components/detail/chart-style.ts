import { formatCompact } from '../table/format';
import type { CodeMark } from './code-values';
import { logTicks } from './histogram-data';

/** Chart height in CSS pixels; the width follows the panel. */
export const CHART_HEIGHT_PX = 220;

/** Bar fills by code mark; CSS variables so the charts follow the light/dark theme. */
export const MARK_FILL: Readonly<Record<CodeMark, string>> = {
  plain: 'var(--accent)',
  nan: 'var(--bad)',
  inf: 'var(--bad)',
  max: 'var(--warn)',
};

/** Negative values of exponent histograms: the accent, lightened toward the background. */
export const NEGATIVE_FILL = 'color-mix(in srgb, var(--accent) 40%, var(--bg))';

export const AXIS_TICK = { fill: 'var(--muted)', fontSize: 11 } as const;

/** Keeps at most about this many x-axis labels so they do not overlap. */
const MAX_X_LABELS = 9;

/**
 * Recharts' XAxis `interval` (labels skipped between two shown ones). The step is a power of two
 * so code labels land on round hex values (0x00, 0x20, 0x40, ...).
 */
export function labelInterval(bars: number): number {
  let step = 1;
  while (step * MAX_X_LABELS < bars) {
    step *= 2;
  }
  return step - 1;
}

/** The count axis sits at 0.5 on a log scale so a bar of 1 is visible above it. */
const LOG_AXIS_FLOOR = 0.5;

/** YAxis props for a count axis, linear from 0 or logarithmic with power-of-ten ticks. */
export function countAxisProps(
  maxCount: number,
  logScale: boolean,
): {
  scale: 'log' | 'linear';
  domain: [number, number | 'auto'];
  ticks: number[] | undefined;
  allowDataOverflow: boolean;
} {
  if (!logScale) {
    return { scale: 'linear', domain: [0, 'auto'], ticks: undefined, allowDataOverflow: false };
  }
  const ticks = logTicks(maxCount);
  return {
    scale: 'log',
    domain: [LOG_AXIS_FLOOR, ticks[ticks.length - 1]],
    ticks,
    allowDataOverflow: true,
  };
}

/** A histogram with a handful of bins does not draw slabs. */
const MAX_BAR_PX = 48;

/** BarChart props both histograms share: full width, fixed height, bars at most MAX_BAR_PX. */
export const CHART_FRAME = {
  responsive: true,
  style: { width: '100%', height: CHART_HEIGHT_PX },
  margin: { top: 8, right: 8, bottom: 0, left: 0 },
  maxBarSize: MAX_BAR_PX,
} as const;

/** XAxis props: bins labelled by their `label`, thinned to at most MAX_X_LABELS. */
export function labelXAxisProps(bars: number) {
  return {
    dataKey: 'label',
    interval: labelInterval(bars),
    tick: AXIS_TICK,
    stroke: 'var(--border)',
  } as const;
}

/** YAxis props: the count axis (see countAxisProps), compact tick labels. */
export function countYAxisProps(maxCount: number, logScale: boolean) {
  return {
    width: 48,
    tick: AXIS_TICK,
    stroke: 'var(--border)',
    tickFormatter: formatCompact,
    ...countAxisProps(maxCount, logScale),
  };
}

/** The hover highlight of a bin. */
export const TOOLTIP_CURSOR = { fill: 'var(--bg-alt)' } as const;
