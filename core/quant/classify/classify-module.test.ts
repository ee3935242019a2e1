import { describe, expect, it } from 'vitest';
import type { TensorRef } from '../quant-types';
import type { MemberSuffix } from '../tensor-names';
import { info } from '../testing/tensor-info';
import type { Classification } from './candidate';
import { classifyGroup } from './classify-module';

type Spec = [MemberSuffix, Parameters<typeof info>[1], number[]];

function classify(...members: Spec[]): Classification {
  const map = new Map<MemberSuffix, TensorRef>(
    members.map(([suffix, dtype, shape]) => [
      suffix,
      { file: 'f', info: info(`p.${suffix}`, dtype, shape) },
    ]),
  );
  return classifyGroup({ prefix: 'p', members: map });
}

function summary(c: Classification): unknown {
  return c.kind === 'module'
    ? {
        scheme: c.candidate.scheme,
        producer: c.candidate.producer,
        decoder: c.candidate.recipe.decoder,
        required: c.candidate.required,
      }
    : c.kind;
}

describe('classifyGroup: the weight + weight_scale family', () => {
  it('DeepSeek FP8 block: weight_scale_inv', () => {
    expect(
      summary(classify(['weight', 'F8_E4M3', [256, 256]], ['weight_scale_inv', 'F32', [2, 2]])),
    ).toMatchObject({ scheme: 'fp8-block', producer: 'deepseek' });
  });
  it('ModelOpt NVFP4: U8 weight, E4M3 scale, weight_scale_2 (missing pieces listed as required)', () => {
    expect(
      summary(
        classify(
          ['weight', 'U8', [2, 8]],
          ['weight_scale', 'F8_E4M3', [2, 1]],
          ['weight_scale_2', 'F32', []],
        ),
      ),
    ).toEqual({
      scheme: 'nvfp4',
      producer: 'modelopt',
      decoder: 'fp4',
      required: ['scale', 'globalScale'],
    });
    expect(
      summary(classify(['weight', 'U8', [2, 8]], ['weight_scale_2', 'F32', []])),
    ).toMatchObject({ scheme: 'nvfp4' });
  });
  it('FP8 by scale shape, MXFP8 by a U8 scale, MXFP4 and ModelOpt AWQ by the U8 weight', () => {
    expect(
      summary(classify(['weight', 'F8_E4M3', [4, 4]], ['weight_scale', 'F32', []])),
    ).toMatchObject({ scheme: 'fp8-tensor', producer: 'modelopt' });
    expect(
      summary(classify(['weight', 'F8_E4M3', [4, 4]], ['weight_scale', 'BF16', [4, 1]])),
    ).toMatchObject({ scheme: 'fp8-channel', producer: 'compressed-tensors' });
    expect(
      summary(classify(['weight', 'F8_E4M3', [4, 64]], ['weight_scale', 'U8', [4, 2]])),
    ).toMatchObject({ scheme: 'mxfp8', producer: 'modelopt' });
    expect(
      summary(classify(['weight', 'U8', [4, 32]], ['weight_scale', 'U8', [4, 2]])),
    ).toMatchObject({ scheme: 'mxfp4', producer: 'modelopt' });
    expect(
      summary(classify(['weight', 'U8', [16, 64]], ['weight_scale', 'F16', [32, 2]])),
    ).toMatchObject({ scheme: 'awq', producer: 'modelopt', decoder: 'int4' });
  });
  it('a scale beside an unquantized weight is unknown; lone FP8/U8 weights wait for the checkpoint', () => {
    expect(
      summary(classify(['weight', 'F32', [2, 4]], ['weight_scale', 'F8_E4M3', [2, 4]])),
    ).toMatchObject({ scheme: 'unknown', decoder: 'none' });
    const lone = classify(['weight', 'F8_E4M3', [2, 2]], ['input_scale', 'F32', []]);
    expect(lone.kind === 'module' ? [lone.candidate.scheme, lone.candidate.lone] : null).toEqual([
      null,
      'fp8',
    ]);
    expect(classify(['weight', 'BF16', [2, 2]])).toEqual({ kind: 'plain' });
    expect(classify(['weight', 'BF16', [2, 2]], ['input_scale', 'F32', []])).toEqual({
      kind: 'plain',
    });
  });
  it('scales without a weight are orphans', () => {
    const c = classify(['weight_scale', 'F8_E4M3', [2, 1]], ['weight_scale_2', 'F32', []]);
    expect(c.kind === 'orphans' ? c.tensors.map((t) => t.info.name).sort() : null).toEqual([
      'p.weight_scale',
      'p.weight_scale_2',
    ]);
  });
});
