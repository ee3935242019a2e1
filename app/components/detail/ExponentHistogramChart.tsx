import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact, formatCount } from '../table/format';
import {
  AXIS_TICK,
  CHART_HEIGHT_PX,
  countAxisProps,
  labelInterval,
  MARK_FILL,
  NEGATIVE_FILL,
} from './chart-style';
import { ChartTooltip } from './ChartTooltip';

/** A histogram with a handful of bins does not draw slabs. */
const MAX_BAR_PX = 48;
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
    <BarChart
      responsive
      data={data}
      style={{ width: '100%', height: CHART_HEIGHT_PX }}
      margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      maxBarSize={MAX_BAR_PX}
      barCategoryGap="10%"
      barGap={0}
    >
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis
        dataKey="label"
        interval={labelInterval(bars.length)}
        tick={AXIS_TICK}
        stroke="var(--border)"
      />
      <YAxis
        width={48}
        tick={AXIS_TICK}
        stroke="var(--border)"
        tickFormatter={formatCompact}
        {...countAxisProps(maxCount, logScale)}
      />
      <Tooltip
        isAnimationActive={false}
        cursor={{ fill: 'var(--bg-alt)' }}
        content={({ activeIndex }) => exponentTooltip(bars[Number(activeIndex)])}
      />
      <Bar dataKey="positive" name="positive" fill={MARK_FILL.plain} isAnimationActive={false} />
      <Bar dataKey="negative" name="negative" fill={NEGATIVE_FILL} isAnimationActive={false} />
    </BarChart>
  );
}
