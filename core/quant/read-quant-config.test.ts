import { describe, expect, it } from 'vitest';
import { patternMatches } from './module-patterns';
import { readQuantConfig } from './read-quant-config';

const qc = (q: unknown): unknown => ({ model_type: 'llama', quantization_config: q });

describe('readQuantConfig', () => {
  it('is absent without configs, unquantized for a config without quantization', () => {
    expect(readQuantConfig(null, null)).toEqual({ kind: 'absent' });
    expect(readQuantConfig({ model_type: 'llama' }, null)).toMatchObject({
      kind: 'unquantized',
      file: 'config.json',
    });
  });

  it('reads ModelOpt hf_quant_config.json first, with exclusions', () => {
    const q = readQuantConfig(qc({ quant_method: 'awq' }), {
      producer: { name: 'modelopt' },
      quantization: {
        quant_algo: 'NVFP4',
        group_size: 16,
        exclude_modules: ['lm_head', 'model.layers.*.gate'],
      },
    });
    expect(q).toMatchObject({
      kind: 'quantized',
      scheme: 'nvfp4',
      producer: 'modelopt',
      file: 'hf_quant_config.json',
      groupSize: 16,
    });
    if (q.kind !== 'quantized') {
      throw new Error('expected a declaration');
    }
    expect(q.exclude.map((p) => p.text)).toEqual(['lm_head', 'model.layers.*.gate']);
    expect(patternMatches(q.exclude[1], 'model.layers.3.gate')).toBe(true);
  });

  it('maps ModelOpt algorithms, and a null algorithm (KV cache only) to unquantized weights', () => {
    const algo = (a: unknown): unknown =>
      readQuantConfig(null, { quantization: { quant_algo: a } });
    expect(algo('FP8')).toMatchObject({ scheme: 'fp8-tensor' });
    expect(algo('FP8_PER_CHANNEL_PER_TOKEN')).toMatchObject({ scheme: 'fp8-channel' });
    expect(algo('W4A16_AWQ')).toMatchObject({ scheme: 'awq' });
    expect(algo('MXFP8')).toMatchObject({ scheme: 'mxfp8' });
    expect(algo('W8A8_SQ_PER_CHANNEL')).toMatchObject({ scheme: 'unknown', producer: 'modelopt' });
    expect(algo(null)).toMatchObject({ kind: 'unquantized' });
  });

  it('reads ModelOpt MIXED_PRECISION per module', () => {
    const q = readQuantConfig(null, {
      quantization: {
        quant_algo: 'MIXED_PRECISION',
        quantized_layers: {
          'a.q': { quant_algo: 'NVFP4' },
          'a.k': { quant_algo: 'NVFP4' },
          'a.o': { quant_algo: 'FP8' },
        },
      },
    });
    expect(q).toMatchObject({ scheme: 'nvfp4' });
    expect(q.kind === 'quantized' ? Object.fromEntries(q.perModule ?? []) : null).toEqual({
      'a.q': 'nvfp4',
      'a.k': 'nvfp4',
      'a.o': 'fp8-tensor',
    });
  });

  it('reads compressed-tensors formats and float strategies', () => {
    const ct = (format: string | undefined, weights: unknown): unknown =>
      readQuantConfig(
        qc({
          quant_method: 'compressed-tensors',
          format,
          config_groups: { g: { weights } },
          ignore: ['lm_head'],
        }),
        null,
      );
    expect(ct('nvfp4-pack-quantized', {})).toMatchObject({
      scheme: 'nvfp4',
      producer: 'compressed-tensors',
    });
    expect(ct('mxfp4-pack-quantized', {})).toMatchObject({ scheme: 'mxfp4' });
    expect(ct('pack-quantized', { group_size: 128 })).toMatchObject({
      scheme: 'w4a16-packed',
      groupSize: 128,
    });
    expect(ct('float-quantized', { strategy: 'channel' })).toMatchObject({ scheme: 'fp8-channel' });
    expect(ct('float-quantized', { strategy: 'block', block_structure: [128, 128] })).toMatchObject(
      { scheme: 'fp8-block', block: [128, 128] },
    );
    expect(ct(undefined, { type: 'float', num_bits: 8, strategy: 'tensor' })).toMatchObject({
      scheme: 'fp8-tensor',
    });
    expect(ct('naive-quantized', {})).toMatchObject({ scheme: 'unknown' });
  });

  it('reads the other quant_method values', () => {
    expect(
      readQuantConfig(qc({ quant_method: 'fp8', weight_block_size: [128, 128] }), null),
    ).toMatchObject({ scheme: 'fp8-block', producer: 'deepseek', block: [128, 128] });
    expect(
      readQuantConfig(qc({ quant_method: 'mxfp4', modules_to_not_convert: ['lm_head'] }), null),
    ).toMatchObject({ scheme: 'mxfp4', producer: 'gpt-oss' });
    expect(readQuantConfig(qc({ quant_method: 'awq', group_size: 128 }), null)).toMatchObject({
      scheme: 'awq',
      producer: 'autoawq',
      groupSize: 128,
    });
    expect(
      readQuantConfig(qc({ quant_method: 'gptq', checkpoint_format: 'gptq_v2' }), null),
    ).toMatchObject({ scheme: 'gptq', gptqZeroOffset: 0 });
    expect(readQuantConfig(qc({ quant_method: 'gptq' }), null)).toMatchObject({
      gptqZeroOffset: 1,
    });
    expect(
      readQuantConfig(
        qc({ quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_quant_type: 'nf4' }),
        null,
      ),
    ).toMatchObject({ scheme: 'nf4', producer: 'bitsandbytes' });
    expect(
      readQuantConfig(qc({ quant_method: 'bitsandbytes', load_in_8bit: true }), null),
    ).toMatchObject({ scheme: 'unknown', producer: 'bitsandbytes' });
    expect(readQuantConfig(qc({ quant_method: 'hqq' }), null)).toMatchObject({
      kind: 'quantized',
      scheme: 'unknown',
      producer: null,
    });
  });
});
