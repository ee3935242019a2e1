import type { ReactNode } from 'react';
import { useMemo } from 'react';
import type { BarShapeProps } from 'recharts';
import { Bar, BarChart, CartesianGrid, Rectangle, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../table/format';
import {
  CHART_FRAME,
  countYAxisProps,
  labelXAxisProps,
  MARK_FILL,
  TOOLTIP_CURSOR,
} from './chart-style';
import { ChartTooltip } from './ChartTooltip';
import type { CodeBar } from './histogram-data';
import { plotCount } from './histogram-data';

const MARK_NAMES = {
  plain: '',
  nan: 'NaN code',
  inf: 'Inf code',
  max: 'largest magnitude',
} as const;

function codeTooltip(bar: CodeBar | undefined): ReactNode {
  if (bar === undefined) {
    return null;
  }
  const lines: [string, string][] = [
    ['value', bar.valueText],
    ['count', formatCount(bar.count)],
  ];
  if (bar.mark !== 'plain') {
    lines.push(['note', MARK_NAMES[bar.mark]]);
  }
  return <ChartTooltip title={`code ${bar.label}`} lines={lines} />;
}

/** A bar per raw code; NaN/Inf codes in `--bad`, largest-magnitude codes in `--warn`. */
export function CodeHistogramChart({
  bars,
  logScale,
}: {
  bars: readonly CodeBar[];
  logScale: boolean;
}): ReactNode {
  const data = useMemo(
    () => bars.map((bar) => ({ label: bar.label, count: plotCount(bar.count, logScale) })),
    [bars, logScale],
  );
  const maxCount = bars.reduce((max, bar) => Math.max(max, bar.count), 0);
  return (
    <BarChart {...CHART_FRAME} data={data} barCategoryGap={0}>
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis {...labelXAxisProps(bars.length)} />
      <YAxis {...countYAxisProps(maxCount, logScale)} />
      <Tooltip
        isAnimationActive={false}
        cursor={TOOLTIP_CURSOR}
        content={({ activeIndex }) => codeTooltip(bars[Number(activeIndex)])}
      />
      <Bar
        dataKey="count"
        isAnimationActive={false}
        shape={(props: BarShapeProps) => (
          <Rectangle {...props} fill={MARK_FILL[bars[props.originalDataIndex]?.mark ?? 'plain']} />
        )}
      />
    </BarChart>
  );
}
