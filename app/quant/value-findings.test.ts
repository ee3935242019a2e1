import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../core/format/build-safetensors';
import type { Finding } from '../../core/quant/index';
import { lintCheckpoint } from '../../core/quant/lint/lint-checkpoint';
import { nonFiniteValues } from '../../core/quant/lint/nan-value';
import { f32Bytes } from '../../core/quant/testing/encode';
import { hfConfig } from '../../core/quant/testing/fixture-configs';
import { edits, setBytes } from '../../core/quant/testing/fixture-kit';
import { lintFixture, rawFixture } from '../../core/quant/testing/lint-fixture';
import { randomMatrix } from '../../core/quant/testing/modules-float';
import { autoAwq, plainBf16 } from '../../core/quant/testing/modules-int';
import type { TensorStats } from '../../core/scan/tensor-stats';
import type { TensorRow } from '../model/tensor-row';
import { mergeFindings, nonFiniteRows } from './value-findings';

const AWQ_CONFIG = hfConfig({
  quant_method: 'awq',
  bits: 4,
  group_size: 32,
  zero_point: true,
  version: 'gemm',
});

/** An AutoAWQ module, a BF16 weight with a NaN and an Inf, a norm with a NaN, an F32 Inf bias. */
function model(): TensorSpec[] {
  return [
    ...autoAwq('model.layers.0.mlp.down_proj', randomMatrix(32, 64, 1000), 32).tensors,
    plainBf16('model.layers.0.self_attn.o_proj.weight', randomMatrix(32, 64, 1001)),
    plainBf16('model.norm.weight', randomMatrix(1, 64, 1002)),
    {
      name: 'model.layers.0.self_attn.o_proj.bias',
      dtype: 'F32',
      shape: [4],
      data: f32Bytes([1, Infinity, 2, -Infinity]),
    },
  ];
}

const FAULTS = edits(
  // BF16 NaN (0x7FC0) at element 5 and +Inf (0x7F80) at element 9 of o_proj; NaN at norm[3].
  setBytes('model.layers.0.self_attn.o_proj.weight', [
    [10, 0xc0],
    [11, 0x7f],
    [18, 0x80],
    [19, 0x7f],
  ]),
  setBytes('model.norm.weight', [
    [6, 0xc0],
    [7, 0x7f],
  ]),
  // A NaN in an AWQ F16 scale is nan-scale (from the analysis), never nan-value as well.
  setBytes('model.layers.0.mlp.down_proj.scales', [
    [0, 0x00],
    [1, 0x7e],
  ]),
);

/** The page's rows for the scanned stats: one per tensor, file ids by file order. */
function rowsOf(stats: ReadonlyMap<string, ReadonlyMap<string, TensorStats>>): TensorRow[] {
  const rows: TensorRow[] = [];
  [...stats].forEach(([fileName, byName], fileId) => {
    for (const [name, s] of byName) {
      rows.push({
        key: `${fileId}:${name}`,
        fileId,
        fileName,
        info: {
          name,
          dtype: s.dtype,
          shape: [s.elements],
          offset: 0,
          nbytes: 0,
          elements: s.elements,
        },
        stats: s,
      });
    }
  });
  return rows;
}

describe('the page’s nan-value / inf-value findings', () => {
  it('are the CLI’s: the worker’s findings merged with nonFiniteValues of the NaN/Inf rows', async () => {
    const linted = await lintFixture(rawFixture(model(), { config: AWQ_CONFIG, edit: FAULTS }));
    const cli = linted.findings;
    // Independently: o_proj weight 1 NaN + 1 Inf, norm 1 NaN, the bias 2 Inf, the AWQ scale nan-scale.
    expect(
      cli
        .filter((f) => f.severity === 'error')
        .map((f) => [f.rule, f.tensor, f.count])
        .sort(),
    ).toEqual(
      [
        ['inf-value', 'model.layers.0.self_attn.o_proj.bias', 2],
        ['inf-value', 'model.layers.0.self_attn.o_proj.weight', 1],
        ['nan-scale', 'model.layers.0.mlp.down_proj.scales', 1],
        ['nan-value', 'model.layers.0.self_attn.o_proj.weight', 1],
        ['nan-value', 'model.norm.weight', 1],
      ].sort(),
    );
    // The page: the worker lints without stats, then adds what the rows with NaN/Inf give.
    const worker = lintCheckpoint(linted.report, linted.analyses, undefined, {
      config: linted.checkpoint.config,
      headers: linted.headers,
    });
    const { stats } = nonFiniteRows(rowsOf(linted.stats));
    expect(stats.map((s) => s.tensor).sort()).toEqual([
      'model.layers.0.mlp.down_proj.scales',
      'model.layers.0.self_attn.o_proj.bias',
      'model.layers.0.self_attn.o_proj.weight',
      'model.norm.weight',
    ]);
    const byFile = new Map<string, Map<string, TensorStats>>();
    for (const s of stats) {
      byFile.set(s.file, (byFile.get(s.file) ?? new Map()).set(s.tensor, s.stats));
    }
    const page = mergeFindings(worker, nonFiniteValues({ modules: linted.report.modules }, byFile));
    expect(page).toEqual(cli);
  });

  it('skip missing and unscanned rows, and key the NaN/Inf counts', async () => {
    const linted = await lintFixture(rawFixture(model(), { config: AWQ_CONFIG, edit: FAULTS }));
    const rows = rowsOf(linted.stats);
    const norm = rows.find((r) => r.info.name === 'model.norm.weight');
    expect(norm).toBeDefined();
    if (norm === undefined) {
      return;
    }
    const only = [
      norm,
      { ...norm, key: '1:model.norm.weight', fileId: 1, missing: true },
      { ...norm, key: '2:model.norm.weight', fileId: 2, stats: null },
      ...rows.filter((r) => r.info.name.endsWith('qweight')),
    ];
    expect(nonFiniteRows(only).key).toBe('0:model.norm.weight:1:0');
    expect(nonFiniteRows(only).stats.map((s) => s.tensor)).toEqual(['model.norm.weight']);
  });

  it('merge two sorted lists into the order lintCheckpoint sorts', () => {
    const f = (rule: Finding['rule'], severity: Finding['severity'], file: string): Finding => ({
      rule,
      severity,
      file,
      module: 'm',
      tensor: 't',
      count: 1,
      message: '',
    });
    const a = [f('nan-scale', 'error', 'b'), f('orphan-scale', 'warning', 'a')];
    const b = [f('nan-value', 'error', 'a'), f('nan-value', 'error', 'c')];
    expect(mergeFindings(a, b).map((x) => `${x.rule}@${x.file ?? ''}`)).toEqual([
      'nan-value@a',
      'nan-scale@b',
      'nan-value@c',
      'orphan-scale@a',
    ]);
  });
});
