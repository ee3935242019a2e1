import { describe, expect, it } from 'vitest';
import type { Finding } from '../quant/quant-types';
import { buildJsonReport } from './json-report';

const finding: Finding = {
  rule: 'nan-scale',
  severity: 'error',
  file: 'a.safetensors',
  module: 'blocks.0.ffn.0',
  tensor: 'blocks.0.ffn.0.weight_scale',
  count: 2,
  message: '2 NaN',
};

describe('buildJsonReport: quantization fields', () => {
  it('adds scheme, producer, schemeSource per file and findings at the top', () => {
    const report = buildJsonReport(
      [
        {
          path: 'a.safetensors',
          size: 8,
          header: null,
          stats: new Map(),
          quant: {
            file: 'a.safetensors',
            scheme: 'nvfp4',
            producer: 'comfyui',
            source: 'names',
            modules: 7,
            schemes: ['nvfp4'],
          },
        },
        { path: 'b.safetensors', size: 8, header: null, stats: new Map() },
      ],
      [],
      { version: '1', findings: [finding] },
    );
    expect(
      report.files.map((f) => [f.scheme, f.producer, f.schemeSource, f.quantizedModules]),
    ).toEqual([
      ['nvfp4', 'comfyui', 'names', 7],
      [null, null, null, null],
    ]);
    expect(report.findings).toEqual([finding]);
    expect(report.files[0]).toMatchObject({
      path: 'a.safetensors',
      size: 8,
      headerLength: null,
      metadata: null,
      tensors: [],
    });
  });

  it('reports no findings when none were computed', () => {
    expect(buildJsonReport([], [], { version: '1' }).findings).toEqual([]);
  });
});
