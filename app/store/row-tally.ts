import { isPriorityTensor } from '../../core/scan/scan-order';
import type { TensorRow } from '../model/tensor-row';
import { hasProblem } from '../model/tensor-row';
import { isFullRemote, isRemoteFile } from '../remote/remote-files';

/**
 * What the verdict and the panels need to know of every row, counted as results come in instead of
 * by a pass over every row per update (a million rows made each such pass ~50-100 ms, and several
 * ran per publish: issue 11).
 */
export interface RowCounts {
  /** Rows of tensors of valid files (missing shards' rows excluded: the index error counts them). */
  readonly tensors: number;
  /** Of those, rows with stats. */
  readonly scanned: number;
  /** Of those, rows whose read failed ("not scanned"). */
  readonly failed: number;
  /** Of those, rows a default remote scan leaves unread on purpose (neither failed nor scanned). */
  readonly unreadByChoice: number;
  /** The rows holding NaN or ±Inf (by their role-decoded stats), in row order. */
  readonly bad: readonly TensorRow[];
}

export const NO_ROWS: RowCounts = { tensors: 0, scanned: 0, failed: 0, unreadByChoice: 0, bad: [] };

/** The files whose bulk tensors a default remote scan leaves unread (app/remote/remote-plan.ts). */
export function remoteDefaultFiles(
  files: readonly { readonly id: number; readonly file: Blob | null }[],
): ReadonlySet<number> {
  return new Set(
    files
      .filter((f) => f.file !== null && isRemoteFile(f.file) && !isFullRemote(f.file))
      .map((f) => f.id),
  );
}

type Kind = 'none' | 'scanned' | 'failed' | 'unread-by-choice' | 'pending';

function kindOf(row: TensorRow, remoteDefault: ReadonlySet<number>): Kind {
  if (row.missing === true) {
    return 'none';
  }
  if (row.failed === true) {
    return 'failed';
  }
  if (row.stats !== null) {
    return 'scanned';
  }
  return remoteDefault.has(row.fileId) && !isPriorityTensor(row.info)
    ? 'unread-by-choice'
    : 'pending';
}

/**
 * The counts, kept up to date row by row: `add` each row once, then `replace` a row by its new
 * version whenever it changes. O(1) per change; `counts()` costs the bad rows only.
 */
export class RowTally {
  private tensors = 0;
  private scanned = 0;
  private failed = 0;
  private unread = 0;
  private readonly bad = new Map<number, TensorRow>();
  private published: RowCounts = NO_ROWS;
  private badChanged = false;

  constructor(private readonly remoteDefault: ReadonlySet<number>) {}

  add(at: number, row: TensorRow): void {
    this.count(at, row, 1);
  }

  replace(at: number, before: TensorRow, after: TensorRow): void {
    this.count(at, before, -1);
    this.count(at, after, 1);
  }

  private count(at: number, row: TensorRow, sign: 1 | -1): void {
    const kind = kindOf(row, this.remoteDefault);
    if (kind === 'none') {
      return;
    }
    this.tensors += sign;
    if (kind === 'scanned') {
      this.scanned += sign;
    } else if (kind === 'failed') {
      this.failed += sign;
    } else if (kind === 'unread-by-choice') {
      this.unread += sign;
    }
    if (hasProblem(row.stats)) {
      this.badChanged = true;
      if (sign > 0) {
        this.bad.set(at, row);
      } else {
        this.bad.delete(at);
      }
    }
  }

  /** The counts now; the same object (and `bad` array) while nothing changed. */
  counts(): RowCounts {
    const p = this.published;
    if (
      p.tensors === this.tensors &&
      p.scanned === this.scanned &&
      p.failed === this.failed &&
      p.unreadByChoice === this.unread &&
      !this.badChanged
    ) {
      return p;
    }
    const bad = this.badChanged
      ? [...this.bad.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1])
      : p.bad;
    this.badChanged = false;
    this.published = {
      tensors: this.tensors,
      scanned: this.scanned,
      failed: this.failed,
      unreadByChoice: this.unread,
      bad,
    };
    return this.published;
  }
}

/** The counts of `rows` in one pass (what `RowTally` keeps incrementally; tests compare the two). */
export function tallyRows(
  rows: readonly TensorRow[],
  files: readonly { readonly id: number; readonly file: Blob | null }[],
): RowCounts {
  const tally = new RowTally(remoteDefaultFiles(files));
  rows.forEach((row, at) => tally.add(at, row));
  return tally.counts();
}
