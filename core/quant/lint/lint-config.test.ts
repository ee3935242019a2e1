import { describe, expect, it } from 'vitest';
import { recognizeScheme } from '../recognize-scheme';
import { f32Bytes } from '../testing/encode';
import { headerOf } from '../testing/open-fixture';
import { lintConfig } from './lint-config';

const nvfp4 = (p: string) => [
  { name: `${p}.weight`, dtype: 'U8' as const, shape: [2, 8], data: new Uint8Array(16) },
  { name: `${p}.weight_scale`, dtype: 'F8_E4M3' as const, shape: [2, 1], data: new Uint8Array(2) },
  { name: `${p}.weight_scale_2`, dtype: 'F32' as const, shape: [], data: f32Bytes([1]) },
];
const opts = { configFile: 'ck/config.json', hfQuantConfigFile: 'ck/hf_quant_config.json' };

describe('lintConfig', () => {
  it('points checkpoint-wide mismatches at the config file', () => {
    const plain = headerOf([
      { name: 'a.weight', dtype: 'BF16', shape: [2], data: new Uint8Array(4) },
    ]).header;
    const declared = lintConfig(
      recognizeScheme([plain], null, { quantization: { quant_algo: 'NVFP4' } }, opts),
    );
    expect(declared).toEqual([
      expect.objectContaining({
        rule: 'config-mismatch',
        severity: 'error',
        file: 'ck/hf_quant_config.json',
        module: null,
        count: 1,
      }),
    ]);
    const quant = headerOf(nvfp4('a')).header;
    const undeclared = lintConfig(recognizeScheme([quant], { model_type: 'x' }, null, opts));
    expect(undeclared).toEqual([
      expect.objectContaining({
        rule: 'config-mismatch',
        severity: 'warning',
        file: 'ck/config.json',
        count: 1,
      }),
    ]);
    expect(undeclared[0].message).toContain('declares no weight quantization');
  });

  it('reports modules the config excludes but that are stored quantized', () => {
    const { header } = headerOf([...nvfp4('a'), ...nvfp4('lm_head')]);
    const findings = lintConfig(
      recognizeScheme(
        [header],
        null,
        { quantization: { quant_algo: 'NVFP4', exclude_modules: ['lm_head'] } },
        opts,
      ),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'excluded-but-quantized',
        severity: 'warning',
        module: 'lm_head',
        tensor: 'lm_head.weight',
        count: 16,
      }),
    ]);
  });

  it('reports a scheme other than the declared one per file', () => {
    const { header } = headerOf(nvfp4('a'));
    const [f] = lintConfig(
      recognizeScheme([header], null, { quantization: { quant_algo: 'FP8' } }, opts),
    );
    expect(f).toMatchObject({
      rule: 'config-mismatch',
      severity: 'error',
      file: 'model.safetensors',
      count: 1,
    });
    expect(f.message).toContain('declares fp8-tensor');
    expect(f.message).toContain('stored nvfp4');
  });
});
