import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { analysedModules } from './lint-input';
import { scaleTrends } from './scale-trend';
import { ctConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { ctMxfp4, randomMatrix } from '../testing/modules-float';

const CFG = {
  config: ctConfig('mxfp4-pack-quantized', {
    num_bits: 4,
    type: 'float',
    strategy: 'group',
    group_size: 32,
  }),
};
const LAYERS = 11;

/**
 * MXFP4 down_proj in layers 0..10 whose weights are scaled by base × growth^l: with base 45 the
 * first layer's largest E8M0 scale is 1 (its amax ~3.6 = 0.6 × 6, as gpt-oss-120b's 0.6).
 */
function model(growth: number): TensorSpec[] {
  return Array.from({ length: LAYERS }, (_, l) => {
    const m = randomMatrix(32, 64, 1200 + l);
    const scaled = { ...m, values: m.values.map((v) => v * 45 * growth ** l) };
    return ctMxfp4(`model.layers.${l}.mlp.down_proj`, scaled).tensors;
  }).flat();
}

/** Each layer's largest block scale, read from the E8M0 bytes: 2^(byte - 127). */
function layerMaxima(tensors: readonly TensorSpec[]): number[] {
  return tensors
    .filter((t) => t.name.endsWith('.weight_scale'))
    .map((t) => 2 ** (t.data.reduce((m, b) => Math.max(m, b), 0) - 127));
}

describe('scale-drift', () => {
  it('gpt-oss-120b down_proj scales growing 0.6 → 548 across layers (ROCm hip-ep #168): info', async () => {
    const tensors = model(2);
    const maxima = layerMaxima(tensors);
    const above = maxima.filter((m) => m > 100 * maxima[0]).length;
    expect(above).toBeGreaterThan(0);
    const { findings, report, analyses } = await lintFixture(rawFixture(tensors, CFG));
    expect(ruleFindings(findings, 'scale-drift')).toEqual([['info', 'mlp.down_proj', above]]);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    // The trend the app charts: one point per layer, its max the largest block scale.
    const [trend] = scaleTrends(analysedModules(report, analyses));
    expect(trend.role).toBe('mlp.down_proj');
    expect(trend.points.map((p) => p.layer)).toEqual([...Array(LAYERS).keys()]);
    expect(trend.points.map((p) => p.max)).toEqual(maxima);
    for (const p of trend.points) {
      expect(p.median).toBeLessThanOrEqual(p.max);
    }
  });

  it('scales that stay level (×1.5 per layer at most over 11 layers: ~58×) are not drift', async () => {
    const { findings } = await lintFixture(rawFixture(model(1.5), CFG));
    expect(findings).toEqual([]);
  });
});
