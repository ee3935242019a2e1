import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../core/format/tensor-info';
import type { ScanJob } from '../workers-client/scan-pool';
import { ROW_SLICE } from './build-rows';
import { markPriorityRows } from './mark-priority';

function tensor(name: string): TensorInfo {
  return { name, dtype: 'F32', shape: [0], offset: 0, nbytes: 0, elements: 0 };
}

const file = { name: 'a.safetensors', file: new Blob([]) };

function job(fileId: number, rows: readonly number[], priority: boolean): ScanJob {
  return { fileId, file, tensors: rows.map((r) => tensor(`t${r}`)), rows, bytes: 0, priority };
}

describe('markPriorityRows', () => {
  it("flags exactly the priority jobs' rows, across slices, and counts each row once", async () => {
    const many = Array.from({ length: ROW_SLICE + 3 }, (_, i) => i);
    const marks = new Uint8Array(many.length + 2);
    marks[0] = 2; // already came back: left alone
    const jobs = [
      job(0, many, true),
      job(1, [many.length], false),
      job(1, [many.length + 1], true),
      job(0, [1], true),
    ];
    expect(await markPriorityRows(jobs, marks, () => true)).toBe(many.length - 1 + 1);
    const expected = new Uint8Array(many.length + 2).fill(1);
    expected[0] = 2;
    expected[many.length] = 0;
    expect(marks).toEqual(expected);
  });

  it('returns null once the load is no longer current', async () => {
    const many = Array.from({ length: ROW_SLICE + 3 }, (_, i) => i);
    const marks = new Uint8Array(many.length);
    let current = true;
    const done = markPriorityRows([job(0, many, true)], marks, () => current);
    current = false;
    expect(await done).toBeNull();
    expect(marks.reduce((n, m) => n + m, 0)).toBe(ROW_SLICE);
  });
});
