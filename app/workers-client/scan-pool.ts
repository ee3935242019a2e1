import { proxy, wrap } from 'comlink';
import type { Remote } from 'comlink';
import type {
  NamedFile,
  ScanBatchOptions,
  ScanWorkerApi,
  TensorOutcome,
} from '../../workers/scan.worker';
import { JobDelivery } from './job-delivery';
import type { CheckpointSummary } from '../../workers/checkpoint-summary';
import type { PackedCheckpointSummary } from '../../workers/packed-summary';
import { unpackSummary } from './unpack-summary';
import { packTensors } from '../../core/format/packed-tensors';
import type { PackedHeader } from '../../core/format/packed-tensors';
import type { TensorInfo } from '../../core/format/tensor-info';
import type { RoleDecoding } from '../../core/scan/role-decode';

/**
 * Upper bound on scan workers. On the 2-core machines measured in feasibility.md, Chromium's blob IPC
 * saturates near four concurrent read streams; more workers only add memory. Each worker keeps
 * several reads in flight itself (byob-source.ts), and costs ~50 MB while scanning (its WASM arena,
 * its read-ahead): measured by `npm run bench` on a 2-core VM, 4 workers scanned ~20 % faster than
 * 2 but took the tab ~90 MB further over its idle memory, past the 300 MB budget, so the pool stays
 * at one worker per core.
 */
const MAX_WORKERS = 4;
/**
 * How each worker reads unless the bench overrides it (`scan-timings.ts`), chosen with `npm run
 * bench`: 8 MiB chunks (core's WASM arena reads in place up to 8 MiB), one stream per read (split
 * reads measured slower: more streams cost the browser process more CPU than they win), and the
 * source's default read-ahead (16 MiB: two chunks in flight per worker).
 */
export const DEFAULT_SCAN_READ: ScanBatchOptions = {
  chunkBytes: 8 * 1024 * 1024,
  streamsPerRead: 1,
};

/**
 * Jobs each worker holds at once while scale and small-tensor jobs remain. Those jobs are small
 * and each is handed out through the main thread, which is busy rendering results during that
 * phase: with one job at a time, a worker sat idle between jobs for up to ~30 ms (the bench's
 * read log), a third of the phase. A second job in hand keeps its reads going. Bulk jobs stay
 * one per worker: their reads are long, and a second one would double the memory read ahead.
 */
const PRIORITY_LANES = 2;

/** Used when the browser does not report its core count. */
const FALLBACK_CONCURRENCY = 2;

export function defaultPoolSize(): number {
  const cores =
    navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : FALLBACK_CONCURRENCY;
  return Math.max(1, Math.min(cores, MAX_WORKERS));
}

/**
 * An opened checkpoint: its summary, and each file's header as the worker sent it (packed), kept
 * for the quantization worker: packing a million tensors again when the scan ends was a long task.
 */
export interface OpenedCheckpoint {
  readonly summary: CheckpointSummary;
  readonly packedHeaders: readonly (PackedHeader | null)[];
}

/** A unit of work: a run of tensors of one file, scanned in order by one worker. */
export interface ScanJob {
  readonly fileId: number;
  readonly file: NamedFile;
  readonly tensors: readonly TensorInfo[];
  /** The store's row of each tensor, at the same positions as `tensors`. */
  readonly rows: readonly number[];
  readonly bytes: number;
  /** Scale and small tensors (`isPriorityTensor`): the verdict's jobs, planned first. */
  readonly priority?: boolean;
}

export interface ScanHandlers {
  /** Outcomes of `job`'s tensors; an outcome's `at` is its tensor's position in `job.tensors`. */
  onTensors(job: ScanJob, outcomes: readonly TensorOutcome[]): void;
  onProgress(job: ScanJob, jobIndex: number, bytesDone: number): void;
}

/** What the pool calls on a worker (a comlink `Remote` of scan.worker.ts; tests give a fake). */
export interface PoolApi {
  openCheckpoint(files: readonly NamedFile[]): Promise<PackedCheckpointSummary>;
  roleDecodings(): Promise<RoleDecoding[]>;
  releaseOpened(): Promise<void>;
  scanBatch(
    ...args: Parameters<ScanWorkerApi['scanBatch']>
  ): ReturnType<ScanWorkerApi['scanBatch']>;
}

export interface PoolWorker {
  readonly worker: { terminate(): void };
  readonly api: PoolApi;
}

export interface ScanWorker extends PoolWorker {
  readonly api: Remote<ScanWorkerApi>;
}

export function spawn(): ScanWorker {
  const worker = new Worker(new URL('../../workers/scan.worker.ts', import.meta.url), {
    type: 'module',
    name: 'ckptscope-scan',
  });
  return { worker, api: wrap<ScanWorkerApi>(worker) };
}

/**
 * A fixed pool of module workers driven through comlink. Jobs are taken in the order given (scales
 * first), each by whichever worker is free. `terminate` cancels everything at once. Only the first
 * worker starts at once (it opens the checkpoint); the others start once the headers are in
 * (`startAll`), so they do not compete for the CPU with the header parse.
 */
export class ScanPool {
  private readonly workers: PoolWorker[];
  private readonly wanted: number;
  private terminated = false;
  /** Resolves on terminate: calls in flight on a terminated worker never settle, so runs race this. */
  private readonly whenTerminated: Promise<void>;
  private signalTerminated: () => void = () => undefined;

  constructor(
    size: number = defaultPoolSize(),
    private readonly spawnWorker: () => PoolWorker = spawn,
  ) {
    this.wanted = Math.max(1, size);
    this.workers = [spawnWorker()];
    this.whenTerminated = new Promise((resolve) => {
      this.signalTerminated = resolve;
    });
  }

  get size(): number {
    return this.wanted;
  }

  /** Starts the workers not started yet (done by `run` at the latest). */
  startAll(): void {
    while (!this.terminated && this.workers.length < this.wanted) {
      this.workers.push(this.spawnWorker());
    }
  }

  async openCheckpoint(files: readonly NamedFile[]): Promise<OpenedCheckpoint> {
    const first = this.workers[0];
    if (first === undefined) {
      throw new Error('the scan pool has no worker');
    }
    const packed = await first.api.openCheckpoint(files);
    return {
      summary: await unpackSummary(packed),
      packedHeaders: packed.files.map((f) => f.header),
    };
  }

  /**
   * The role decodings of the checkpoint just opened (`scan.worker.ts` `roleDecodings`), on the
   * worker that opened it and holds its headers; the other workers start scanning meanwhile.
   */
  roleDecodings(): Promise<RoleDecoding[]> {
    const first = this.workers[0];
    if (first === undefined) {
      return Promise.reject(new Error('the scan pool has no worker'));
    }
    return Promise.race([first.api.roleDecodings(), this.whenTerminated.then(() => [])]);
  }

  /** Tells the worker that opened the checkpoint that `roleDecodings` will not be asked. */
  releaseOpened(): void {
    void this.workers[0]?.api.releaseOpened();
  }

  async run(
    jobs: readonly ScanJob[],
    handlers: ScanHandlers,
    options?: ScanBatchOptions,
  ): Promise<void> {
    this.startAll();
    let next = 0;
    /** `priorityOnly`: the worker's second lane, which stops at the first bulk job. */
    const drive = async (w: PoolWorker, priorityOnly: boolean): Promise<void> => {
      while (!this.terminated && next < jobs.length) {
        const jobIndex = next;
        const job = jobs[jobIndex];
        if (job === undefined || (priorityOnly && job.priority !== true)) {
          return;
        }
        next += 1;
        const delivery = new JobDelivery(this.whenTerminated);
        const sent = await w.api.scanBatch(
          job.file,
          // Packed: a million tensors as objects cost the page seconds of structured clone.
          packTensors(job.tensors),
          options,
          proxy((outcomes: TensorOutcome[]) => {
            if (delivery.receive(outcomes.length)) {
              handlers.onTensors(job, outcomes);
            }
          }),
          proxy((done: number) => {
            if (!delivery.settled) {
              handlers.onProgress(job, jobIndex, done);
            }
          }),
        );
        // The reply can overtake the job's last outcomes (they come on the callback's port): the
        // job is done once all of them are in, so the scan never ends before its last results.
        await delivery.settle(sent.outcomes);
        if (!this.terminated) {
          handlers.onProgress(job, jobIndex, sent.bytesDone);
        }
      }
    };
    const lanes = this.workers.flatMap((w) =>
      Array.from({ length: PRIORITY_LANES }, (_, lane) => drive(w, lane > 0)),
    );
    await Promise.race([Promise.all(lanes), this.whenTerminated]);
  }

  terminate(): void {
    this.terminated = true;
    this.signalTerminated();
    for (const w of this.workers) {
      w.worker.terminate();
    }
  }
}
