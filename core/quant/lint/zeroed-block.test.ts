import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { ctConfig, modelOptConfig } from '../testing/fixture-configs';
import { edits, setBytes } from '../testing/fixture-kit';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { ctMxfp4, modelOptNvfp4, randomMatrix } from '../testing/modules-float';

const P = 'model.layers.0.mlp.down_proj';
const MX = {
  config: ctConfig('mxfp4-pack-quantized', {
    num_bits: 4,
    type: 'float',
    strategy: 'group',
    group_size: 32,
  }),
};
const NV = { hfQuantConfig: modelOptConfig('NVFP4') };

/** Zeroes the packed codes of block `b` (of `blockBytes` bytes) in tensor `name`. */
function zeroCodes(name: string, b: number, blockBytes: number): (t: TensorSpec[]) => TensorSpec[] {
  return setBytes(
    name,
    Array.from({ length: blockBytes }, (_, k): [number, number] => [b * blockBytes + k, 0]),
  );
}

describe('zeroed-block', () => {
  it('MXFP4: blocks ModelOpt wrote for NaN weights (E8M0 0x00, codes 0) among normal blocks', async () => {
    // [32, 64]: 2 blocks of 32 per row, 16 packed bytes each; scale U8 [32, 2].
    const tensors = edits(
      setBytes(`${P}.weight_scale`, [
        [3, 0x00],
        [40, 0x00],
      ]),
      zeroCodes(`${P}.weight_packed`, 3, 16),
      zeroCodes(`${P}.weight_packed`, 40, 16),
    )(ctMxfp4(P, randomMatrix(32, 64, 1300)).tensors);
    const { findings } = await lintFixture(rawFixture(tensors, MX));
    expect(ruleFindings(findings, 'zeroed-block')).toEqual([['warning', P, 2]]);
  });

  it('NVFP4: a zero scale over zero codes is zeroed-block; over non-zero codes it stays zero-scale-nonzero-block', async () => {
    // [32, 64]: 4 blocks of 16 per row, 8 packed bytes each; scale F8_E4M3 [32, 4].
    const base = modelOptNvfp4(P, randomMatrix(32, 64, 1301)).tensors;
    const zeroed = edits(
      setBytes(`${P}.weight_scale`, [[10, 0x00]]),
      zeroCodes(`${P}.weight`, 10, 8),
    )(base);
    const a = await lintFixture(rawFixture(zeroed, NV));
    expect(ruleFindings(a.findings, 'zeroed-block')).toEqual([['warning', P, 1]]);
    expect(ruleFindings(a.findings, 'zero-scale-nonzero-block')).toEqual([]);
    const overCodes = setBytes(`${P}.weight_scale`, [[10, 0x00]])(base);
    const b = await lintFixture(rawFixture(overCodes, NV));
    expect(ruleFindings(b.findings, 'zeroed-block')).toEqual([]);
    expect(ruleFindings(b.findings, 'zero-scale-nonzero-block')).toEqual([['warning', P, 1]]);
  });

  it('healthy tensors, and a tensor of nothing but such blocks (a placeholder), have none', async () => {
    const clean = await lintFixture(rawFixture(ctMxfp4(P, randomMatrix(32, 64, 1302)).tensors, MX));
    expect(clean.findings).toEqual([]);
    const placeholder: TensorSpec[] = [
      { name: `${P}.weight_packed`, dtype: 'U8', shape: [32, 32], data: new Uint8Array(1024) },
      { name: `${P}.weight_scale`, dtype: 'U8', shape: [32, 2], data: new Uint8Array(64) },
    ];
    const all = await lintFixture(rawFixture(placeholder, MX));
    expect(ruleFindings(all.findings, 'zeroed-block')).toEqual([]);
  });
});
