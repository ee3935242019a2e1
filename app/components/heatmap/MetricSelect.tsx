import { useId } from 'react';
import { METRICS } from '../../model/tensor-row';
import type { Metric } from '../../model/tensor-row';
import { METRIC_LABELS } from './cell-tooltip';

interface MetricSelectProps {
  readonly metric: Metric;
  onChange(metric: Metric): void;
}

/** The metric the heatmap colours by: a native select, so keyboard and screen readers just work. */
export function MetricSelect({ metric, onChange }: MetricSelectProps) {
  const id = useId();
  return (
    <span>
      <label htmlFor={id}>Colour by </label>
      <select
        data-testid="heatmap-metric"
        id={id}
        value={metric}
        onChange={(event) => {
          const chosen = METRICS.find((m) => m === event.target.value);
          if (chosen !== undefined) {
            onChange(chosen);
          }
        }}
      >
        {METRICS.map((m) => (
          <option key={m} value={m}>
            {METRIC_LABELS[m]}
          </option>
        ))}
      </select>
    </span>
  );
}
