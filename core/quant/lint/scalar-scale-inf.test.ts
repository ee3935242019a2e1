import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { f32Bytes } from '../testing/encode';
import { ctConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { ctNvfp4, randomMatrix } from '../testing/modules-float';

const NVFP4_CT = ctConfig('nvfp4-pack-quantized', {
  num_bits: 4,
  type: 'float',
  strategy: 'tensor_group',
  group_size: 16,
});
const EXPERT = (e: number): string => `model.layers.7.mlp.experts.${e}.gate_proj`;

/** 16 compressed-tensors NVFP4 experts whose `input_global_scale` is `inputs[e]`. */
function experts(inputs: readonly number[]): TensorSpec[] {
  return inputs.flatMap((v, e) =>
    ctNvfp4(EXPERT(e), randomMatrix(32, 64, 700 + e)).tensors.map((t) =>
      t.name.endsWith('.input_global_scale') ? { ...t, data: f32Bytes([v]) } : t,
    ),
  );
}

/** Healthy per-expert activation scales around 200 (deterministic, 2× spread). */
const HEALTHY = Array.from({ length: 16 }, (_, e) => 200 * 2 ** (((e * 5) % 16) / 16 - 0.5));

describe('Inf / zero / negative scalar scales (compressed-tensors #595, Model-Optimizer #2276)', () => {
  it('an Inf input_global_scale is an inf-scale error whose message says what the runtime does', async () => {
    const inputs = [...HEALTHY];
    inputs[4] = Infinity;
    inputs[11] = -Infinity;
    const { findings } = await lintFixture(rawFixture(experts(inputs), { config: NVFP4_CT }));
    expect(ruleFindings(findings, 'inf-scale')).toEqual([
      ['error', EXPERT(11), 1],
      ['error', EXPERT(4), 1],
    ]);
    expect(ruleFindings(findings, 'scale-outlier')).toEqual([]);
    for (const f of findings.filter((x) => x.rule === 'inf-scale')) {
      expect(f.tensor).toBe(`${f.module ?? ''}.input_global_scale`);
      expect(f.message).toContain('alpha = 1/Inf = 0');
      expect(f.message).toContain('zero or NaN');
    }
  });

  it('zero and negative input_global_scale are bad-global-scale errors, not scale-outlier', async () => {
    const inputs = [...HEALTHY];
    inputs[2] = 0;
    inputs[9] = -HEALTHY[9];
    const { findings } = await lintFixture(rawFixture(experts(inputs), { config: NVFP4_CT }));
    expect(ruleFindings(findings, 'bad-global-scale')).toEqual([
      ['error', EXPERT(2), 1],
      ['error', EXPERT(9), 1],
    ]);
    expect(ruleFindings(findings, 'scale-outlier')).toEqual([]);
    expect(ruleFindings(findings, 'inf-scale')).toEqual([]);
  });

  it('the healthy experts give no finding at all', async () => {
    const { findings } = await lintFixture(rawFixture(experts(HEALTHY), { config: NVFP4_CT }));
    expect(findings).toEqual([]);
  });
});
