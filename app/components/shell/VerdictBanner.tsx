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
  analysing = false,
}: {
  readonly state: ScanState;
  readonly quant: QuantSummary | null;
  /** The quantization analysis is still running: a clean scan is not "ok" yet. */
  readonly analysing?: boolean;
}) {
  const verdict = useMemo(() => verdictOf(state, quant, analysing), [state, quant, analysing]);
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
