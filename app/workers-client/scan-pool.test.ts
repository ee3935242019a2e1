import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../core/format/tensor-info';
import type { ScanBatchResult, TensorOutcome } from '../../workers/scan.worker';
import { makeStats } from '../components/table/test-rows';
import { ScanPool } from './scan-pool';
import type { PoolApi, PoolWorker, ScanJob } from './scan-pool';

function tensor(name: string): TensorInfo {
  return { name, dtype: 'F32', shape: [1], offset: 0, nbytes: 4, elements: 1 };
}

const file = { name: 'a.safetensors', file: new Blob([]) };

function job(first: number, count: number): ScanJob {
  const rows = Array.from({ length: count }, (_, i) => first + i);
  return { fileId: 0, file, tensors: rows.map((r) => tensor(`t${r}`)), rows, bytes: 4 * count };
}

const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A worker as the browser delivers it: `scanBatch`'s reply (the worker's port) comes at once, each
 * message of outcomes (the callback's own port) `delayMs` later, in two messages per batch.
 */
function lateOutcomesWorker(delayMs: number): PoolWorker {
  const api: PoolApi = {
    openCheckpoint: () => Promise.reject(new Error('not used')),
    roleDecodings: () => Promise.resolve([]),
    releaseOpened: () => Promise.resolve(),
    scanBatch: (_file, batch, _options, onTensors, onProgress): Promise<ScanBatchResult> => {
      const count = 'count' in batch ? batch.count : batch.length;
      const outcomes: TensorOutcome[] = Array.from({ length: count }, (_, at) => ({
        at,
        stats: makeStats(),
      }));
      const half = Math.ceil(count / 2);
      void later(delayMs).then(() => onTensors(outcomes.slice(0, half)));
      void later(2 * delayMs).then(() => {
        onTensors(outcomes.slice(half));
        onProgress(4 * count);
      });
      return Promise.resolve({ outcomes: count, bytesDone: 4 * count });
    },
  };
  return { worker: { terminate: () => undefined }, api };
}

describe('ScanPool.run', () => {
  it('ends only after every outcome of every job has been handed over, even when the reply comes first', async () => {
    const pool = new ScanPool(2, () => lateOutcomesWorker(20));
    const jobs = [job(0, 3), job(3, 5), job(8, 1)];
    const seen: number[] = [];
    const progress = new Map<number, number>();
    await pool.run(jobs, {
      onTensors: (j, outcomes) => {
        for (const o of outcomes) {
          seen.push(j.rows[o.at]);
        }
      },
      onProgress: (_j, index, done) => progress.set(index, done),
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 9 }, (_, i) => i));
    expect([...progress.entries()].sort()).toEqual([
      [0, 12],
      [1, 20],
      [2, 4],
    ]);
    pool.terminate();
  });

  it('ends on terminate without waiting for outcomes that cannot come', async () => {
    const pool = new ScanPool(1, () => lateOutcomesWorker(60_000));
    const run = pool.run([job(0, 2)], { onTensors: () => undefined, onProgress: () => undefined });
    await later(10);
    pool.terminate();
    await expect(run).resolves.toBeUndefined();
  });
});
