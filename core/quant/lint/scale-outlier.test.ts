import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { f32Bytes } from '../testing/encode';
import { ctConfig, modelOptConfig } from '../testing/fixture-configs';
import { setBytes } from '../testing/fixture-kit';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { ctNvfp4, fp8Module, modelOptMxfp8, randomMatrix } from '../testing/modules-float';

const NVFP4_CT = ctConfig('nvfp4-pack-quantized', {
  num_bits: 4,
  type: 'float',
  strategy: 'tensor_group',
  group_size: 16,
});
const EXPERT = (e: number): string => `model.layers.3.mlp.experts.${e}.down_proj`;

/** 16 compressed-tensors NVFP4 experts whose `input_global_scale` is `inputs[e]`. */
function experts(inputs: readonly number[]): TensorSpec[] {
  return inputs.flatMap((v, e) =>
    ctNvfp4(EXPERT(e), randomMatrix(32, 64, 400 + e)).tensors.map((t) =>
      t.name.endsWith('.input_global_scale') ? { ...t, data: f32Bytes([v]) } : t,
    ),
  );
}

/** Healthy per-expert activation scales: spread over 0.5×…2× around 100 (deterministic). */
const HEALTHY = Array.from({ length: 16 }, (_, e) => 100 * 2 ** (((e * 7) % 16) / 8 - 1));

describe('scale-outlier', () => {
  it('Qwen3.5-397B NVFP4 input_global_scale: Inf is inf-scale, a sentinel and a far value are outliers (compressed-tensors #595)', async () => {
    const inputs = [...HEALTHY];
    inputs[2] = Infinity;
    inputs[5] = 3.4e38; // F32 max as a "never calibrated" sentinel
    inputs[9] = 100 / 1e5; // a never-routed expert's near-zero amax
    const { findings } = await lintFixture(rawFixture(experts(inputs), { config: NVFP4_CT }));
    expect(ruleFindings(findings, 'inf-scale')).toEqual([['error', EXPERT(2), 1]]);
    expect(ruleFindings(findings, 'scale-outlier')).toEqual([
      ['warning', EXPERT(5), 1],
      ['warning', EXPERT(9), 1],
    ]);
    const far = findings.find((f) => f.rule === 'scale-outlier' && f.module === EXPERT(9));
    expect(far?.message).toContain('below the median');
  });

  it('healthy experts spread 4× apart are not outliers', async () => {
    const { findings } = await lintFixture(rawFixture(experts(HEALTHY), { config: NVFP4_CT }));
    expect(findings).toEqual([]);
  });

  it('ModelOpt MXFP8: one E8M0 0xFE block scale (2^127) is a sentinel; the clean export has none', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const m = modelOptMxfp8(p, randomMatrix(32, 64, 420));
    const cfg = { hfQuantConfig: modelOptConfig('MXFP8') };
    const bad = await lintFixture(
      rawFixture(setBytes(`${p}.weight_scale`, [[5, 0xfe]])(m.tensors), cfg),
    );
    expect(ruleFindings(bad.findings, 'scale-outlier')).toEqual([['warning', p, 1]]);
    expect(bad.findings.filter((f) => f.severity !== 'info').map((f) => f.rule)).toEqual([
      'scale-outlier',
    ]);
    const clean = await lintFixture(rawFixture(m.tensors, cfg));
    expect(clean.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('scale-outlier: per-channel scales', () => {
  const down = (l: number): string => `model.layers.${l}.mlp.down_proj`;
  /** FP8 per-channel down_proj in 10 layers; channel 7 of layer 4 scaled by `factor`. */
  function layers(factor: number): TensorSpec[] {
    return Array.from({ length: 10 }, (_, l) =>
      fp8Module(down(l), randomMatrix(32, 64, 430 + l), 'modelopt-channel').tensors.map((t) => {
        if (l !== 4 || t.name !== `${down(l)}.weight_scale`) {
          return t;
        }
        const data = t.data.slice();
        const view = new DataView(data.buffer);
        view.setFloat32(4 * 7, view.getFloat32(4 * 7, true) * factor, true);
        return { ...t, data };
      }),
    ).flat();
  }
  const cfg = { hfQuantConfig: modelOptConfig('FP8_PER_CHANNEL_PER_TOKEN') };

  it('one channel scale 10,000× its siblings is an outlier; the same model untouched has none', async () => {
    const bad = await lintFixture(rawFixture(layers(1e4), cfg));
    expect(ruleFindings(bad.findings, 'scale-outlier')).toEqual([['warning', down(4), 1]]);
    const clean = await lintFixture(rawFixture(layers(1), cfg));
    expect(clean.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
