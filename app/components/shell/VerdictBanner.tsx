import { useMemo } from 'react';
import type { ScanState } from '../../store/scan-store';
import type { QuantSummary } from '../../../workers/quant-summary';
import { verdictOf } from '../../model/verdict-of';

/**
 * The one-line answer, worst first: invalid or unreadable files, NaN/Inf (counted by role), index
 * and config errors, findings. `data-level`: ok | warning | error | pending.
 */
export function VerdictBanner({
  state,
  quant,
}: {
  readonly state: ScanState;
  readonly quant: QuantSummary | null;
}) {
  const verdict = useMemo(() => verdictOf(state, quant), [state, quant]);
  return (
    <div
      className={`verdict verdict-${verdict.level}`}
      data-testid="verdict"
      data-level={verdict.level}
      role="status"
    >
      <strong>{verdict.text}</strong>
    </div>
  );
}
