import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../core/format/tensor-info';
import { REMOTE_FULL_MARKER_TYPE, REMOTE_MARKER_TYPE } from '../../core/hub/remote-ref';
import { analysesAtScanEnd, scannedTensors } from './remote-plan';

function tensor(name: string, nbytes: number): TensorInfo {
  return { name, dtype: 'U8', shape: [nbytes], offset: 0, nbytes, elements: nbytes };
}

const MiB = 1024 * 1024;

describe('scannedTensors', () => {
  it('scans every tensor of a local or full remote file, only scales and small ones by default', () => {
    const scale = tensor('a.weight_scale', 2 * MiB);
    const weight = tensor('a.weight', 4 * MiB);
    const norm = tensor('norm.weight', 4096);
    expect(scannedTensors(new Blob([new Uint8Array(8)]))).toBeNull();
    expect(scannedTensors(new Blob(['{}'], { type: REMOTE_FULL_MARKER_TYPE }))).toBeNull();
    const pick = scannedTensors(new Blob(['{}'], { type: REMOTE_MARKER_TYPE }));
    expect([scale, weight, norm].map((t) => pick?.(t))).toEqual([true, false, true]);
  });
});

describe('the analysis of a default remote scan waits for the scan end', () => {
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
});
