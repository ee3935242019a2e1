import { describe, expect, it } from 'vitest';
import { EmptyTensorStats } from '../../core/scan/empty-tensor-stats';
import type { TensorInfo } from '../../core/format/tensor-info';
import type { PlainError } from '../../workers/plain-error';
import { makeRow, makeStats } from '../components/table/test-rows';
import type { ScanJob } from '../workers-client/scan-pool';
import { tallyRows } from './row-tally';
import { ScanResults } from './scan-results';

const file = { name: 'a.safetensors', file: new Blob([]) };

function zero(name: string): TensorInfo {
  return { name, dtype: 'F32', shape: [0], offset: 0, nbytes: 0, elements: 0 };
}

const failed: PlainError = {
  code: 'ReadFailed',
  file: 'a.safetensors',
  tensor: 'w',
  message: 'the file changed',
  detail: 'the file changed',
};

describe('ScanResults.apply', () => {
  it('puts each outcome in the row at its position in the job, and counts it', () => {
    const results = new ScanResults(new Set());
    const rows = [
      makeRow('a', { stats: null }),
      makeRow('b', { stats: null }),
      makeRow('c', { stats: null }),
    ];
    rows.forEach((r, at) => {
      results.tally.add(at, r);
      results.rows.push(r);
    });
    results.priorityRows = new Uint8Array([1, 0, 1]);
    results.priorityLeft = 2;
    // The job lists rows 2 and 0 (in byte order), then row 1.
    const job: ScanJob = {
      fileId: 0,
      file,
      tensors: [rows[2].info, rows[0].info, rows[1].info],
      rows: [2, 0, 1],
      bytes: 48,
    };
    const nan = makeStats({ nan: 1 });
    expect(results.apply(job, [{ at: 0, stats: nan }])).toBe(false);
    expect(results.rows[2].stats).toBe(nan);
    expect(results.rows[0].stats).toBeNull();
    expect(
      results.apply(job, [
        { at: 2, error: failed },
        { at: 1, stats: makeStats() },
      ]),
    ).toBe(true);
    expect(results.rows[1].failed).toBe(true);
    expect(results.rows[0].stats).not.toBeNull();
    expect(results.failures.errorOf(0)).toBe(failed);
    expect(results.priorityLeft).toBe(0);
    expect(results.tally.counts()).toEqual(tallyRows(results.rows, []));
    expect(results.tally.counts().bad).toEqual([results.rows[2]]);
  });

  it('gives zero-byte tensors of a dtype one shared stats object', () => {
    const results = new ScanResults(new Set());
    const infos = [zero('x'), zero('y')];
    infos.forEach((info, at) => {
      const row = { ...makeRow(info.name, { stats: null }), info };
      results.tally.add(at, row);
      results.rows.push(row);
    });
    const kernel = new EmptyTensorStats({ wasm: false });
    const job: ScanJob = { fileId: 0, file, tensors: infos, rows: [0, 1], bytes: 0 };
    // Two messages, as the page gets them: a separate object each.
    results.apply(job, [{ at: 0, stats: kernel.of(infos[0], true) }]);
    results.apply(job, [{ at: 1, stats: kernel.of(infos[1], true) }]);
    expect(results.rows[0].stats).toBe(results.rows[1].stats);
    expect(results.rows[0].stats).toEqual({ ...kernel.of(infos[0], true), name: '' });
  });
});
