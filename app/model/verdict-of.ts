import { checkpointVerdict } from '../../core/report/verdict';
import type { Verdict, VerdictInput, VerdictModel } from '../../core/report/verdict';
import type { ScanState } from '../store/scan-store';
import type { QuantSummary } from '../../workers/quant-summary';
import type { TensorRow } from './tensor-row';

function stateOf(state: ScanState, analysing: boolean): VerdictModel['state'] {
  switch (state.phase) {
    case 'idle':
    case 'opening':
    case 'scanning':
      return 'running';
    case 'cancelled':
      return 'cancelled';
    case 'done':
      // The quantization findings are part of the verdict: not final until they are in.
      return analysing ? 'running' : 'complete';
    case 'error':
      return 'complete';
  }
}

/** The verdict's view of the rows with NaN/Inf, by the counts' `bad` array (it changes rarely). */
const badInputs = new WeakMap<readonly TensorRow[], readonly VerdictInput[]>();

function badInputsOf(bad: readonly TensorRow[]): readonly VerdictInput[] {
  let inputs = badInputs.get(bad);
  if (inputs === undefined) {
    inputs = bad.map((row) => ({
      name: row.info.name,
      dtype: row.stats?.dtype ?? row.info.dtype,
      stats: row.stats,
    }));
    badInputs.set(bad, inputs);
  }
  return inputs;
}

/**
 * The page's checkpoint as the verdict reads it: the role-decoded stats of the tensors with NaN/Inf
 * and the counts of all (missing shards' tensors are counted by the index error instead), invalid and unreadable files, failed
 * reads, index/config errors and the quantization findings.
 */
export function verdictModelOf(
  state: ScanState,
  quant: QuantSummary | null,
  analysing = false,
): VerdictModel {
  const { counts } = state;
  return {
    // Only the tensors with NaN/Inf, with the store's counts of the rest (row-tally.ts).
    tensors: badInputsOf(counts.bad),
    counts: { tensors: counts.tensors, scanned: counts.scanned },
    files: state.files.map((f) => ({
      valid: f.header !== null,
      unreadable: f.header !== null && f.error !== null,
    })),
    failedTensors: counts.failed,
    indexErrors: state.indexErrors.length,
    configErrors: state.configErrors.length,
    otherErrors: state.tensorErrors.filter((e) => e.code !== 'ReadFailed').length,
    findings: quant?.findings ?? [],
    state: stateOf(state, analysing),
    // Files opened remotely in the default mode: their bulk tensors are left unread on purpose
    // (app/remote/remote-plan.ts), which the verdict says instead of calling the scan incomplete.
    unreadByChoice: counts.unreadByChoice,
  };
}

/** The one verdict of the page: the banner, the Markdown and the JSON exports all show this. */
export function verdictOf(
  state: ScanState,
  quant: QuantSummary | null,
  analysing = false,
): Verdict {
  return checkpointVerdict(verdictModelOf(state, quant, analysing));
}
