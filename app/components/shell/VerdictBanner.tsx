import { useMemo } from 'react';
import { summarizeVerdict } from '../../../core/report/verdict';
import type { ScanState } from '../../store/scan-store';
import type { QuantSummary } from '../../../workers/quant-summary';
import { roleFaultsOf } from '../../quant/role-faults';

/** The one-line answer: are there NaN/Inf values, how many, where. */
export function VerdictBanner({
  state,
  quant,
}: {
  readonly state: ScanState;
  readonly quant: QuantSummary | null;
}) {
  const verdict = useMemo(
    () =>
      summarizeVerdict(
        state.rows.map((r) => ({ name: r.info.name, dtype: r.info.dtype, stats: r.stats })),
        state.phase === 'done',
        roleFaultsOf(quant),
      ),
    [state.rows, state.phase, quant],
  );
  const fileErrors = state.files.filter((f) => f.error !== null).length;
  return (
    <div
      className={`verdict verdict-${verdict.level}`}
      data-testid="verdict"
      data-level={verdict.level}
    >
      <strong>{verdict.text}</strong>
      {fileErrors > 0 && (
        <span className="verdict-errors">
          {' '}
          · {fileErrors} file{fileErrors === 1 ? '' : 's'} could not be read
        </span>
      )}
    </div>
  );
}
