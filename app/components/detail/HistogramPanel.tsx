import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';
import type { Dtype } from '../../../core/dtype/dtype';
import type { Histogram } from '../../../core/scan/tensor-stats';
import { formatCount } from '../table/format';
import { MARK_FILL, NEGATIVE_FILL } from './chart-style';
import { CodeHistogramChart } from './CodeHistogramChart';
import { ExponentHistogramChart } from './ExponentHistogramChart';
import type { CodeBar, CodeHistogram, ExponentHistogram } from './histogram-data';
import {
  codeBars,
  exponentBars,
  exponentSpecials,
  maxMagnitudeText,
  specialCodes,
} from './histogram-data';

function Swatch({ fill, children }: { fill: string; children: ReactNode }): ReactNode {
  return (
    <span className="td-legend-item">
      <span className="td-swatch" style={{ background: fill }} aria-hidden="true" />
      {children}
    </span>
  );
}

/** "NaN codes 0x7F, 0xFF: 12": which codes the colour stands for, and how many elements hold them. */
function codeGroup(bars: readonly CodeBar[]): string {
  const total = bars.reduce((sum, bar) => sum + bar.count, 0);
  return `${bars.map((bar) => bar.label).join(', ')}: ${formatCount(total)}`;
}

function CodeHistogramView(props: {
  histogram: CodeHistogram;
  dtype: Dtype;
  logScale: boolean;
}): ReactNode {
  const bars = useMemo(
    () => codeBars(props.histogram, props.dtype),
    [props.histogram, props.dtype],
  );
  const nan = specialCodes(bars, 'nan');
  const inf = specialCodes(bars, 'inf');
  const max = specialCodes(bars, 'max');
  return (
    <>
      <CodeHistogramChart bars={bars} logScale={props.logScale} />
      <div className="td-legend" data-testid="histogram-legend">
        <Swatch fill={MARK_FILL.plain}>
          elements per code (x: code in hex; hover for its value)
        </Swatch>
        {nan.length > 0 ? <Swatch fill={MARK_FILL.nan}>NaN codes {codeGroup(nan)}</Swatch> : null}
        {inf.length > 0 ? <Swatch fill={MARK_FILL.inf}>Inf codes {codeGroup(inf)}</Swatch> : null}
        {max.length > 0 ? (
          <Swatch fill={MARK_FILL.max}>
            largest magnitude ({maxMagnitudeText(max)}) {codeGroup(max)}
          </Swatch>
        ) : null}
      </div>
    </>
  );
}

function ExponentHistogramView(props: {
  histogram: ExponentHistogram;
  logScale: boolean;
}): ReactNode {
  const bars = useMemo(() => exponentBars(props.histogram), [props.histogram]);
  return (
    <>
      {bars.length > 0 ? (
        <ExponentHistogramChart bars={bars} logScale={props.logScale} />
      ) : (
        <p className="td-muted">No finite non-zero values.</p>
      )}
      <div className="td-legend" data-testid="histogram-legend">
        <Swatch fill={MARK_FILL.plain}>positive</Swatch>
        <Swatch fill={NEGATIVE_FILL}>negative (by |v|), per exponent floor(log2|v|)</Swatch>
        {exponentSpecials(props.histogram).map((special) => (
          <span
            key={special.kind}
            className={
              special.kind !== 'zero' && special.count > 0
                ? 'td-legend-item td-bad'
                : 'td-legend-item'
            }
          >
            {special.label}: {formatCount(special.count)}
          </span>
        ))}
      </div>
    </>
  );
}

/** The value distribution: a bar per code for small dtypes, per binary exponent otherwise. */
export function HistogramPanel({
  histogram,
  dtype,
}: {
  histogram: Histogram;
  dtype: Dtype;
}): ReactNode {
  const [logScale, setLogScale] = useState(true);
  return (
    <section className="td-section" aria-label="Histogram">
      <div className="td-section-head">
        <h3>{histogram.kind === 'codes' ? 'Codes' : 'Exponents'}</h3>
        <label className="td-toggle">
          <input
            type="checkbox"
            data-testid="histogram-log"
            checked={logScale}
            onChange={(e) => setLogScale(e.target.checked)}
          />
          log scale
        </label>
      </div>
      {histogram.kind === 'codes' ? (
        <CodeHistogramView histogram={histogram} dtype={dtype} logScale={logScale} />
      ) : (
        <ExponentHistogramView histogram={histogram} logScale={logScale} />
      )}
    </section>
  );
}
