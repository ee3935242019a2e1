import { describe, expect, it } from 'vitest';
import type { TensorRef } from '../quant-types';
import type { MemberSuffix } from '../tensor-names';
import { info } from '../testing/tensor-info';
import type { Classification } from './candidate';
import { classifyGroup } from './classify-module';

type Spec = [MemberSuffix, Parameters<typeof info>[1], number[]];

function classify(...members: Spec[]): Classification {
  return classifyGroup({
    prefix: 'p',
    members: new Map(
      members.map(([s, d, shape]): [MemberSuffix, TensorRef] => [
        s,
        { file: 'f', info: info(`p.${s}`, d, shape) },
      ]),
    ),
  });
}

const of = (c: Classification): unknown =>
  c.kind === 'module'
    ? [c.candidate.scheme, c.candidate.producer, c.candidate.scaleEncoding]
    : c.kind;

describe('classify families', () => {
  it('gpt-oss: blocks + U8 scales (E8M0); scales alone are orphans', () => {
    expect(of(classify(['blocks', 'U8', [1, 16]], ['scales', 'U8', [1]]))).toEqual([
      'mxfp4',
      'gpt-oss',
      'e8m0',
    ]);
    expect(of(classify(['scales', 'U8', [1]]))).toBe('orphans');
  });
  it('compressed-tensors: NVFP4, W4A16 pack-quantized, MXFP4', () => {
    expect(
      of(
        classify(
          ['weight_packed', 'U8', [2, 8]],
          ['weight_scale', 'F8_E4M3', [2, 1]],
          ['weight_global_scale', 'F32', [1]],
        ),
      ),
    ).toEqual(['nvfp4', 'compressed-tensors', 'e4m3']);
    expect(
      of(
        classify(
          ['weight_packed', 'I32', [2, 2]],
          ['weight_scale', 'BF16', [2, 1]],
          ['weight_shape', 'I64', [2]],
        ),
      ),
    ).toEqual(['w4a16-packed', 'compressed-tensors', 'float']);
    expect(of(classify(['weight_packed', 'U8', [2, 16]], ['weight_scale', 'U8', [2, 1]]))).toEqual([
      'mxfp4',
      'compressed-tensors',
      'e8m0',
    ]);
    expect(of(classify(['weight_global_scale', 'F32', [1]]))).toBe('orphans');
  });
  it('ComfyUI: comfy_quant beside a U8 weight (NVFP4) or an FP8 weight', () => {
    expect(
      of(
        classify(
          ['comfy_quant', 'U8', [19]],
          ['weight', 'U8', [2, 8]],
          ['weight_scale', 'U8', [128, 4]],
          ['weight_scale_2', 'F32', []],
        ),
      ),
    ).toEqual(['nvfp4', 'comfyui', 'e4m3']);
    expect(
      of(
        classify(
          ['comfy_quant', 'U8', [19]],
          ['weight', 'F8_E4M3', [2, 2]],
          ['weight_scale', 'F32', []],
        ),
      ),
    ).toEqual(['fp8-tensor', 'comfyui', 'float']);
  });
  it('AWQ vs GPTQ: g_idx, else which qweight axis the scales follow', () => {
    expect(
      of(
        classify(
          ['qweight', 'I32', [64, 4]],
          ['scales', 'F16', [2, 32]],
          ['qzeros', 'I32', [2, 4]],
        ),
      ),
    ).toEqual(['awq', 'autoawq', 'float']);
    expect(
      of(
        classify(
          ['qweight', 'I32', [8, 32]],
          ['scales', 'F16', [2, 32]],
          ['qzeros', 'I32', [2, 4]],
        ),
      ),
    ).toEqual(['gptq', 'gptq', 'float']);
    expect(of(classify(['qweight', 'I32', [8, 32]], ['g_idx', 'I32', [64]]))).toEqual([
      'gptq',
      'gptq',
      'float',
    ]);
  });
  it('bitsandbytes NF4 by its quant state; FP4 quant state is unknown', () => {
    expect(
      of(
        classify(
          ['weight', 'U8', [8, 1]],
          ['weight.absmax', 'F32', [1]],
          ['weight.quant_map', 'F32', [16]],
          ['weight.quant_state.bitsandbytes__nf4', 'U8', [10]],
        ),
      ),
    ).toEqual(['nf4', 'bitsandbytes', 'float']);
    expect(
      of(
        classify(
          ['weight', 'U8', [8, 1]],
          ['weight.absmax', 'F32', [1]],
          ['weight.quant_state.bitsandbytes__fp4', 'U8', [10]],
        ),
      ),
    ).toEqual(['unknown', 'bitsandbytes', 'float']);
  });
  it('torchao: qdata + scale', () => {
    expect(
      of(classify(['qdata', 'F8_E4M3', [256, 32]], ['torchao_scale', 'F32', [256, 1]])),
    ).toEqual(['fp8-channel', null, 'float']);
    expect(of(classify(['qdata', 'I8', [4, 4]], ['torchao_scale', 'F32', [4, 1]]))).toEqual([
      'unknown',
      null,
      'float',
    ]);
  });
});
