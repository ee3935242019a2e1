import { SharedEmptyStats } from '../../core/scan/shared-empty-stats';
import type { TensorOutcome } from '../../workers/scan.worker';
import type { PlainError } from '../../workers/plain-error';
import type { TensorRow } from '../model/tensor-row';
import type { ScanJob } from '../workers-client/scan-pool';
import { ReadFailures } from './read-failures';
import { RowTally } from './row-tally';

/**
 * The mutable side of one scan: the rows as results come in, their counts (row-tally.ts), the
 * failed reads, and the scale and small tensors the verdict waits for. The store publishes
 * snapshots of it; nothing here walks all rows.
 */
export class ScanResults {
  /** Every row: file by file in header order (build-rows.ts), then the missing shards' rows. */
  readonly rows: TensorRow[] = [];
  readonly tally: RowTally;
  readonly failures = new ReadFailures();
  readonly tensorErrors: PlainError[] = [];
  /** Per row: 1 a scale or small tensor still to come back, 2 came back, 0 not one. */
  priorityRows = new Uint8Array(0);
  /** Scale and small tensors still to come back (`timings.scalesDoneAt`); -1 once recorded. */
  priorityLeft = -1;
  /** Zero-byte tensors of a dtype share one stats object (a million of them held a million). */
  private readonly emptyStats = new SharedEmptyStats();

  constructor(remoteDefault: ReadonlySet<number>) {
    this.tally = new RowTally(remoteDefault);
  }

  /**
   * Applies one message of outcomes of `job` to its rows (found by position: `job.rows`). True when
   * it brought the last outstanding scale or small tensor (the verdict is complete).
   */
  apply(job: ScanJob, outcomes: readonly TensorOutcome[]): boolean {
    let verdictComplete = false;
    for (const o of outcomes) {
      if ('error' in o && this.failures.record(job.fileId, o.error)) {
        this.tensorErrors.push(o.error);
      }
      const at = job.rows[o.at];
      const row = at === undefined ? undefined : this.rows[at];
      if (at === undefined || row === undefined) {
        continue;
      }
      if (this.priorityRows[at] === 1) {
        this.priorityRows[at] = 2;
        this.priorityLeft -= 1;
        verdictComplete ||= this.priorityLeft === 0;
      }
      let next: TensorRow;
      if ('error' in o) {
        next = { ...row, failed: true };
      } else {
        const stats = row.info.nbytes === 0 ? this.emptyStats.of(o.stats) : o.stats;
        next = o.bytes === undefined ? { ...row, stats } : { ...row, stats, tinyBytes: o.bytes };
      }
      this.tally.replace(at, row, next);
      this.rows[at] = next;
    }
    return verdictComplete;
  }
}
