import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { formatCount } from '../table/format';
import { listPositions, positionsUnit, positionText } from './row-col';

export interface BadPositionsProps {
  /** `NaN` or `Inf`, for the heading. */
  label: string;
  testId: string;
  /** The first flat indices the scan kept, ascending. */
  indices: readonly number[];
  /** How many such elements the tensor holds in all. */
  total: number;
  shape: readonly number[];
}

/**
 * The first NaN (or Inf) positions: indices in a 1-D tensor, else (row, col) of the [leading dims,
 * last dim] view (as the CLI text and the Markdown export print them).
 */
export function BadPositions({
  label,
  testId,
  indices,
  total,
  shape,
}: BadPositionsProps): ReactNode {
  const list = useMemo(() => listPositions(indices, total, shape), [indices, total, shape]);
  if (list.shown.length === 0) {
    return null;
  }
  return (
    <section className="td-section" aria-label={`${label} positions`}>
      <h3>
        First {label} positions <span className="td-muted">{positionsUnit(shape)}</span>
      </h3>
      <ol className="td-positions" data-testid={testId}>
        {list.shown.map((p) => (
          <li key={p.index} data-row={p.row} data-col={p.col} title={`flat index ${p.index}`}>
            {positionText(p, shape)}
          </li>
        ))}
      </ol>
      {list.more > 0 ? <p className="td-muted">and {formatCount(list.more)} more</p> : null}
    </section>
  );
}
