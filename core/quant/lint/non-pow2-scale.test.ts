import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { f32Bytes } from '../testing/encode';
import { hfConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { fp8Module, randomMatrix } from '../testing/modules-float';
import { declaresPow2Scales } from './non-pow2-scale';

const P = 'model.layers.0.mlp.gate_proj';
const SCALE = `${P}.weight_scale_inv`;

function config(scaleFmt: string | null): unknown {
  return hfConfig({
    quant_method: 'fp8',
    fmt: 'e4m3',
    activation_scheme: 'dynamic',
    weight_block_size: [128, 128],
    ...(scaleFmt === null ? {} : { scale_fmt: scaleFmt }),
  });
}

/** DeepSeek FP8 block [200, 300]: 2 x 3 F32 scales, amax / 448 (not powers of two). */
function module(): TensorSpec[] {
  return fp8Module(P, randomMatrix(200, 300, 800), 'deepseek').tensors;
}

function f32Values(t: TensorSpec): number[] {
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return Array.from({ length: t.data.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

describe('non-pow2-scale', () => {
  it('DeepSeek-V4.1 scale_fmt ue8m0 with amax/448 F32 scales: ~25% wrong GEMMs, no error (sglang #39193)', async () => {
    const tensors = module();
    const scales = f32Values(tensors.find((t) => t.name === SCALE) ?? tensors[0]);
    const withMantissa = scales.filter((v) => Math.fround(v) !== 2 ** Math.floor(Math.log2(v)));
    expect(withMantissa.length).toBeGreaterThan(0);
    const { findings } = await lintFixture(rawFixture(tensors, { config: config('ue8m0') }));
    expect(ruleFindings(findings, 'non-pow2-scale')).toEqual([['error', P, withMantissa.length]]);
  });

  it('power-of-two scales under ue8m0, and any scales without it, are healthy', async () => {
    const pow2 = module().map((t) =>
      t.name === SCALE
        ? { ...t, data: f32Bytes(f32Values(t).map((v) => 2 ** Math.ceil(Math.log2(v)))) }
        : t,
    );
    const a = await lintFixture(rawFixture(pow2, { config: config('ue8m0') }));
    expect(ruleFindings(a.findings, 'non-pow2-scale')).toEqual([]);
    const b = await lintFixture(rawFixture(module(), { config: config(null) }));
    expect(ruleFindings(b.findings, 'non-pow2-scale')).toEqual([]);
  });

  it('reads scale_fmt from quantization_config only', () => {
    expect(declaresPow2Scales(config('ue8m0'))).toBe(true);
    expect(declaresPow2Scales({ scale_fmt: 'ue8m0' })).toBe(false);
    expect(declaresPow2Scales(null)).toBe(false);
  });
});
