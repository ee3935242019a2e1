import type { ScanBatchOptions } from '../../workers/scan.worker';

/**
 * Milestones of the latest scan, in `performance.now()` ms, published as
 * `window.__ckptscope.timings` for `npm run bench` (and anyone curious in the console). Nothing in
 * the app reads them.
 */
export interface ScanTimings {
  /** Files handed to the store (the drop). */
  loadAt: number | null;
  /** Headers parsed: the table has its rows (without stats). */
  openedAt: number | null;
  /** Every scale and small tensor (`isPriorityTensor`) has its result published to the page. */
  scalesDoneAt: number | null;
  /** The scan is over. */
  doneAt: number | null;
  /** The quantization analysis of this scan came back to the page (ready or failed). */
  quantDoneAt: number | null;
  /** How the scan read: workers, and the options each worker got. */
  workers: number;
  /** The scan ran on workers started ahead of the drop (`ScanStore.warmUp`). */
  warmStart: boolean;
  read: ScanBatchOptions;
}

export const timings: ScanTimings = {
  loadAt: null,
  openedAt: null,
  scalesDoneAt: null,
  doneAt: null,
  quantDoneAt: null,
  workers: 0,
  warmStart: false,
  read: {},
};

/**
 * Overrides of the scan's reading, set by `npm run bench` (through `window.__ckptscopeTuning`
 * before the page loads) to measure other pool sizes, streams and chunk sizes without a rebuild.
 */
export interface ScanTuning extends ScanBatchOptions {
  readonly workers?: number;
}

interface Hooks {
  __ckptscope?: { timings: ScanTimings };
  __ckptscopeTuning?: ScanTuning;
}

const hooks = globalThis as Hooks;
hooks.__ckptscope = { timings };

export function scanTuning(): ScanTuning {
  return hooks.__ckptscopeTuning ?? {};
}

export function resetTimings(loadAt: number): void {
  Object.assign(timings, {
    loadAt,
    openedAt: null,
    scalesDoneAt: null,
    doneAt: null,
    quantDoneAt: null,
  });
}
