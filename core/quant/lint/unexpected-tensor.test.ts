import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { f32Bytes } from '../testing/encode';
import { modelOptConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { modelOptNvfp4, randomMatrix } from '../testing/modules-float';
import { plainBf16 } from '../testing/modules-int';
import { leakOf } from './unexpected-tensor';

const P = 'model.layers.0.mlp.down_proj';
const CFG = { hfQuantConfig: modelOptConfig('NVFP4') };

function f32(name: string, shape: number[]): TensorSpec {
  const n = shape.reduce((a, b) => a * b, 1);
  return { name, dtype: 'F32', shape, data: f32Bytes(new Array<number>(n).fill(1)) };
}

describe('unexpected-tensor', () => {
  it('ModelOpt low-memory export leaks _double_scale and quantizer _amax (Model-Optimizer #2038)', async () => {
    const leaked = [
      f32(`${P}._double_scale`, []),
      f32(`${P}.weight_quantizer._amax`, []),
      f32(`${P}.input_quantizer._amax`, []),
      f32(`${P}.weight_quantizer._calibrator._calib_amax`, [4]),
      plainBf16('model.layers.0.self_attn.q_proj.base_layer.weight', randomMatrix(4, 8, 1)),
    ];
    const tensors = [...modelOptNvfp4(P, randomMatrix(32, 64, 600)).tensors, ...leaked];
    const { findings } = await lintFixture(rawFixture(tensors, CFG));
    expect(ruleFindings(findings, 'unexpected-tensor')).toEqual([
      ['warning', P, 1],
      ['warning', `${P}.input_quantizer`, 1],
      ['warning', `${P}.weight_quantizer`, 1],
      ['warning', `${P}.weight_quantizer._calibrator`, 4],
      ['warning', 'model.layers.0.self_attn.q_proj.base_layer', 32],
    ]);
    expect(findings.filter((f) => f.rule !== 'unexpected-tensor')).toEqual([]);
  });

  it('the normal export, and an unquantized checkpoint with an _amax, have none', async () => {
    const clean = await lintFixture(
      rawFixture(modelOptNvfp4(P, randomMatrix(32, 64, 600)).tensors, CFG),
    );
    expect(clean.findings).toEqual([]);
    const plain = await lintFixture(
      rawFixture([
        plainBf16(`${P}.weight`, randomMatrix(4, 8, 2)),
        f32(`${P}.weight_quantizer._amax`, []),
      ]),
    );
    expect(ruleFindings(plain.findings, 'unexpected-tensor')).toEqual([]);
  });

  it('weight_scale [2048, 64] instead of [2048, 128] is a scale-shape error (the shape half of #2038)', async () => {
    // The shapes of the report; the values do not matter to the rule (codes 0, scales 1.0).
    const tensors: TensorSpec[] = [
      { name: `${P}.weight`, dtype: 'U8', shape: [2048, 1024], data: new Uint8Array(2048 * 1024) },
      {
        name: `${P}.weight_scale`,
        dtype: 'F8_E4M3',
        shape: [2048, 64],
        data: new Uint8Array(2048 * 64).fill(0x38),
      },
      f32(`${P}.weight_scale_2`, []),
    ];
    const { findings } = await lintFixture(rawFixture(tensors, CFG));
    expect(ruleFindings(findings, 'scale-shape')).toEqual([['error', P, 2048 * 64]]);
    expect(findings.find((f) => f.rule === 'scale-shape')?.message).toContain('[2048, 128]');
  });
});

describe('leakOf', () => {
  /** The rule as first written: every segment tested against every kind, most specific first. */
  function referenceLeak(name: string): string | null {
    const kinds: [(s: string) => boolean, string][] = [
      [(s) => s.endsWith('_amax'), 'a calibration amax'],
      [(s) => s.includes('_double_scale'), "ModelOpt's internal double scale"],
      [(s) => s.endsWith('_calibrator'), 'calibrator state'],
      [(s) => s.endsWith('_quantizer') || s.endsWith('_observer'), 'quantizer state'],
      [(s) => s === 'base_layer', "a PEFT/LoRA wrapper's base layer"],
    ];
    const segments = name.split('.');
    return kinds.find(([test]) => segments.some(test))?.[1] ?? null;
  }

  it('names the same leak as testing every segment, for any name', () => {
    const piece = fc.constantFrom(
      '_amax',
      '_double_scale',
      '_calibrator',
      '_quantizer',
      '_observer',
      'base_layer',
      'weight',
      '.',
      'x',
      '_',
      'layers.0',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const name = pieces.join('');
        expect(leakOf(name)).toBe(referenceLeak(name));
      }),
      { numRuns: 2000 },
    );
  });
});
