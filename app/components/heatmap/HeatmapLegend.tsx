import type { Metric } from '../../model/tensor-row';
import type { ColourScale } from './colour-scale';
import { formatMetricValue, METRIC_LABELS } from './cell-tooltip';

interface HeatmapLegendProps {
  readonly metric: Metric;
  readonly scale: ColourScale;
}

/** The colour scale (log1p between min and max) and the states drawn whatever the metric. */
export function HeatmapLegend({ metric, scale }: HeatmapLegendProps) {
  const unit = metric === 'absmax' ? 'max' : 'sum';
  return (
    <div className="hm-legend">
      <span
        className="hm-legend-scale"
        title={`${METRIC_LABELS[metric]} per cell (${unit}), log scale`}
      >
        <span>{formatMetricValue(metric, scale.min)}</span>
        <span className="hm-legend-bar" aria-hidden="true" />
        <span>{formatMetricValue(metric, scale.max)}</span>
        <span>
          {METRIC_LABELS[metric]} ({unit}, log)
        </span>
      </span>
      <span>
        <span className="hm-swatch hm-nan" aria-hidden="true" />
        has NaN
      </span>
      <span>
        <span className="hm-swatch hm-l0 hm-inf" aria-hidden="true" />
        has Inf
      </span>
      <span>
        <span className="hm-swatch hm-pending" aria-hidden="true" />
        not scanned yet
      </span>
    </div>
  );
}
