import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { hfConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { randomMatrix } from '../testing/modules-float';
import { gptq } from '../testing/modules-int';

const P = 'model.layers.0.mlp.down_proj';
/** [32, 64] with group 32: qzeros I32 [2, 4], 64 zero points. */
const ZERO_POINTS = 2 * 32;

function gptqConfig(format: string | null): unknown {
  return hfConfig({
    quant_method: 'gptq',
    bits: 4,
    group_size: 32,
    desc_act: false,
    sym: true,
    ...(format === null ? {} : { checkpoint_format: format }),
  });
}

/** A GPTQ module whose every qzeros nibble is `nibble` (symmetric), or as quantized (null). */
function module(nibble: number | null): TensorSpec[] {
  return gptq(P, randomMatrix(32, 64, 700), 32, false).tensors.map((t) =>
    t.name.endsWith('.qzeros') && nibble !== null
      ? { ...t, data: new Uint8Array(t.data.length).fill(nibble * 0x11) }
      : t,
  );
}

async function rule(nibble: number | null, format: string | null): Promise<unknown[]> {
  const { findings } = await lintFixture(
    rawFixture(module(nibble), { config: gptqConfig(format) }),
  );
  return ruleFindings(findings, 'zero-point-format');
}

describe('zero-point-format', () => {
  it('Qwen3.5-27B-GPTQ-Int4: v2 zeros (all 8) labelled checkpoint_format gptq serve "!!!" (vllm #38966)', async () => {
    expect(await rule(8, 'gptq')).toEqual([['error', P, ZERO_POINTS]]);
    // No checkpoint_format means v1 too.
    expect(await rule(8, null)).toEqual([['error', P, ZERO_POINTS]]);
  });

  it('v1 zeros (all 7) labelled gptq_v2 are the mirror fault', async () => {
    expect(await rule(7, 'gptq_v2')).toEqual([['error', P, ZERO_POINTS]]);
  });

  it('healthy: all 7 under gptq, all 8 under gptq_v2, asymmetric zeros under either', async () => {
    expect(await rule(7, 'gptq')).toEqual([]);
    expect(await rule(8, 'gptq_v2')).toEqual([]);
    expect(await rule(null, 'gptq')).toEqual([]);
    expect(await rule(null, 'gptq_v2')).toEqual([]);
  });
});
