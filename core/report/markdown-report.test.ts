import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import { parseHeaderBytes } from '../format/parse-header';
import { memorySource } from '../io/byte-source';
import type { Finding } from '../quant/quant-types';
import { scanTensors } from '../scan/scan-tensor';
import type { TensorStats } from '../scan/tensor-stats';
import type { FileResult, JsonReport } from './json-report';
import { buildJsonReport } from './json-report';
import { formatMarkdownReport } from './markdown-report';

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'nan-scale',
  severity: 'error',
  file: 'a.safetensors',
  module: 'm',
  tensor: 'm.weight_scale',
  count: 2,
  message: '2 NaN',
  ...over,
});

/** A scanned file of F32 tensors (name -> values); `scanned` says which were scanned. */
async function file(
  path: string,
  tensors: Record<string, number[]>,
  scanned: (name: string) => boolean = () => true,
): Promise<FileResult> {
  const bytes = buildSafetensors(
    Object.entries(tensors).map(([name, values]) => ({
      name,
      dtype: 'F32' as const,
      shape: [values.length],
      data: new Uint8Array(Float32Array.from(values).buffer),
    })),
  );
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const parsed = parseHeaderBytes(path, bytes.length, bytes.subarray(8, 8 + n));
  if (!parsed.ok) {
    throw new Error(parsed.error.message);
  }
  const wanted = parsed.value.tensors.filter((t) => scanned(t.name));
  const stats = await scanTensors(memorySource(path, bytes), wanted);
  return {
    path,
    size: bytes.length,
    header: parsed.value,
    stats: new Map<string, TensorStats>(stats.map((s) => [s.name, s])),
  };
}

/** The cells of a table row, split on unescaped pipes as GFM does. */
function cells(row: string): string[] {
  return row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('formatMarkdownReport', () => {
  it('shows one compact table (module, rule, count, tensor) with NaN tensors first', async () => {
    const report = buildJsonReport(
      [await file('ckpt/a.safetensors', { 'layers.0.w': [1, Number.NaN], 'layers.1.w': [2] })],
      [],
      { version: '1', findings: [finding({ severity: 'warning', rule: 'orphan-scale' })] },
    );
    const md = formatMarkdownReport(report, '1 NaN in 1 tensor');
    const lines = md.split('\n');
    const head = lines.indexOf('| module | rule | count | tensor |');
    expect(head).toBeGreaterThan(0);
    expect(cells(lines[head + 2])).toEqual(['` layers.0 `', '` nan `', '1', '` layers.0.w `']);
    expect(cells(lines[head + 3])).toEqual([
      '` m `',
      '` orphan-scale `',
      '2',
      '` m.weight_scale `',
    ]);
    expect(md).toContain('**1 NaN in 1 tensor**');
    expect(md).toContain('```sh\nnpx ckptscope scan ckpt/a.safetensors\n```');
    expect(md).not.toContain('Partial');
  });

  it('folds long lists into <details> and says when more are only in the JSON', () => {
    const findings = Array.from({ length: 250 }, (_, i) => finding({ module: `m${i}` }));
    const md = formatMarkdownReport(buildJsonReport([], [], { version: '1', findings }), 'v');
    const rows = md.split('\n').filter((l) => l.startsWith('| ` m'));
    expect(rows).toHaveLength(200);
    expect(md).toContain(
      '<details><summary>180 more rows</summary>\n\n| module | rule | count | tensor |',
    );
    expect(md).toContain('… and 50 more (see the JSON export).');
    expect(md).toContain('<details><summary>Evidence (200)</summary>');
  });

  it('marks a report exported mid-scan as partial', async () => {
    const f = await file('a.safetensors', { x: [1], y: [2], z: [3] }, (n) => n === 'x');
    const md = formatMarkdownReport(
      buildJsonReport([f], [], { version: '1', complete: false }),
      'v',
    );
    expect(md).toContain(
      '> **Partial report:** exported before the scan finished (1 of 3 tensors scanned).',
    );
  });

  it('gives the scheme line, the repair plan summary and the paths to reproduce', () => {
    const report: JsonReport = {
      ...buildJsonReport([], [], { version: '1' }),
      files: [
        {
          path: "it's.safetensors",
          size: 8,
          headerLength: 2,
          metadata: null,
          tensors: [],
          scheme: 'nvfp4',
          producer: 'modelopt',
          schemeSource: 'config',
          quantizedModules: 3,
        },
      ],
    };
    const md = formatMarkdownReport(report, 'v', { repairSummary: '3 NaN bytes -> max' });
    expect(md).toContain('Scheme: ` nvfp4 ` (modelopt, from config)');
    expect(md).toContain('**Repair plan:** 3 NaN bytes \\-&gt; max');
    expect(md).toContain(`npx ckptscope scan 'it'\\''s.safetensors'`);
  });

  it('keeps hostile names and messages inert: no image, link, HTML or control character', async () => {
    const evil = '`![x](http://evil.example/i.png)`<img src=x onerror=alert(1)>\u001b[2J\u0007|';
    const report = buildJsonReport(
      [await file('d/<b>.safetensors', { [evil]: [Number.NaN] })],
      [{ code: 'ReadFailed', file: 'd/x', tensor: null, message: `<img src=x> [y](z) ${evil}` }],
      { version: '1', findings: [finding({ module: evil, tensor: evil, message: evil })] },
    );
    const md = formatMarkdownReport(report, `verdict ${evil}`);
    // eslint-disable-next-line no-control-regex -- looking for them is the point
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
      expect(cells(line)).toHaveLength(4);
    }
    // Outside code spans and the command block (both literal), no raw markup survives.
    const outside = md
      .replace(/^(`{3,})sh\n[^]*?\n\1$/m, '')
      .replace(/(`+) [^\n]*? \1(?!`)/g, '')
      .replace(/<\/?details>|<summary>|<\/summary>/g, '');
    expect(outside).not.toMatch(/<img|!\[|\]\(/);
    expect(outside.split('\n').filter((l) => /(?<!\\)</.test(l))).toEqual([]);
  });
});
