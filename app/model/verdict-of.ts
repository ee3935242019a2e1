import { checkpointVerdict } from '../../core/report/verdict';
import type { Verdict, VerdictInput, VerdictModel } from '../../core/report/verdict';
import type { ScanState } from '../store/scan-store';
import type { QuantSummary } from '../../workers/quant-summary';
import { isPriorityTensor } from '../../core/scan/scan-order';
import { isFullRemote, isRemoteFile } from '../remote/remote-files';

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

interface TensorPart {
  readonly tensors: readonly VerdictInput[];
  readonly failedTensors: number;
  readonly unreadByChoice: number;
}

/**
 * The per-tensor part by rows array (and the files it was computed with): the page asks for the
 * verdict again when only the quantization findings or the analysing flag change, and a pass
 * over a million rows each time was ~0.4 s (issue 11). Weak: a replaced rows array frees it.
 */
const tensorParts = new WeakMap<
  readonly unknown[],
  { readonly files: ScanState['files']; readonly part: TensorPart }
>();

function tensorPartOf(state: ScanState): TensorPart {
  const cached = tensorParts.get(state.rows);
  if (cached !== undefined && cached.files === state.files) {
    return cached.part;
  }
  const part = computeTensorPart(state);
  tensorParts.set(state.rows, { files: state.files, part });
  return part;
}

function computeTensorPart(state: ScanState): TensorPart {
  const tensors: VerdictInput[] = [];
  let failedTensors = 0;
  let unreadByChoice = 0;
  // Files opened remotely in the default mode: their bulk tensors are left unread on purpose
  // (app/remote/remote-plan.ts), which the verdict says instead of calling the scan incomplete.
  const remoteDefault = new Set(
    state.files
      .filter((f) => f.file !== null && isRemoteFile(f.file) && !isFullRemote(f.file))
      .map((f) => f.id),
  );
  for (const row of state.rows) {
    if (row.missing === true) {
      continue;
    }
    if (row.failed === true) {
      failedTensors += 1;
    } else if (row.stats === null && remoteDefault.has(row.fileId) && !isPriorityTensor(row.info)) {
      unreadByChoice += 1;
    }
    tensors.push({
      name: row.info.name,
      dtype: row.stats?.dtype ?? row.info.dtype,
      stats: row.stats,
    });
  }
  return { tensors, failedTensors, unreadByChoice };
}

/**
 * The page's checkpoint as the verdict reads it: the role-decoded stats of every tensor (missing
 * shards' tensors are counted by the index error instead), invalid and unreadable files, failed
 * reads, index/config errors and the quantization findings.
 */
export function verdictModelOf(
  state: ScanState,
  quant: QuantSummary | null,
  analysing = false,
): VerdictModel {
  const { tensors, failedTensors, unreadByChoice } = tensorPartOf(state);
  return {
    tensors,
    files: state.files.map((f) => ({
      valid: f.header !== null,
      unreadable: f.header !== null && f.error !== null,
    })),
    failedTensors,
    indexErrors: state.indexErrors.length,
    configErrors: state.configErrors.length,
    otherErrors: state.tensorErrors.filter((e) => e.code !== 'ReadFailed').length,
    findings: quant?.findings ?? [],
    state: stateOf(state, analysing),
    unreadByChoice,
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
