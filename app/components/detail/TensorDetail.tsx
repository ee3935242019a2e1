import type { KeyboardEvent, ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { visibleName } from '../../../core/report/display-name';
import { BadPositions } from './BadPositions';
import { DensityMapView } from './DensityMapView';
import { isFlatShape } from '../../../core/report/tensor-position';
import { HistogramPanel } from './HistogramPanel';
import { StatsList } from './StatsList';
import './TensorDetail.css';

export interface TensorDetailProps {
  row: TensorRow;
  onClose(): void;
}

/** Everything known about one tensor: statistics, value histogram, where its NaN/Inf sit. */
export function TensorDetail({ row, onClose }: TensorDetailProps): ReactNode {
  const { info, stats } = row;
  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === 'Escape') {
      onClose();
    }
  };
  return (
    <section
      className="tensor-detail"
      data-testid="tensor-detail"
      data-name={info.name}
      data-key={row.key}
      aria-label={`Tensor ${visibleName(info.name)}`}
      onKeyDown={onKeyDown}
    >
      <header className="td-head">
        <h2 className="td-name">{visibleName(info.name)}</h2>
        <button
          type="button"
          className="td-close"
          data-testid="detail-close"
          aria-label="Close tensor detail"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <StatsList row={row} />
      {stats === null ? (
        <p className="td-muted">
          Not scanned yet: the histogram and NaN/Inf map appear once it is.
        </p>
      ) : (
        <>
          {stats.histogram === null ? (
            <p className="td-muted" data-testid="histogram-none">
              Scanned without a histogram.
            </p>
          ) : (
            <HistogramPanel histogram={stats.histogram} dtype={stats.dtype} />
          )}
          <section className="td-section" aria-label="NaN and Inf map">
            <h3>NaN / Inf map</h3>
            {stats.densityMap === null ? (
              <p className="td-ok" data-testid="density-none">
                No NaN or Inf
              </p>
            ) : (
              <DensityMapView map={stats.densityMap} flat={isFlatShape(info.shape)} />
            )}
          </section>
          <BadPositions
            label="NaN"
            testId="nan-positions"
            indices={stats.nanIndices}
            total={stats.nan}
            shape={info.shape}
          />
          <BadPositions
            label="Inf"
            testId="inf-positions"
            indices={stats.infIndices}
            total={stats.posInf + stats.negInf}
            shape={info.shape}
          />
        </>
      )}
    </section>
  );
}
