import type { Metric } from '../../model/tensor-row';
import type { ColourScale } from './colour-scale';
import { formatMetricValue, METRIC_LABELS } from './cell-tooltip';

interface HeatmapLegendProps {
  readonly metric: Metric;
  readonly scale: ColourScale;
  /** What hatched (unscanned) cells are called. */
  readonly unscanned: string;
}

/** The colour scale (log1p between min and max) and the states drawn whatever the metric. */
export function HeatmapLegend({ metric, scale, unscanned }: HeatmapLegendProps) {
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
      <span data-testid="legend-nan">
        <span className="hm-swatch hm-nan" aria-hidden="true" />
        red: holds NaN, whatever the count or metric (one NaN is enough)
      </span>
      <span>
        <span className="hm-swatch hm-l0 hm-inf" aria-hidden="true" />
        amber frame: holds ±Inf
      </span>
      <span>
        <span className="hm-swatch hm-pending" aria-hidden="true" />
        hatched: {unscanned}
      </span>
      <span>
        <span className="hm-swatch hm-l5 hm-partial" aria-hidden="true" />
        light stripes: partly scanned
      </span>
      <span>
        <span className="hm-swatch hm-missing-swatch" aria-hidden="true" />
        crossed: missing (its shard was not read)
      </span>
      <span>
        <span className="hm-swatch hm-failed-swatch" aria-hidden="true" />
        red cross: read failed (the file changed or became unreadable)
      </span>
    </div>
  );
}
