import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { E4M3_MAX_CODE } from '../testing/encode';
import { modelOptConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { modelOptNvfp4, randomMatrix } from '../testing/modules-float';

const CFG = { hfQuantConfig: modelOptConfig('NVFP4') };
const DOWN3 = 'model.layers.3.mlp.down_proj';

/** q_proj and down_proj [64, 128] NVFP4 in layers 0..3 (512 block scales each). */
function model(): TensorSpec[] {
  return [0, 1, 2, 3].flatMap((l) =>
    ['self_attn.q_proj', 'mlp.down_proj'].flatMap(
      (m, i) =>
        modelOptNvfp4(`model.layers.${l}.${m}`, randomMatrix(64, 128, 500 + 2 * l + i)).tensors,
    ),
  );
}

/** Sets the first `n` block scales of `name` that are not already at 448 to 448 (0x7E). */
function saturate(tensors: TensorSpec[], name: string, n: number): TensorSpec[] {
  return tensors.map((t) => {
    if (t.name !== name) {
      return t;
    }
    const data = t.data.slice();
    let left = n;
    for (let i = 0; i < data.length && left > 0; i += 7) {
      if (data[i] !== E4M3_MAX_CODE) {
        data[i] = E4M3_MAX_CODE;
        left--;
      }
    }
    return { ...t, data };
  });
}

function countMax(tensors: readonly TensorSpec[], name: string): number {
  return tensors.find((t) => t.name === name)?.data.filter((b) => b === E4M3_MAX_CODE).length ?? 0;
}

describe('saturated-scale against the clean baseline of the module kind', () => {
  it('a shrunken-amax down_proj with ~4.2% of its blocks at 448 is reported (below the fixed 5%)', async () => {
    const tensors = saturate(model(), `${DOWN3}.weight_scale`, 21);
    const saturated = countMax(tensors, `${DOWN3}.weight_scale`);
    expect(saturated / 512).toBeGreaterThan(0.04);
    expect(saturated / 512).toBeLessThan(0.05);
    const { findings } = await lintFixture(rawFixture(tensors, CFG));
    expect(ruleFindings(findings, 'saturated-scale')).toEqual([['warning', DOWN3, saturated]]);
    expect(findings.find((f) => f.rule === 'saturated-scale')?.message).toContain('baseline');
  });

  it('the healthy export (a block or two at 448 per tensor) has no finding', async () => {
    const tensors = model();
    expect(countMax(tensors, `${DOWN3}.weight_scale`)).toBeGreaterThan(0);
    const { findings } = await lintFixture(rawFixture(tensors, CFG));
    expect(findings).toEqual([]);
  });

  it('above the fixed 5% share the finding is the old one, not repeated', async () => {
    const tensors = saturate(model(), `${DOWN3}.weight_scale`, 40);
    const { findings } = await lintFixture(rawFixture(tensors, CFG));
    const f = findings.filter((x) => x.rule === 'saturated-scale');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('hints at clipping');
  });
});
