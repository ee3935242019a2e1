import { describe, expect, it } from 'vitest';
import type { SafetensorsHeader, TensorInfo } from '../../core/format/tensor-info';
import { REMOTE_FULL_MARKER_TYPE, REMOTE_MARKER_TYPE } from '../../core/hub/remote-ref';
import { formatApproxBytes, planReadBytes, plansOnRequest } from './remote-planning';

function tensor(name: string, nbytes: number): TensorInfo {
  return { name, dtype: 'U8', shape: [nbytes], offset: 0, nbytes, elements: nbytes };
}

function header(tensors: TensorInfo[]): SafetensorsHeader {
  return {
    fileName: 'm.safetensors',
    fileSize: 8,
    headerLength: 0,
    dataStart: 8,
    metadata: null,
    tensors,
    byName: new Map(tensors.map((t) => [t.name, t])),
  };
}

describe('repair plans of remote files wait for a click', () => {
  it('plans on request when any file is remote (default or full), never for local files', () => {
    const local = { file: new Blob([new Uint8Array(8)]) };
    expect(plansOnRequest([local])).toBe(false);
    expect(plansOnRequest([{ file: null }])).toBe(false);
    expect(plansOnRequest([local, { file: new Blob(['{}'], { type: REMOTE_MARKER_TYPE }) }])).toBe(
      true,
    );
    expect(plansOnRequest([{ file: new Blob(['{}'], { type: REMOTE_FULL_MARKER_TYPE }) }])).toBe(
      true,
    );
  });

  it('counts the scale and small tensors a plan reads, not the bulk weights', () => {
    const MiB = 1024 * 1024;
    const h = header([
      tensor('a.weight', 4 * MiB),
      tensor('a.weight_scale', 2 * MiB),
      tensor('a.input_scale', 4),
      tensor('norm.weight', 4096),
    ]);
    // 2 MiB (a scale by name, however large) + 4 + 4096; the 4 MiB weight is not read.
    expect(planReadBytes([h, h])).toBe(2 * (2 * MiB + 4 + 4096));
  });

  it('words the size in decimal units', () => {
    expect(formatApproxBytes(5_263_360)).toBe('~5.3 MB');
    expect(formatApproxBytes(4100)).toBe('~4 kB');
    expect(formatApproxBytes(3)).toBe('~1 kB');
  });
});
