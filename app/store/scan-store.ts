import type { NamedFile, ScanBatchOptions } from '../../workers/scan.worker';
import type { TensorRow } from '../model/tensor-row';
import { DEFAULT_SCAN_READ, ScanPool } from '../workers-client/scan-pool';
import type { OpenedCheckpoint, ScanHandlers, ScanJob } from '../workers-client/scan-pool';
import { planJobs } from './plan-jobs';
import type { PlannedFile } from './plan-jobs';
import { resetTimings, scanTuning, timings } from './scan-timings';
import type { RoleDecoding } from '../../core/scan/role-decode';
import { appendAll } from '../../core/append-all';
import { planRoleJobs, splitByRole } from './role-phase';
import { missingRows } from './missing-rows';
import { describeUnsupported } from '../loading/unsupported-files';
import { buildHeaderRows, yieldToEventLoop } from './build-rows';
import { markPriorityRows } from './mark-priority';
import { ScanResults } from './scan-results';
import { markTensors } from '../model/row-tensors';
import { remoteDefaultFiles } from './row-tally';
import { afterNextPaint, publishDelay } from './publish-timing';
import { INITIAL_STATE } from './scan-state';
import type { FileState, ScanState } from './scan-state';

export type { FileState, Phase, ScanState } from './scan-state';
export { INITIAL_STATE } from './scan-state';

/** A copy of the rows to publish, marked as holding the tensors of this load (row-tensors.ts). */
function published(results: ScanResults): readonly TensorRow[] {
  const rows = results.rows.slice();
  markTensors(rows, results);
  return rows;
}

/** After a scan (or at page load), how long the page stays quiet before spare workers start. */
const WARM_UP_DELAY_MS = 1000;

/**
 * The page's single source of truth about the loaded checkpoint. Workers report into mutable
 * buffers; a throttled publish turns them into a new immutable snapshot for React
 * (`useSyncExternalStore`), so 100,000 results cost a handful of renders, not 100,000.
 */
export class ScanStore {
  private state: ScanState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private pool: ScanPool | null = null;
  private generation = 0;
  private results = new ScanResults(new Set());
  private jobDone: number[] = [];
  private jobs: ScanJob[] = [];
  /** U8 tensors waiting for their roles (see role-phase.ts), and the recognition under way. */
  private rolePhase: { planned: PlannedFile[]; decodings: Promise<RoleDecoding[]> } | null = null;
  /** The files of the current checkpoint, as given (for "add to the current checkpoint"). */
  private input: readonly NamedFile[] = [];
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  /** The next publish should not wait (the verdict is complete). */
  private publishNow = false;
  /** Workers started ahead of the next drop (see `warmUp`). */
  private spare: ScanPool | null = null;
  private warmTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Starts the next scan's workers ahead of time, once the page is quiet: a module worker takes
   * ~30-50 ms to load and compile its kernels, time that otherwise comes after the drop, before
   * the scale verdict. Idle workers cost ~10 MB each. Does nothing where there are no workers.
   */
  warmUp(delayMs = WARM_UP_DELAY_MS): void {
    if (this.spare !== null || this.warmTimer !== null || typeof Worker === 'undefined') {
      return;
    }
    this.warmTimer = setTimeout(() => {
      this.warmTimer = null;
      if (this.spare === null && this.pool === null) {
        this.spare = new ScanPool(scanTuning().workers);
        this.spare.startAll();
      }
    }, delayMs);
  }

  /** Stops everything: the scan, and the spare workers (the page is going away). */
  dispose(): void {
    this.cancel();
    this.stopPool();
    if (this.warmTimer !== null) {
      clearTimeout(this.warmTimer);
      this.warmTimer = null;
    }
    this.spare?.terminate();
    this.spare = null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ScanState => this.state;

  private set(next: ScanState): void {
    this.state = next;
    for (const l of this.listeners) {
      l();
    }
  }

  /** The files the current checkpoint was loaded from. */
  get files(): readonly NamedFile[] {
    return this.input;
  }

  /** Opens and scans a new checkpoint, cancelling whatever was running. */
  async load(
    files: readonly NamedFile[],
    ignored: readonly string[],
    label: string,
  ): Promise<void> {
    this.stopPool();
    this.input = files;
    const generation = ++this.generation;
    const startedAt = performance.now();
    resetTimings(startedAt);
    this.results = new ScanResults(new Set());
    this.set({ ...INITIAL_STATE, phase: 'opening', label, ignored, startedAt });
    if (files.length === 0) {
      this.set({
        ...this.state,
        phase: 'error',
        fatal: describeUnsupported(ignored),
      });
      return;
    }
    let pool: ScanPool;
    let opened: OpenedCheckpoint;
    try {
      timings.warmStart = this.spare !== null;
      pool = this.spare ?? new ScanPool(scanTuning().workers);
      this.spare = null;
      this.pool = pool;
      opened = await pool.openCheckpoint(files);
      pool.startAll();
    } catch (e) {
      if (generation === this.generation) {
        this.set({
          ...this.state,
          phase: 'error',
          fatal: `Could not start the scan: ${String(e)}`,
        });
      }
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    await this.startScan(pool, files, opened, generation);
  }

  private async startScan(
    pool: ScanPool,
    files: readonly NamedFile[],
    { summary, packedHeaders }: OpenedCheckpoint,
    generation: number,
  ): Promise<void> {
    const byName = new Map(files.map((f) => [f.name, f]));
    const planned: PlannedFile[] = [];
    let firstRow = 0;
    const fileStates: FileState[] = summary.files.map((f, id) => {
      const tensors = f.header?.tensors ?? [];
      const named = byName.get(f.name);
      // Rows are built file by file in header order (build-rows.ts): tensor i is row firstRow + i.
      const rows = tensors.map((_, i) => firstRow + i);
      firstRow += tensors.length;
      if (named !== undefined && f.header !== null) {
        // A remote file is read by default for its scales and small tensors only (splitByRole).
        planned.push({ fileId: id, file: named, tensors, rows });
      }
      return {
        id,
        name: f.name,
        size: f.size,
        header: f.header,
        error: f.error,
        file: named?.file ?? null,
        bytesTotal: tensors.reduce((n, t) => n + t.nbytes, 0),
        bytesDone: 0,
      };
    });
    const current = (): boolean => generation === this.generation;
    const results = new ScanResults(remoteDefaultFiles(fileStates));
    this.results = results;
    if (!(await buildHeaderRows(summary.files, results.tally, results.rows, current))) {
      return;
    }
    for (const row of missingRows(summary.missing, summary.files.length)) {
      results.tally.add(results.rows.length, row);
      results.rows.push(row);
    }
    // U8 tensors are scanned as their role decodes them (an E8M0 scale stored as U8 counts NaN as
    // E8M0), once the scheme is recognised (on the worker that opened it); the rest start now.
    // Each step is a pass over every tensor (~50-100 ms at a million): a task each.
    await yieldToEventLoop();
    if (!current()) {
      return;
    }
    const { now, later } = splitByRole(planned);
    await yieldToEventLoop();
    if (!current()) {
      return;
    }
    this.jobs = planJobs(now);
    this.jobDone = this.jobs.map(() => 0);
    results.priorityRows = new Uint8Array(results.rows.length);
    // While roles are pending, one more "scale" is outstanding: the verdict is not final before.
    results.priorityLeft = later.length > 0 ? 1 : 0;
    if (!(await this.markPriority(this.jobs, current))) {
      return;
    }
    if (later.length === 0) {
      pool.releaseOpened();
    }
    this.rolePhase =
      later.length === 0
        ? null
        : {
            planned: later,
            decodings: pool.roleDecodings().catch(() => []),
          };
    const anyScannable = fileStates.some((f) => f.header !== null);
    this.set({
      ...this.state,
      phase: anyScannable ? 'scanning' : 'error',
      fatal: anyScannable ? null : 'None of the files could be read as safetensors.',
      files: fileStates,
      packedHeaders,
      rows: published(results),
      counts: results.tally.counts(),
      ignored: [...this.state.ignored, ...summary.ignored],
      indexName: summary.indexName,
      indexErrors: summary.indexErrors,
      indexWarnings: summary.indexWarnings,
      configErrors: summary.configErrors,
      config: summary.config,
      hfQuantConfig: summary.hfQuantConfig,
      bytesTotal: fileStates.reduce((n, f) => n + f.bytesTotal, 0),
    });
    timings.openedAt = performance.now();
    if (!anyScannable) {
      this.stopPool();
      return;
    }
    // Let the table paint first: the workers' results keep the main thread busy from here on.
    afterNextPaint(() => {
      if (generation === this.generation && this.pool === pool) {
        this.runPool(pool, generation);
      }
    });
  }

  /** Flags the rows of `jobs`' scale and small tensors, which the verdict waits for (in slices). */
  private async markPriority(jobs: readonly ScanJob[], current: () => boolean): Promise<boolean> {
    const results = this.results;
    const flagged = await markPriorityRows(jobs, results.priorityRows, current);
    results.priorityLeft += flagged ?? 0;
    return flagged !== null;
  }

  /** Once the roles are in: the U8 tensors' jobs, decoded, run beside the others. */
  private async runRolePhase(
    pool: ScanPool,
    generation: number,
    handlers: (offset: number) => ScanHandlers,
    read: ScanBatchOptions,
  ): Promise<void> {
    const phase = this.rolePhase;
    this.rolePhase = null;
    if (phase === null) {
      return;
    }
    const decodings = await phase.decodings;
    if (generation !== this.generation || this.pool !== pool) {
      return;
    }
    const jobs = planRoleJobs(phase.planned, decodings);
    const offset = this.jobs.length;
    appendAll(this.jobs, jobs);
    appendAll(
      this.jobDone,
      jobs.map(() => 0),
    );
    if (
      !(await this.markPriority(jobs, () => generation === this.generation && this.pool === pool))
    ) {
      return;
    }
    this.results.priorityLeft -= 1; // the roles themselves
    if (this.results.priorityLeft === 0) {
      this.publishNow = true;
      this.schedulePublish();
    }
    await pool.run(jobs, handlers(offset), read);
  }

  private runPool(pool: ScanPool, generation: number): void {
    const { chunkBytes, streamsPerRead, readAheadReads, readAheadBytes } = scanTuning();
    const read: ScanBatchOptions = {
      ...DEFAULT_SCAN_READ,
      ...(chunkBytes === undefined ? {} : { chunkBytes }),
      ...(streamsPerRead === undefined ? {} : { streamsPerRead }),
      ...(readAheadReads === undefined ? {} : { readAheadReads }),
      ...(readAheadBytes === undefined ? {} : { readAheadBytes }),
    };
    timings.workers = pool.size;
    timings.read = read;
    const handlers = (offset: number): ScanHandlers => ({
      onTensors: (job, outcomes) => {
        if (generation === this.generation) {
          this.publishNow ||= this.results.apply(job, outcomes);
          this.schedulePublish();
        }
      },
      onProgress: (_job, jobIndex, done) => {
        if (generation === this.generation) {
          this.jobDone[offset + jobIndex] = done;
          this.schedulePublish();
        }
      },
    });
    void Promise.all([
      // A copy: the role phase appends its own jobs to this.jobs and runs them itself.
      pool.run(this.jobs.slice(), handlers(0), read),
      this.runRolePhase(pool, generation, handlers, read),
    ]).then(
      () => this.finish(generation, 'done'),
      (e: unknown) => {
        if (generation === this.generation) {
          this.results.tensorErrors.push({
            code: 'ReadFailed',
            file: '',
            tensor: null,
            message: `The scan stopped: ${String(e)}`,
            detail: String(e),
          });
          this.finish(generation, 'done');
        }
      },
    );
  }

  private schedulePublish(): void {
    if (this.publishNow && this.publishTimer !== null) {
      // The last scale result arrived: show the verdict now, not at the next tick.
      clearTimeout(this.publishTimer);
      this.publishTimer = null;
    }
    if (this.publishTimer === null) {
      const delay = publishDelay(
        this.results.rows.length,
        this.results.priorityLeft > 0,
        this.publishNow,
      );
      this.publishNow = false;
      this.publishTimer = setTimeout(() => {
        this.publishTimer = null;
        this.publish();
      }, delay);
    }
  }

  private publish(): void {
    const results = this.results;
    const doneByFile = new Map<number, number>();
    this.jobs.forEach((job, i) => {
      doneByFile.set(job.fileId, (doneByFile.get(job.fileId) ?? 0) + (this.jobDone[i] ?? 0));
    });
    const files = this.state.files.map((f) => ({
      ...f,
      bytesDone: doneByFile.get(f.id) ?? f.bytesDone,
      error: f.error ?? results.failures.errorOf(f.id),
    }));
    this.set({
      ...this.state,
      files,
      rows: published(results),
      counts: results.tally.counts(),
      tensorErrors: results.tensorErrors.slice(),
      bytesDone: files.reduce((n, f) => n + f.bytesDone, 0),
      scalesScanned: this.state.scalesScanned || results.priorityLeft === 0,
    });
    if (results.priorityLeft === 0) {
      results.priorityLeft = -1;
      timings.scalesDoneAt = performance.now();
    }
  }

  private finish(generation: number, phase: 'done' | 'cancelled'): void {
    if (generation !== this.generation) {
      return;
    }
    if (this.publishTimer !== null) {
      clearTimeout(this.publishTimer);
      this.publishTimer = null;
    }
    this.publish();
    this.stopPool();
    const finishedAt = performance.now();
    timings.doneAt = finishedAt;
    this.set({ ...this.state, phase, finishedAt });
  }

  cancel(): void {
    if (this.state.phase === 'scanning' || this.state.phase === 'opening') {
      const generation = this.generation;
      this.stopPool();
      this.finish(generation, 'cancelled');
      this.generation += 1;
    }
  }

  private stopPool(): void {
    if (this.pool !== null) {
      this.pool.terminate();
      this.pool = null;
      this.warmUp();
    }
  }
}
