import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../format/build-safetensors';
import { recognizeScheme } from './recognize-scheme';
import { headerOf } from './testing/open-fixture';

function spec(name: string, dtype: TensorSpec['dtype'], shape: number[]): TensorSpec {
  const bytes = { U8: 1, F8_E4M3: 1, F32: 4, BF16: 2, F16: 2, I32: 4 } as Record<string, number>;
  return {
    name,
    dtype,
    shape,
    data: new Uint8Array(shape.reduce((a, b) => a * b, 1) * (bytes[dtype] ?? 1)),
  };
}

/** ModelOpt NVFP4 tensors of a [2, 16] Linear. */
function nvfp4(p: string, input = true): TensorSpec[] {
  return [
    spec(`${p}.weight`, 'U8', [2, 8]),
    spec(`${p}.weight_scale`, 'F8_E4M3', [2, 1]),
    spec(`${p}.weight_scale_2`, 'F32', []),
    ...(input ? [spec(`${p}.input_scale`, 'F32', [])] : []),
  ];
}

const hf = (algo: string, extra: Record<string, unknown> = {}): unknown => ({
  quantization: { quant_algo: algo, ...extra },
});

describe('recognizeScheme', () => {
  it('takes the scheme from the config when the tensors agree, and names the config file', () => {
    const { header } = headerOf([...nvfp4('a'), ...nvfp4('lm_head')]);
    const r = recognizeScheme([header], null, hf('NVFP4', { exclude_modules: ['lm_head'] }), {
      hfQuantConfigFile: 'ckpt/hf_quant_config.json',
    });
    expect(r.files[0]).toMatchObject({ scheme: 'nvfp4', producer: 'modelopt', source: 'config' });
    expect(r.configFile).toBe('ckpt/hf_quant_config.json');
    expect(r.modules.find((m) => m.prefix === 'lm_head')?.source).toBe('names');
    expect(r.configIssues).toEqual([
      {
        kind: 'excluded-but-quantized',
        module: expect.objectContaining({ prefix: 'lm_head' }),
        pattern: 'lm_head',
      },
    ]);
  });

  it('lets the config name the producer where the names cannot (FP8 weight + weight_scale [1])', () => {
    const { header } = headerOf([
      spec('a.weight', 'F8_E4M3', [2, 2]),
      spec('a.weight_scale', 'F32', [1]),
    ]);
    expect(recognizeScheme([header], null, null).files[0]).toMatchObject({
      scheme: 'fp8-tensor',
      producer: 'compressed-tensors',
      source: 'names',
    });
    expect(recognizeScheme([header], null, hf('FP8')).files[0]).toMatchObject({
      scheme: 'fp8-tensor',
      producer: 'modelopt',
      source: 'config',
    });
  });

  it('reports a config declaring quantization over unquantized tensors, and the reverse', () => {
    const plain = headerOf([spec('a.weight', 'BF16', [2, 2])]).header;
    expect(recognizeScheme([plain], null, hf('NVFP4')).configIssues).toEqual([
      { kind: 'declared-but-unquantized' },
    ]);
    const quant = headerOf(nvfp4('a')).header;
    expect(recognizeScheme([quant], { model_type: 'llama' }, null).configIssues).toEqual([
      { kind: 'undeclared-but-quantized', modules: 1 },
    ]);
    expect(recognizeScheme([quant], null, hf('FP8')).configIssues).toEqual([
      { kind: 'scheme-differs', file: 'model.safetensors', scheme: 'nvfp4', modules: 1 },
    ]);
    expect(recognizeScheme([quant], null, null).configIssues).toEqual([]);
  });

  it('checks ModelOpt MIXED_PRECISION module by module', () => {
    const { header } = headerOf([...nvfp4('a'), ...nvfp4('b'), spec('c.weight', 'BF16', [2, 2])]);
    const r = recognizeScheme(
      [header],
      null,
      hf('MIXED_PRECISION', {
        quantized_layers: { a: { quant_algo: 'NVFP4' }, c: { quant_algo: 'NVFP4' } },
      }),
    );
    expect(r.modules.find((m) => m.prefix === 'a')?.source).toBe('config');
    expect(r.configIssues.map((i) => i.kind).sort()).toEqual([
      'listed-but-unquantized',
      'unlisted-but-quantized',
    ]);
  });

  it('makes a lone U8 or FP8 weight a module missing its scale only when the checkpoint expects scales', () => {
    const lone = [spec('lone.weight', 'U8', [2, 8])];
    const withContext = recognizeScheme([headerOf([...nvfp4('a'), ...lone]).header], null, null);
    expect(withContext.modules.find((m) => m.prefix === 'lone')).toMatchObject({
      scheme: 'nvfp4',
      missing: ['scale'],
      layout: null,
    });
    const alone = recognizeScheme([headerOf(lone).header], null, null);
    expect(alone.modules).toEqual([]);
    expect(alone.files[0].scheme).toBe('none');
    const fp8 = recognizeScheme([headerOf([spec('w.weight', 'F8_E4M3', [2, 2])]).header], null, {
      quantization: { quant_algo: 'FP8' },
    });
    expect(fp8.modules[0]).toMatchObject({
      scheme: 'fp8-tensor',
      source: 'config',
      missing: ['scale'],
    });
  });

  it('recognises ComfyUI swizzled U8 scales by their padding even without comfy_quant', () => {
    const { header } = headerOf([
      spec('c.weight', 'U8', [16, 256]),
      spec('c.weight_scale', 'U8', [128, 32]),
      spec('c.weight_scale_2', 'F32', []),
    ]);
    const [m] = recognizeScheme([header], null, null).modules;
    expect(m).toMatchObject({ scheme: 'nvfp4', producer: 'comfyui', scaleEncoding: 'e4m3' });
    expect(m.layout).toMatchObject({
      kind: 'fp4',
      nibbleOrder: 'high-first',
      scaleLayout: 'cublas-128x4',
      scaleShape: [16, 32],
    });
  });

  it('records scale shapes that do not fit, and orphan scales', () => {
    const { header } = headerOf([
      spec('a.weight', 'U8', [2, 8]),
      spec('a.weight_scale', 'F8_E4M3', [2, 2]),
      spec('a.weight_scale_2', 'F32', []),
      spec('o.weight_scale', 'F8_E4M3', [2, 1]),
    ]);
    const r = recognizeScheme([header], null, null);
    expect(r.modules[0]).toMatchObject({ layout: null, shapeProblem: { expected: '[2, 1]' } });
    expect(r.orphans.map((o) => o.tensor.info.name)).toEqual(['o.weight_scale']);
  });

  it('does not take ordinary tensors for quantization state', () => {
    const { header } = headerOf([
      spec('model.layer_scales', 'BF16', [4]),
      spec('enc.blocks', 'F32', [2, 16]),
      spec('enc.scales', 'F32', [2]),
    ]);
    const r = recognizeScheme([header], null, null);
    expect(r.modules).toEqual([]);
    expect(r.orphans).toEqual([]);
    expect(r.files[0].scheme).toBe('none');
  });

  it('recognises a swizzled F8_E4M3-typed scale (later ComfyUI versions) by its padding', () => {
    const { header } = headerOf([
      spec('c.weight', 'U8', [16, 256]),
      spec('c.weight_scale', 'F8_E4M3', [128, 32]),
      spec('c.weight_scale_2', 'F32', []),
    ]);
    expect(recognizeScheme([header], null, null).modules[0]).toMatchObject({
      producer: 'comfyui',
      layout: { scaleLayout: 'cublas-128x4' },
    });
  });

  it('returns plain data that can be posted from a worker (structured clone)', () => {
    const { header } = headerOf([...nvfp4('a'), ...nvfp4('lm_head')]);
    const r = recognizeScheme(
      [header],
      null,
      hf('NVFP4', { exclude_modules: ['lm_head', 're:x.*'] }),
    );
    expect(structuredClone(r)).toEqual(r);
  });
});
