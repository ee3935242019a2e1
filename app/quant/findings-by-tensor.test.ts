import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/quant/index';
import type { TensorRow } from '../model/tensor-row';
import type { QuantSummary } from '../../workers/quant-summary';
import { attachFindings, faultyScaleFiles } from './findings-by-tensor';

function row(fileId: number, fileName: string, name: string): Required<TensorRow> {
  // Required: a field added to TensorRow must be added here, and the test below checks that
  // attachFindings keeps it.
  return {
    key: `${fileId}:${name}`,
    fileId,
    fileName,
    info: { name, dtype: 'F8_E4M3', shape: [2], offset: 0, nbytes: 2, elements: 2 },
    stats: null,
    findings: 0,
    tinyBytes: new Uint8Array([1, 2]),
    failed: true,
    missing: false,
  };
}

function finding(rule: Finding['rule'], file: string | null, tensor: string | null): Finding {
  return { rule, severity: 'error', file, module: null, tensor, count: 3, message: '' };
}

function summary(findings: Finding[]): QuantSummary {
  return { id: 1, files: [], moduleCount: 0, findings, configFile: null };
}

describe('attachFindings', () => {
  const rows = [
    row(0, 'a.safetensors', 's0'),
    row(0, 'a.safetensors', 's1'),
    row(1, 'b.safetensors', 's0'),
  ];

  it('counts the findings naming each tensor of each file, and keeps every other field', () => {
    const out = attachFindings(
      rows,
      summary([
        finding('nan-scale', 'a.safetensors', 's0'),
        finding('scale-shape', 'a.safetensors', 's0'),
        finding('nan-scale', 'b.safetensors', 's0'),
        finding('config-mismatch', null, null),
      ]),
    );
    expect(out.map((r) => r.findings)).toEqual([2, 0, 1]);
    expect(out[0]).toEqual({ ...rows[0], findings: 2 });
    expect(out[2]).toEqual({ ...rows[2], findings: 1 });
    // Rows without findings are the same objects.
    expect(out[1]).toBe(rows[1]);
  });

  it('returns the rows themselves without findings', () => {
    expect(attachFindings(rows, null)).toBe(rows);
    expect(attachFindings(rows, summary([]))).toBe(rows);
  });
});

describe('faultyScaleFiles', () => {
  it('names the files with NaN or Inf scale findings', () => {
    expect([
      ...faultyScaleFiles(
        summary([
          finding('nan-scale', 'a.safetensors', 's0'),
          finding('scale-shape', 'c.safetensors', 's0'),
          finding('inf-scale', 'b.safetensors', 's1'),
        ]),
      ),
    ]).toEqual(['a.safetensors', 'b.safetensors']);
    expect(faultyScaleFiles(null).size).toBe(0);
  });
});
