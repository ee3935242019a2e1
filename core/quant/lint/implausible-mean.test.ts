import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { modelOptConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { fp8Module, randomMatrix } from '../testing/modules-float';
import type { Matrix } from '../testing/quantize';

const CFG = { hfQuantConfig: modelOptConfig('FP8') };
const down = (l: number): string => `model.layers.${l}.mlp.down_proj`;
const ELEMENTS = 32 * 64;

/** `m` with every value times `k`. */
function times(m: Matrix, k: number): Matrix {
  return { ...m, values: m.values.map((v) => v * k) };
}

/**
 * FP8 per-tensor down_proj in layers 0..4, layer 2's weights (every layer's with `all`) times `k`
 * (healthy: sd 0.02).
 */
function model(k: number, all = false): TensorSpec[] {
  return [0, 1, 2, 3, 4].flatMap(
    (l) =>
      fp8Module(
        down(l),
        times(randomMatrix(32, 64, 1200 + l), all || l === 2 ? k : 1),
        'modelopt-tensor',
      ).tensors,
  );
}

describe('implausible-magnitude: the streamed mean |dequantized weight| (issue 13)', () => {
  it('a mean above 1e3 whose max stays inside the max band (< 1e4) is reported where weights are streamed', async () => {
    // sd 0.02 × 1e5 = 2e3: mean |w| ≈ 0.8 × 2e3 = 1.6e3 > 1e3, max ≈ 4 sd ≈ 8e3 < 1e4.
    const { findings, analyses } = await lintFixture(rawFixture(model(1e5, true), CFG), 'always');
    const w = analyses.find((a) => a.prefix === down(2))?.weight;
    expect(w?.absMean).toBeGreaterThan(1e3);
    expect(w?.absMax).toBeLessThan(1e4);
    // Every layer alike: no neighbour is off, only the band says so.
    expect(ruleFindings(findings, 'implausible-magnitude')).toEqual(
      [0, 1, 2, 3, 4].map((l) => ['warning', down(l), ELEMENTS]),
    );
    expect(findings.find((f) => f.rule === 'implausible-magnitude')?.message).toContain('mean |w|');
  });

  it('a mean below 1e-5 whose max is above it is reported too', async () => {
    // sd 0.02 × 5e-4 = 1e-5: mean |w| ≈ 8e-6 < 1e-5, max ≈ 4e-5.
    const { findings, analyses } = await lintFixture(rawFixture(model(5e-4, true), CFG), 'always');
    const w = analyses.find((a) => a.prefix === down(2))?.weight;
    expect(w?.absMean).toBeLessThan(1e-5);
    expect(w?.absMax).toBeGreaterThan(1e-5);
    expect(ruleFindings(findings, 'implausible-magnitude')).toEqual(
      [0, 1, 2, 3, 4].map((l) => ['warning', down(l), ELEMENTS]),
    );
  });

  it('a layer whose mean is 4× its neighbours (an E8M0 bias error) is not > 16×: no finding; 32× is', async () => {
    const four = await lintFixture(rawFixture(model(4), CFG), 'always');
    expect(ruleFindings(four.findings, 'implausible-magnitude')).toEqual([]);
    const far = await lintFixture(rawFixture(model(32), CFG), 'always');
    expect(ruleFindings(far.findings, 'implausible-magnitude')).toEqual([
      ['warning', down(2), ELEMENTS],
    ]);
    expect(far.findings.find((f) => f.rule === 'implausible-magnitude')?.message).toContain(
      'neighbouring layers',
    );
  });

  it('the healthy model, weights streamed, has no finding at all', async () => {
    const { findings } = await lintFixture(rawFixture(model(1), CFG), 'always');
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
