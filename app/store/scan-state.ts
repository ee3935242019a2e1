import type { PackedHeader } from '../../core/format/packed-tensors';
import type { SafetensorsHeader } from '../../core/format/tensor-info';
import type { PlainError } from '../../workers/plain-error';
import type { TensorRow } from '../model/tensor-row';
import { NO_ROWS } from './row-tally';
import type { RowCounts } from './row-tally';

/** What the store publishes: one immutable snapshot of the loaded checkpoint per update. */
export type Phase = 'idle' | 'opening' | 'scanning' | 'done' | 'cancelled' | 'error';

export interface FileState {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  readonly header: SafetensorsHeader | null;
  readonly error: PlainError | null;
  /** The dropped File (read only by workers); null when it could not be matched. */
  readonly file: Blob | null;
  /** Tensor bytes to scan in this file (header excluded). */
  readonly bytesTotal: number;
  readonly bytesDone: number;
}

export interface ScanState {
  readonly phase: Phase;
  /** What the user loaded, for the header line ("sample checkpoint", "3 files"). */
  readonly label: string;
  readonly files: readonly FileState[];
  /**
   * Each file's header as the scan worker sent it (by file id; null for an invalid file), handed
   * as is to the quantization worker instead of being packed again.
   */
  readonly packedHeaders: readonly (PackedHeader | null)[];
  readonly rows: readonly TensorRow[];
  /** Counts of `rows` and the rows with NaN/Inf, kept as results come in (row-tally.ts). */
  readonly counts: RowCounts;
  readonly ignored: readonly string[];
  readonly indexName: string | null;
  readonly indexErrors: readonly PlainError[];
  readonly indexWarnings: readonly string[];
  readonly configErrors: readonly PlainError[];
  readonly tensorErrors: readonly PlainError[];
  readonly config: unknown;
  readonly hfQuantConfig: unknown;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  readonly startedAt: number | null;
  /**
   * Every scale and small tensor has its result in `rows` (the verdict is final): the quantization
   * analysis starts then, from the scan's byte histograms, instead of competing with it for reads.
   */
  readonly scalesScanned: boolean;
  readonly finishedAt: number | null;
  /** Set when the scan could not start at all (no worker, no checkpoint file). */
  readonly fatal: string | null;
}

export const INITIAL_STATE: ScanState = {
  phase: 'idle',
  label: '',
  files: [],
  packedHeaders: [],
  rows: [],
  counts: NO_ROWS,
  ignored: [],
  indexName: null,
  indexErrors: [],
  indexWarnings: [],
  configErrors: [],
  tensorErrors: [],
  config: null,
  hfQuantConfig: null,
  bytesTotal: 0,
  bytesDone: 0,
  startedAt: null,
  scalesScanned: false,
  finishedAt: null,
  fatal: null,
};
