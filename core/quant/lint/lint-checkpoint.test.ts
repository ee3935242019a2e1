import { describe, expect, it } from 'vitest';
import { recognizeScheme } from '../recognize-scheme';
import type { TensorStats } from '../../scan/tensor-stats';
import { headerOf } from '../testing/open-fixture';
import { lintCheckpoint } from './lint-checkpoint';

describe('lintCheckpoint', () => {
  const { header } = headerOf([
    { name: 'a.weight', dtype: 'F8_E4M3', shape: [2, 2], data: new Uint8Array(4) },
    { name: 'a.weight_scale', dtype: 'F32', shape: [], data: new Uint8Array(4) },
    { name: 'o.weight_scale', dtype: 'F8_E4M3', shape: [2], data: new Uint8Array(2) },
    { name: 'b.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
    { name: 'b.weight_scale_2', dtype: 'F32', shape: [], data: new Uint8Array(4) },
  ]);
  const report = recognizeScheme([header], null, null);

  it('sorts findings by severity, then file, module and rule', () => {
    expect(lintCheckpoint(report, []).map((f) => [f.severity, f.rule])).toEqual([
      ['error', 'missing-scale'],
      ['warning', 'orphan-scale'],
    ]);
  });

  it('falls back on the plain scan for NaN / Inf of scales of modules not analysed', () => {
    const stats = { floatLike: true, nan: 1, posInf: 0, negInf: 0, elements: 1 } as TensorStats;
    const byFile = new Map([['model.safetensors', new Map([['a.weight_scale', stats]])]]);
    const findings = lintCheckpoint(report, [], byFile);
    expect(findings.find((f) => f.rule === 'nan-scale')).toMatchObject({
      module: 'a',
      tensor: 'a.weight_scale',
      count: 1,
    });
  });
});
