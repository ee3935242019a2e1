import { REPAIR_ID } from '../components/shell/VerdictLinks';
import type { FileState } from '../store/scan-store';
import { formatApproxBytes, planReadBytes } from './remote-planning';

interface Props {
  /** The remote files with NaN/Inf that a plan would cover. */
  readonly files: readonly FileState[];
  readonly onPlan: () => void;
}

/** The repair section of remote files before planning: planning reads their scales again. */
export function PlanRemote({ files, onPlan }: Props) {
  const headers = files.flatMap((f) => (f.header === null ? [] : [f.header]));
  const n = files.length;
  return (
    <section
      id={REPAIR_ID}
      tabIndex={-1}
      className="panel repair-panel"
      aria-label="Repair"
      data-testid="repair-panel"
    >
      <h2>Repair</h2>
      <p className="repair-intro">
        {n.toLocaleString('en-US')} remote shard{n === 1 ? '' : 's'} with NaN or Inf. A repair plan
        of remote files is made only when asked: it reads their scale tensors again.
      </p>
      <button type="button" data-testid="plan-remote" onClick={onPlan}>
        Plan the repair (reads the scale tensors again, {formatApproxBytes(planReadBytes(headers))})
      </button>
    </section>
  );
}
