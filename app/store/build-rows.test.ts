import { describe, expect, it } from 'vitest';
import type { CheckpointSummary } from '../../workers/checkpoint-summary';
import type { SafetensorsHeader, TensorInfo } from '../../core/format/tensor-info';
import type { TensorRow } from '../model/tensor-row';
import { buildHeaderRows, ROW_SLICE } from './build-rows';
import { RowTally, tallyRows } from './row-tally';

function header(fileName: string, tensors: readonly TensorInfo[]): SafetensorsHeader {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  return { fileName, fileSize: 8, headerLength: 0, dataStart: 8, metadata: null, tensors, byName };
}

function tensor(name: string): TensorInfo {
  return { name, dtype: 'F32', shape: [0], offset: 0, nbytes: 0, elements: 0 };
}

/** Three files: one of more than two slices, one without a header, one small. */
function files(): CheckpointSummary['files'] {
  const big = Array.from({ length: 2 * ROW_SLICE + 7 }, (_, i) => tensor(`big.${i}`));
  return [
    { name: 'a.safetensors', size: 8, header: header('a.safetensors', big), error: null },
    { name: 'bad.safetensors', size: 3, header: null, error: null },
    {
      name: 'c.safetensors',
      size: 8,
      header: header('c.safetensors', [tensor('x'), tensor('y')]),
      error: null,
    },
  ];
}

describe('buildHeaderRows', () => {
  it('makes the rows a single pass would, across slices, and counts each', async () => {
    const input = files();
    const rows: TensorRow[] = [];
    const tally = new RowTally(new Set());
    expect(await buildHeaderRows(input, tally, rows, () => true)).toBe(true);
    const expected: TensorRow[] = [];
    input.forEach((f, id) => {
      for (const info of f.header?.tensors ?? []) {
        expected.push({
          key: `${id}:${info.name}`,
          fileId: id,
          fileName: f.name,
          info,
          stats: null,
        });
      }
    });
    expect(rows).toEqual(expected);
    expect(tally.counts()).toEqual(tallyRows(expected, []));
    expect(tally.counts().tensors).toBe(2 * ROW_SLICE + 9);
  });

  it('stops after a slice once the load is no longer current', async () => {
    const rows: TensorRow[] = [];
    let current = true;
    const done = buildHeaderRows(files(), new RowTally(new Set()), rows, () => current);
    expect(rows.length).toBe(ROW_SLICE);
    current = false;
    expect(await done).toBe(false);
    expect(rows.length).toBe(ROW_SLICE);
  });
});
