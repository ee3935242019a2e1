import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REMOTE_FULL_MARKER_TYPE, REMOTE_MARKER_TYPE } from '../../core/hub/remote-ref';
import { makeRow } from '../components/table/test-rows';
import type { TensorRow } from '../model/tensor-row';
import { RowTally, remoteDefaultFiles, tallyRows } from './row-tally';

const MiB = 1024 * 1024;

/** Row versions a scan goes through: pending, then scanned (clean or not), failed; or missing. */
const versions = (name: string, fileId: number): TensorRow[] => {
  const base = { ...makeRow(name, { stats: null, nbytes: 2 * MiB }), fileId };
  return [
    base,
    { ...base, stats: makeRow(name, {}).stats },
    { ...base, stats: makeRow(name, { stats: { nan: 2 } }).stats },
    { ...base, stats: makeRow(name, { stats: { negInf: 1 } }).stats },
    { ...base, failed: true },
    { ...base, missing: true },
  ];
};

describe('RowTally', () => {
  const files = [
    { id: 0, file: new Blob([]) },
    { id: 1, file: new Blob(['{}'], { type: REMOTE_MARKER_TYPE }) },
    { id: 2, file: new Blob(['{}'], { type: REMOTE_FULL_MARKER_TYPE }) },
  ];

  it('knows which files a default remote scan leaves partly unread', () => {
    expect([...remoteDefaultFiles(files)]).toEqual([1]);
  });

  it('counts as a pass over the rows does, after any sequence of changes (fast-check)', () => {
    const names = ['a.weight', 'a.weight_scale', 'b.weight', 'norm.weight'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.nat(2), fc.nat(5)), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(11), fc.nat(5)), { maxLength: 40 }),
        (start, changes) => {
          const rows = start.map(([n, f, v]) => versions(names[n], f)[v]);
          const tally = new RowTally(remoteDefaultFiles(files));
          rows.forEach((row, at) => tally.add(at, row));
          for (const [at, v] of changes) {
            const before = rows[at % rows.length];
            const after = versions(before.info.name, before.fileId)[v];
            tally.replace(at % rows.length, before, after);
            rows[at % rows.length] = after;
            expect(tally.counts()).toEqual(tallyRows(rows, files));
          }
          expect(tally.counts()).toEqual(tallyRows(rows, files));
        },
      ),
    );
  });

  it('counts bulk tensors of a default remote file as unread by choice, and bad rows in order', () => {
    const rows = [
      { ...makeRow('x.weight', { stats: null, nbytes: 2 * MiB }), fileId: 1 },
      { ...makeRow('x.weight_scale', { stats: { nan: 1 } }), fileId: 1 },
      { ...makeRow('y.weight', { stats: null, nbytes: 2 * MiB }), fileId: 2 },
      { ...makeRow('z', { stats: { posInf: 1 } }), fileId: 0 },
    ];
    const counts = tallyRows(rows, files);
    expect(counts).toMatchObject({ tensors: 4, scanned: 2, failed: 0, unreadByChoice: 1 });
    expect(counts.bad).toEqual([rows[1], rows[3]]);
  });

  it('gives the same counts object while nothing changed', () => {
    const tally = new RowTally(new Set());
    const row = makeRow('a', { stats: null });
    tally.add(0, row);
    const first = tally.counts();
    expect(tally.counts()).toBe(first);
    tally.replace(0, row, makeRow('a', { stats: { nan: 1 } }));
    const second = tally.counts();
    expect(second).not.toBe(first);
    expect(second.bad).toHaveLength(1);
  });
});
