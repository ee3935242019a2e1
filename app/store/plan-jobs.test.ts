import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../core/format/tensor-info';
import { isPriorityTensor } from '../../core/scan/scan-order';
import { planJobs } from './plan-jobs';
import type { PlannedFile } from './plan-jobs';
import type { ScanJob } from '../workers-client/scan-pool';

const MIB = 1024 * 1024;

function tensors(count: number, sizeOf: (i: number) => number, nameOf: (i: number) => string) {
  let offset = 100;
  return Array.from({ length: count }, (_, i): TensorInfo => {
    const nbytes = sizeOf(i);
    const t: TensorInfo = {
      name: nameOf(i),
      dtype: 'U8',
      shape: [nbytes],
      offset,
      nbytes,
      elements: nbytes,
    };
    offset += nbytes;
    return t;
  });
}

describe('planJobs', () => {
  const a = tensors(
    2000,
    (i) => (i % 3 === 0 ? 3 * MIB : i % 3 === 1 ? 40 * MIB : 16),
    (i) => (i % 3 === 0 ? `l${i}.weight_scale` : `l${i}.weight`),
  );
  const b = tensors(
    700,
    () => 1024,
    (i) => `norm${i}.weight`,
  );
  const file = (name: string) => ({ name, file: new Blob([]) });
  // Rows numbered as the store builds them: file a's tensors first (here listed reversed).
  const aListed = [...a].reverse();
  const rowOf = new Map([...aListed, ...b].map((t, i) => [t, i]));
  const jobs = planJobs([
    { fileId: 0, file: file('a'), tensors: aListed, rows: aListed.map((_, i) => i) },
    { fileId: 1, file: file('b'), tensors: b, rows: b.map((_, i) => a.length + i) },
  ]);

  it("carries each tensor's row at the tensor's position", () => {
    for (const j of jobs) {
      expect(j.rows).toEqual(j.tensors.map((t) => rowOf.get(t)));
    }
  });

  it('plans every tensor of every file exactly once', () => {
    const planned = jobs.flatMap((j) => j.tensors.map((t) => `${j.fileId}:${t.name}`));
    expect(new Set(planned).size).toBe(planned.length);
    expect(planned.length).toBe(a.length + b.length);
  });

  it('puts every scale and small tensor (of all files) before any other, flagged', () => {
    const firstBulk = jobs.findIndex((j) => j.priority !== true);
    expect(jobs.slice(0, firstBulk).every((j) => j.tensors.every(isPriorityTensor))).toBe(true);
    expect(jobs.slice(firstBulk).every((j) => j.priority !== true)).toBe(true);
    expect(
      jobs
        .slice(firstBulk)
        .flatMap((j) => j.tensors)
        .some(isPriorityTensor),
    ).toBe(false);
  });

  it('hands out the bulk jobs largest first (ties in byte order)', () => {
    const bulk = jobs.filter((j) => j.priority !== true);
    for (let i = 1; i < bulk.length; i++) {
      const [x, y] = [bulk[i - 1], bulk[i]];
      expect(x.bytes >= y.bytes).toBe(true);
      if (x.bytes === y.bytes && x.fileId === y.fileId) {
        expect(x.tensors[0].offset).toBeLessThan(y.tensors[0].offset);
      }
    }
  });

  it('keeps each job to one file, in byte order, within its size limits', () => {
    for (const j of jobs) {
      const offsets = j.tensors.map((t) => t.offset);
      expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
      expect(j.bytes).toBe(j.tensors.reduce((n, t) => n + t.nbytes, 0));
      expect(j.tensors.length).toBeLessThanOrEqual(512);
      if (j.tensors.length > 1) {
        expect(j.bytes).toBeLessThanOrEqual(j.priority === true ? 16 * MIB : 64 * MIB);
      }
    }
  });

  it('keeps byte order when the listed order is a shuffle of one contiguous run', () => {
    const t = (name: string, offset: number): TensorInfo => ({
      name,
      dtype: 'F32',
      shape: [1],
      offset,
      nbytes: 4,
      elements: 1,
    });
    // Listed 0, 8, 4, 12: in byte order positions 0, 2, 1, 3 (first to last spans 4 positions).
    const listed = [t('a', 0), t('c', 8), t('b', 4), t('d', 12)];
    const [only, ...none] = planJobs([
      { fileId: 0, file: file('x'), tensors: listed, rows: [10, 11, 12, 13] },
    ]);
    expect(none).toEqual([]);
    expect(only.tensors.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(only.rows).toEqual([10, 12, 11, 13]);
  });
});

/**
 * The planner as it was before it batched while walking (a list of every position first, then
 * `batch` over it): the reference the new one must equal, job for job.
 */
function referencePlan(files: readonly PlannedFile[]): ScanJob[] {
  const first: ScanJob[] = [];
  const rest: ScanJob[] = [];
  for (const f of files) {
    const ids = f.tensors.map((_, i) => i);
    const order = ids.every((i) => i === 0 || f.tensors[i - 1].offset <= f.tensors[i].offset)
      ? ids
      : ids.sort((a, b) => f.tensors[a].offset - f.tensors[b].offset || a - b);
    first.push(
      ...referenceBatch(
        f,
        order.filter((i) => isPriorityTensor(f.tensors[i])),
        16 * MIB,
        true,
      ),
    );
    rest.push(
      ...referenceBatch(
        f,
        order.filter((i) => !isPriorityTensor(f.tensors[i])),
        64 * MIB,
        false,
      ),
    );
  }
  const bulk = rest
    .map((job, index) => ({ job, index }))
    .sort((x, y) => y.job.bytes - x.job.bytes || x.index - y.index)
    .map((e) => e.job);
  return first.concat(bulk);
}

function referenceBatch(
  f: PlannedFile,
  positions: readonly number[],
  maxBytes: number,
  priority: boolean,
): ScanJob[] {
  const jobs: ScanJob[] = [];
  let current: number[] = [];
  let bytes = 0;
  const close = () => {
    if (current.length > 0) {
      jobs.push({
        fileId: f.fileId,
        file: f.file,
        tensors: current.map((i) => f.tensors[i]),
        rows: current.map((i) => f.rows[i]),
        bytes,
        priority,
      });
    }
    current = [];
    bytes = 0;
  };
  for (const i of positions) {
    const n = f.tensors[i].nbytes;
    if (current.length > 0 && (bytes + n > maxBytes || current.length >= 512)) {
      close();
    }
    current.push(i);
    bytes += n;
  }
  close();
  return jobs;
}

describe('planJobs against the reference planner', () => {
  it('gives the same jobs (tensors, rows, bytes, priority, order) for any files', () => {
    /** A tensor: its size class (small, a scale by name, bulk) and whether it moves in the header. */
    const tensorArb = fc.record({
      size: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 4096 }),
        fc.integer({ min: 1, max: 40 }).map((m) => m * MIB),
      ),
      scale: fc.boolean(),
    });
    const fileArb = fc.record({
      tensors: fc.array(tensorArb, { maxLength: 1200 }),
      shuffle: fc.option(fc.array(fc.nat(), { minLength: 2, maxLength: 30 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(fileArb, { maxLength: 3 }), (generated) => {
        let row = 0;
        const files: PlannedFile[] = generated.map((g, fileId) => {
          let list = tensors(
            g.tensors.length,
            (i) => g.tensors[i].size,
            (i) => (g.tensors[i].scale ? `t${i}.weight_scale` : `t${i}.weight`),
          );
          if (g.shuffle !== null) {
            // Swap some pairs: headers listed out of byte order.
            list = [...list];
            for (let s = 0; s + 1 < g.shuffle.length && list.length > 1; s += 2) {
              const x = g.shuffle[s] % list.length;
              const y = g.shuffle[s + 1] % list.length;
              [list[x], list[y]] = [list[y], list[x]];
            }
          }
          const rows = list.map(() => row++);
          return { fileId, file: { name: `f${fileId}`, file: new Blob([]) }, tensors: list, rows };
        });
        expect(planJobs(files)).toEqual(referencePlan(files));
      }),
      { numRuns: 200 },
    );
  });
});
