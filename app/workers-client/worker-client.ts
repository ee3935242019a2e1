import type { Remote } from 'comlink';
import type { ScanWorkerApi } from '../../workers/scan.worker';
import { spawn } from './scan-pool';
import type { ScanWorker } from './scan-pool';

/**
 * One worker for on-demand jobs after the scan (repair planning, re-scans, hashing), spawned on
 * first use so the scan pool can be torn down when a scan ends or is cancelled.
 */
export class WorkerClient {
  private worker: ScanWorker | null = null;

  get api(): Remote<ScanWorkerApi> {
    if (this.worker === null) {
      this.worker = spawn();
    }
    return this.worker.api;
  }

  terminate(): void {
    this.worker?.worker.terminate();
    this.worker = null;
  }

  /**
   * Ends the current worker (a cancelled or replaced checkpoint's work, possibly stuck) so the next
   * call gets a fresh one: nothing of one checkpoint can delay the next. Calls in flight on the old
   * worker never settle; their callers ignore them (they belong to the old checkpoint).
   */
  reset(): void {
    this.terminate();
  }
}
