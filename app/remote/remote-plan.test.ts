import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../core/format/tensor-info';
import { REMOTE_FULL_MARKER_TYPE, REMOTE_MARKER_TYPE } from '../../core/hub/remote-ref';
import { analysesAtScanEnd, remoteScalesSettled } from './remote-plan';

function tensor(name: string, nbytes: number): TensorInfo {
  return { name, dtype: 'U8', shape: [nbytes], offset: 0, nbytes, elements: nbytes };
}

const MiB = 1024 * 1024;

describe('the analysis of a default remote scan waits for every scale outcome', () => {
  it('waits for the scan end only for default remote files', () => {
    const local = { file: new Blob([new Uint8Array(8)]) };
    expect(analysesAtScanEnd([local])).toBe(false);
    expect(analysesAtScanEnd([{ file: new Blob(['{}'], { type: REMOTE_FULL_MARKER_TYPE }) }])).toBe(
      false,
    );
    expect(
      analysesAtScanEnd([local, { file: new Blob(['{}'], { type: REMOTE_MARKER_TYPE }) }]),
    ).toBe(true);
  });

  it('is settled once every remote scale or small tensor has stats or failed', () => {
    const rows = [
      { info: tensor('a.weight', 4 * MiB), stats: null },
      { info: tensor('a.weight_scale', 2 * MiB), stats: {} },
      { info: tensor('norm.weight', 4096), stats: null, failed: true },
    ];
    // The unread bulk weight does not count; the scale has stats; the norm failed (an outcome).
    expect(remoteScalesSettled(rows, () => true)).toBe(true);
    const pending = [...rows, { info: tensor('b.weight_scale', 2 * MiB), stats: null }];
    expect(remoteScalesSettled(pending, () => true)).toBe(false);
    // A local file's rows are not waited for here.
    expect(remoteScalesSettled(pending, (i) => i !== 3)).toBe(true);
  });
});
