import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { E4M3_NAN } from '../testing/encode';
import { hfConfig, modelOptConfig } from '../testing/fixture-configs';
import { edits, setBytes } from '../testing/fixture-kit';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { fp8Module, randomMatrix } from '../testing/modules-float';
import { autoAwq, plainBf16 } from '../testing/modules-int';

const AWQ_CONFIG = hfConfig({
  quant_method: 'awq',
  bits: 4,
  group_size: 32,
  zero_point: true,
  version: 'gemm',
});

/** BF16 bytes (little-endian) of NaN and +Inf. */
const BF16_NAN: readonly [number, number] = [0xc0, 0x7f];
const BF16_INF: readonly [number, number] = [0x80, 0x7f];

/** Sets BF16 element `i` of tensor `name` to the two bytes given. */
function bf16At(
  name: string,
  i: number,
  b: readonly [number, number],
): (t: TensorSpec[]) => TensorSpec[] {
  return setBytes(name, [
    [2 * i, b[0]],
    [2 * i + 1, b[1]],
  ]);
}

function awqModel(): TensorSpec[] {
  return [
    ...autoAwq('model.layers.0.mlp.down_proj', randomMatrix(32, 64, 1000), 32).tensors,
    plainBf16('model.layers.0.self_attn.o_proj.weight', randomMatrix(32, 64, 1001)),
    plainBf16('model.norm.weight', randomMatrix(1, 64, 1002)),
  ];
}

describe('nan-value / inf-value', () => {
  it('AutoAWQ Qwen2: NaN and Inf in BF16 weights next to the int4 modules are errors, counted', async () => {
    const o = 'model.layers.0.self_attn.o_proj.weight';
    const tensors = edits(
      bf16At(o, 5, BF16_NAN),
      bf16At(o, 70, BF16_NAN),
      bf16At('model.norm.weight', 3, BF16_INF),
    )(awqModel());
    const { findings } = await lintFixture(rawFixture(tensors, { config: AWQ_CONFIG }));
    expect(ruleFindings(findings, 'nan-value')).toEqual([
      ['error', 'model.layers.0.self_attn.o_proj', 2],
    ]);
    expect(ruleFindings(findings, 'inf-value')).toEqual([['error', 'model.norm', 1]]);
    expect(findings.find((f) => f.rule === 'nan-value')?.message).toContain('flat index 5');
    const healthy = await lintFixture(rawFixture(awqModel(), { config: AWQ_CONFIG }));
    expect(healthy.findings).toEqual([]);
  });

  it('a NaN FP8 weight byte is nan-value; a NaN scale stays nan-scale only', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const base = fp8Module(p, randomMatrix(32, 64, 1003), 'modelopt-channel').tensors;
    const weightNan = setBytes(`${p}.weight`, [[17, E4M3_NAN]])(base);
    const cfg = { hfQuantConfig: modelOptConfig('FP8_PER_CHANNEL_PER_TOKEN') };
    const a = await lintFixture(rawFixture(weightNan, cfg), 'always');
    expect(ruleFindings(a.findings, 'nan-value')).toEqual([['error', p, 1]]);
    expect(ruleFindings(a.findings, 'nan-scale')).toEqual([]);
    const scaleNan = base.map((t) =>
      t.name === `${p}.weight_scale`
        ? { ...t, data: t.data.map((b, i) => (i < 4 ? [0, 0, 0xc0, 0x7f][i] : b)) }
        : t,
    );
    const b = await lintFixture(rawFixture(scaleNan, cfg));
    expect(ruleFindings(b.findings, 'nan-scale')).toEqual([['error', p, 1]]);
    expect(ruleFindings(b.findings, 'nan-value')).toEqual([]);
  });
});
