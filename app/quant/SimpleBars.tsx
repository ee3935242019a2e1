import { Bar, BarChart, Cell, Tooltip, XAxis, YAxis } from 'recharts';

export interface SimpleBar {
  readonly label: string;
  readonly value: number;
  /** A CSS colour; the accent colour when absent. */
  readonly fill?: string;
}

/** Bars per bin on a log1p scale (counts span orders of magnitude); the tooltip shows exact counts. */
export function SimpleBars({
  bars,
  height = 140,
}: {
  readonly bars: readonly SimpleBar[];
  readonly height?: number;
}) {
  const data = bars.map((b) => ({
    label: b.label,
    plot: Math.log10(1 + b.value),
    value: b.value,
    fill: b.fill,
  }));
  return (
    <BarChart
      responsive
      data={data}
      style={{ width: '100%', height }}
      margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
    >
      <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" minTickGap={12} />
      <YAxis hide />
      <Tooltip
        formatter={(_v: unknown, _n: unknown, item: { payload?: { value?: number } }) => [
          (item.payload?.value ?? 0).toLocaleString('en-US'),
          'count',
        ]}
      />
      <Bar dataKey="plot" isAnimationActive={false}>
        {data.map((d) => (
          <Cell key={d.label} fill={d.fill ?? 'var(--accent)'} />
        ))}
      </Bar>
    </BarChart>
  );
}
