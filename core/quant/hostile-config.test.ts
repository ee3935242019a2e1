import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../format/build-safetensors';
import { lintConfig } from './lint/lint-config';
import { recognizeScheme } from './recognize-scheme';
import { headerOf } from './testing/open-fixture';

/** FP8 per-tensor Linear tensors under `p` (weight, scalar scale). */
function fp8(p: string): TensorSpec[] {
  return [
    { name: `${p}.weight`, dtype: 'F8_E4M3', shape: [2, 2], data: new Uint8Array(4) },
    { name: `${p}.weight_scale`, dtype: 'F32', shape: [], data: new Uint8Array(4) },
  ];
}

/** A 40-character module name made of `a`s (the shape of name the ReDoS globs were tried on). */
const LONG = `model.${'a'.repeat(34)}`;
const { header } = headerOf([...fp8(LONG), ...fp8('model.layers.0.mlp.down_proj')]);

const modelopt = (exclude: unknown): unknown => ({
  quantization: { quant_algo: 'FP8', exclude_modules: exclude },
});
const ct = (ignore: unknown): unknown => ({
  quantization_config: {
    quant_method: 'compressed-tensors',
    format: 'float-quantized',
    config_groups: { g: { weights: { type: 'float', num_bits: 8, strategy: 'tensor' } } },
    ignore,
  },
});

function findings(config: unknown, hf: unknown): ReturnType<typeof lintConfig> {
  return lintConfig(recognizeScheme([header], config, hf, { configFile: 'config.json' }));
}

describe('configs are data, not code', () => {
  it('matches a backtracking-hostile glob without hanging (it took minutes as a RegExp)', () => {
    const r = recognizeScheme(
      [header],
      null,
      modelopt(['*a*a*a*a*a*a*a*a*a*a*a*a*b', `*a*a*a*a*a`]),
    );
    const excluded = r.configIssues.flatMap((i) =>
      i.kind === 'excluded-but-quantized' ? [i.module.prefix] : [],
    );
    expect(excluded).toEqual([LONG]);
  });

  it('reports a backreference regex as a config-pattern finding instead of running it', () => {
    const f = findings(ct(['re:(.*)*\\1b', 're:.*down_proj$']), null);
    const pattern = f.filter((x) => x.rule === 'config-pattern');
    expect(pattern).toHaveLength(1);
    expect(pattern[0]).toMatchObject({ severity: 'warning', file: 'config.json', count: 1 });
    expect(pattern[0].message).toContain('re:(.*)*\\1b');
    expect(pattern[0].message).toContain('backreference');
    // The valid pattern next to it still applies.
    expect(f.filter((x) => x.rule === 'excluded-but-quantized').map((x) => x.module)).toEqual([
      'model.layers.0.mlp.down_proj',
    ]);
  });

  it('runs nested-quantifier regexes (no backreference) in linear time', () => {
    const f = findings(ct(['re:(a*)*(a|aa)*b', 're:(.*a){20}']), null);
    expect(f.filter((x) => x.rule === 'config-pattern')).toEqual([]);
    expect(f.filter((x) => x.rule === 'excluded-but-quantized').map((x) => x.module)).toEqual([
      LONG,
    ]);
  });

  it('never throws, whatever the config holds (nested, huge, odd types, any patterns)', () => {
    const pattern = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('*', 'a', '?', '.', 'b') }),
      fc
        .string({
          unit: fc.constantFrom(
            '(',
            ')',
            '*',
            '+',
            '?',
            '|',
            '\\',
            '1',
            'a',
            '[',
            ']',
            '{',
            '}',
            ',',
            '^',
            '$',
            '.',
          ),
        })
        .map((s) => `re:${s}`),
    );
    const list = fc.oneof(fc.array(pattern, { maxLength: 20 }), fc.anything());
    const quantBlock = fc.record(
      {
        quant_algo: fc.oneof(
          fc.constantFrom('FP8', 'NVFP4', 'MIXED_PRECISION', 'MXFP4'),
          fc.anything(),
        ),
        exclude_modules: list,
        ignore: list,
        quantized_layers: fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything()),
        group_size: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const qc = fc.record(
      {
        quant_method: fc.oneof(
          fc.constantFrom(
            'fp8',
            'compressed-tensors',
            'modelopt',
            'mxfp4',
            'awq',
            'gptq',
            'bitsandbytes',
          ),
          fc.anything(),
        ),
        weight_block_size: fc.anything(),
        ignore: list,
        modules_to_not_convert: list,
        config_groups: fc.anything(),
        format: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const config = fc.oneof(
      fc.anything(),
      fc.record({ quantization_config: fc.oneof(qc, fc.anything()) }),
    );
    const hf = fc.oneof(
      fc.anything(),
      fc.record({ quantization: fc.oneof(quantBlock, fc.anything()) }),
    );
    fc.assert(
      fc.property(config, hf, (c, h) => {
        const f = findings(c, h);
        expect(Array.isArray(f)).toBe(true);
        for (const x of f) {
          expect(typeof x.message).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('config findings', () => {
  it('reports hf_quant_config.json and config.json declaring different schemes', () => {
    const f = findings(
      { quantization_config: { quant_method: 'fp8', weight_block_size: [128, 128] } },
      { quantization: { quant_algo: 'FP8' } },
    );
    const conflict = f.filter((x) => x.rule === 'config-conflict');
    expect(conflict).toHaveLength(1);
    expect(conflict[0].message).toBe(
      'hf_quant_config.json declares fp8-tensor (modelopt FP8) but config.json declares fp8-block (fp8): this report follows hf_quant_config.json',
    );
  });

  it('says nothing when both configs agree', () => {
    const f = findings(
      { quantization_config: { quant_method: 'modelopt', quant_algo: 'FP8' } },
      { quantization: { quant_algo: 'FP8' } },
    );
    expect(f.filter((x) => x.rule === 'config-conflict')).toEqual([]);
  });

  it('reports weight_block_size [0, 0] as a config value, and keeps the block scheme', () => {
    const r = recognizeScheme(
      [header],
      { quantization_config: { quant_method: 'fp8', weight_block_size: [0, 0] } },
      null,
    );
    expect(r.config).toMatchObject({ kind: 'quantized', scheme: 'fp8-block', block: null });
    const f = lintConfig(r).filter((x) => x.rule === 'config-value');
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe(
      'quantization_config.weight_block_size is [0,0], not two positive integers: the block size is read from the tensor shapes instead',
    );
  });

  it('keeps weight_block_size null as per-tensor FP8 without a finding', () => {
    const r = recognizeScheme(
      [header],
      { quantization_config: { quant_method: 'fp8', weight_block_size: null } },
      null,
    );
    expect(r.config).toMatchObject({ scheme: 'fp8-tensor' });
    expect(lintConfig(r).filter((x) => x.rule === 'config-value')).toEqual([]);
  });
});
