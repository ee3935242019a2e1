import { describe, expect, it } from 'vitest';
import { memorySource } from '../core/io/byte-source';
import { buildSafetensors } from '../core/format/build-safetensors';
import { headerOf } from '../core/quant/testing/open-fixture';
import { scanTensors } from '../core/scan/scan-tensor';
import { formatTextReport } from './text-report';

/** F32 bytes with NaN at the given element indices, 1.0 elsewhere. */
function f32WithNaN(n: number, nanAt: readonly number[]): Uint8Array {
  const v = new Float32Array(n).fill(1);
  for (const i of nanAt) {
    v[i] = NaN;
  }
  return new Uint8Array(v.buffer);
}

describe('text report: NaN positions', () => {
  it('prints 1-D tensors by index and 2-D ones by (row, col)', async () => {
    const tensors = [
      { name: 'norm.weight', dtype: 'F32' as const, shape: [8], data: f32WithNaN(8, [5]) },
      { name: 'proj.weight', dtype: 'F32' as const, shape: [2, 4], data: f32WithNaN(8, [6]) },
    ];
    const { header } = headerOf(tensors);
    const bytes = buildSafetensors(tensors);
    const stats = await scanTensors(memorySource('model.safetensors', bytes), header.tensors);
    const text = formatTextReport(
      [
        {
          path: 'model.safetensors',
          size: bytes.length,
          header,
          stats: new Map(stats.map((s) => [s.name, s])),
        },
      ],
      [],
      1,
    );
    expect(text).toMatch(/norm\.weight .* at index \[5\]/);
    expect(text).toMatch(/proj\.weight .* at \(row, col\) \[1, 2\]/);
  });
});
