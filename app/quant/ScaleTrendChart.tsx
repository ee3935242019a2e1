import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { QuantSummary } from '../../workers/quant-summary';
import { AXIS_TICK, CHART_HEIGHT_PX } from '../components/detail/chart-style';
import { ChartTooltip } from '../components/detail/ChartTooltip';

/** A scale in the tooltip and on the axis: 3 significant digits, exponent form when tiny or huge. */
function formatScale(v: number): string {
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)
    ? v.toExponential(2)
    : v.toPrecision(3);
}

/**
 * Per-layer max and median of each module kind's effective block scale (block × global), on a log
 * axis, one kind at a time: drift across layers (`scale-drift`) shows as a rising max line.
 * Renders nothing until the analysis has trends (two or more layers of one kind).
 */
export function ScaleTrendChart({ quant }: { readonly quant: QuantSummary | null }): ReactNode {
  const trends = useMemo(() => quant?.scaleTrends ?? [], [quant]);
  const [picked, setPicked] = useState<string | null>(null);
  const trend = trends.find((t) => t.role === picked) ?? trends[0];
  if (trend === undefined) {
    return null;
  }
  const data = trend.points.map((p) => ({ layer: p.layer, max: p.max, median: p.median }));
  return (
    <section className="panel" aria-label="Scale trend per layer" data-testid="scale-trend-chart">
      <h2>Scales per layer</h2>
      <label>
        Module{' '}
        <select
          data-testid="scale-trend-role"
          value={trend.role}
          onChange={(e) => setPicked(e.target.value)}
        >
          {trends.map((t) => (
            <option key={t.role} value={t.role}>
              {t.role}
            </option>
          ))}
        </select>
      </label>
      <LineChart
        responsive
        data={data}
        style={{ width: '100%', height: CHART_HEIGHT_PX }}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke="var(--border)" />
        <XAxis dataKey="layer" tick={AXIS_TICK} />
        <YAxis
          scale="log"
          domain={['auto', 'auto']}
          allowDataOverflow
          tick={AXIS_TICK}
          tickFormatter={formatScale}
          width={64}
        />
        <Tooltip
          isAnimationActive={false}
          content={({ activeIndex }) => {
            const p = data[Number(activeIndex)];
            return p === undefined ? null : (
              <ChartTooltip
                title={`layer ${p.layer}`}
                lines={[
                  ['max', formatScale(p.max)],
                  ['median', formatScale(p.median)],
                ]}
              />
            );
          }}
        />
        <Legend />
        <Line dataKey="max" name="max" stroke="var(--warn)" dot={false} isAnimationActive={false} />
        <Line
          dataKey="median"
          name="median"
          stroke="var(--accent)"
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </section>
  );
}
