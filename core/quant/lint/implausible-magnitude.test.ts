import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
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
const down = (l: number): string => `model.layers.${l}.mlp.down_proj`;
/** Count: the weight tensor's stored elements (U8 [32, 32], two E2M1 codes a byte). */
const PACKED = 32 * 32;

/** MXFP4 down_proj in layers 0..4; layer 2's E8M0 scale bytes raised by `shift` (2^shift ×). */
function model(shift: number): TensorSpec[] {
  return [0, 1, 2, 3, 4].flatMap((l) =>
    ctMxfp4(down(l), randomMatrix(32, 64, 1100 + l)).tensors.map((t) =>
      l === 2 && t.name.endsWith('.weight_scale')
        ? { ...t, data: t.data.map((b) => b + shift) }
        : t,
    ),
  );
}

describe('implausible-magnitude', () => {
  it('E8M0 scales read as linear bytes (~450,000×, omlx #2159): far outside the plausible band', async () => {
    const { findings } = await lintFixture(rawFixture(model(19), CFG));
    expect(ruleFindings(findings, 'implausible-magnitude')).toEqual([['warning', down(2), PACKED]]);
    expect(findings.find((f) => f.rule === 'implausible-magnitude')?.message).toContain(
      'outside the plausible',
    );
  });

  it('a layer 64× off its neighbours (inside the band) is reported against them, not they against it', async () => {
    const { findings } = await lintFixture(rawFixture(model(6), CFG));
    expect(ruleFindings(findings, 'implausible-magnitude')).toEqual([['warning', down(2), PACKED]]);
    expect(findings.find((f) => f.rule === 'implausible-magnitude')?.message).toContain(
      'neighbouring layers',
    );
  });

  it('the healthy model has no finding', async () => {
    const { findings } = await lintFixture(rawFixture(model(0), CFG));
    expect(findings).toEqual([]);
  });
});
