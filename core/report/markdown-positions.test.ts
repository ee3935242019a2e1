import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import { parseHeaderBytes } from '../format/parse-header';
import { memorySource } from '../io/byte-source';
import { scanTensors } from '../scan/scan-tensor';
import { buildJsonReport } from './json-report';
import { formatMarkdownReport } from './markdown-report';

/** F32 tensors (name -> [shape, values]) scanned as one file. */
async function report(tensors: Record<string, [number[], number[]]>) {
  const bytes = buildSafetensors(
    Object.entries(tensors).map(([name, [shape, values]]) => ({
      name,
      dtype: 'F32' as const,
      shape,
      data: new Uint8Array(Float32Array.from(values).buffer),
    })),
  );
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const parsed = parseHeaderBytes('a.safetensors', bytes.length, bytes.subarray(8, 8 + n));
  if (!parsed.ok) {
    throw new Error(parsed.error.message);
  }
  const stats = await scanTensors(memorySource('a.safetensors', bytes), parsed.value.tensors);
  return buildJsonReport(
    [
      {
        path: 'a.safetensors',
        size: bytes.length,
        header: parsed.value,
        stats: new Map(stats.map((s) => [s.name, s])),
      },
    ],
    [],
    { version: '1' },
  );
}

describe('Markdown export: NaN/Inf positions', () => {
  it('prints 1-D tensors by index and the others by (row, col), as the CLI text does', async () => {
    const nan = Number.NaN;
    const md = formatMarkdownReport(
      await report({
        'model.norm.weight': [[8], [1, 1, 1, 1, 1, nan, 1, Infinity]],
        'model.layers.0.mlp.down_proj.weight': [
          [2, 4],
          [1, 1, 1, 1, 1, 1, nan, 1],
        ],
      }),
      'v',
    );
    const line = (name: string, what: string): string =>
      md.split('\n').find((l) => l.includes(name) && l.includes(what)) ?? '';
    // 1-D: flat indices 5 (NaN) and 7 (Inf); [2, 4]: flat 6 is row 1, col 2.
    expect(line('model.norm.weight', 'NaN')).toMatch(/1 NaN, first at index 5$/);
    expect(line('model.norm.weight', 'Inf')).toMatch(/1 Inf, first at index 7$/);
    expect(line('down_proj.weight', 'NaN')).toMatch(
      /1 NaN, first at \\?\(row, col\\?\) \\?\(1, 2\\?\)$/,
    );
  });
});
