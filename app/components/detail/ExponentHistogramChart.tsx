import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../table/format';
import {
  CHART_FRAME,
  countYAxisProps,
  labelXAxisProps,
  MARK_FILL,
  NEGATIVE_FILL,
  TOOLTIP_CURSOR,
} from './chart-style';
import { ChartTooltip } from './ChartTooltip';
import type { ExponentBar } from './histogram-data';
import { exponentRange, plotCount } from './histogram-data';

function exponentTooltip(bar: ExponentBar | undefined): ReactNode {
  if (bar === undefined) {
    return null;
  }
  return (
    <ChartTooltip
      title={`|v| in ${exponentRange(bar.exponent)}`}
      lines={[
        ['positive', formatCount(bar.positive)],
        ['negative', formatCount(bar.negative)],
      ]}
    />
  );
}

/** Positive and negative values side by side per binary exponent floor(log2|v|). */
export function ExponentHistogramChart({
  bars,
  logScale,
}: {
  bars: readonly ExponentBar[];
  logScale: boolean;
}): ReactNode {
  const data = useMemo(
    () =>
      bars.map((bar) => ({
        label: bar.label,
        positive: plotCount(bar.positive, logScale),
        negative: plotCount(bar.negative, logScale),
      })),
    [bars, logScale],
  );
  const maxCount = bars.reduce((max, bar) => Math.max(max, bar.positive, bar.negative), 0);
  return (
    <BarChart {...CHART_FRAME} data={data} barCategoryGap="10%" barGap={0}>
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis {...labelXAxisProps(bars.length)} />
      <YAxis {...countYAxisProps(maxCount, logScale)} />
      <Tooltip
        isAnimationActive={false}
        cursor={TOOLTIP_CURSOR}
        content={({ activeIndex }) => exponentTooltip(bars[Number(activeIndex)])}
      />
      <Bar dataKey="positive" name="positive" fill={MARK_FILL.plain} isAnimationActive={false} />
      <Bar dataKey="negative" name="negative" fill={NEGATIVE_FILL} isAnimationActive={false} />
    </BarChart>
  );
}
