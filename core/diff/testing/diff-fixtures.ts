/**
 * A small BF16 model and its quantizations, built at run time for the diff's tests (core, CLI) and
 * the bench: the same float weights in every variant, each quantized with core/quant/testing's
 * quantizers and packed in one toolchain's layout. Nothing binary is committed.
 */
import type { TensorSpec } from '../../format/build-safetensors';
import { decodeBF16 } from '../../dtype/half';
import { bf16Bits } from '../../quant/testing/encode';
import type { FixtureParts, QuantFixture } from '../../quant/testing/fixture-kit';
import { singleFile, twoShards } from '../../quant/testing/fixture-kit';
import { ctConfig, hfConfig, modelOptConfig } from '../../quant/testing/fixture-configs';
import type { BuiltModule } from '../../quant/testing/modules-float';
import {
  ctMxfp4,
  ctNvfp4,
  fp8Module,
  modelOptNvfp4,
  randomMatrix,
} from '../../quant/testing/modules-float';
import { autoAwq, gptq, plainBf16 } from '../../quant/testing/modules-int';
import { packNibbles } from '../../quant/testing/pack';
import type { Matrix } from '../../quant/testing/quantize';
import { quantizeNvfp4 } from '../../quant/testing/quantize';

/** The module shapes of one layer, [out, in]: every dimension a multiple of 128 (FP8 blocks). */
export const LAYER_MODULES: readonly (readonly [string, number, number])[] = [
  ['self_attn.q_proj', 128, 128],
  ['self_attn.k_proj', 128, 128],
  ['self_attn.v_proj', 128, 128],
  ['self_attn.o_proj', 128, 128],
  ['mlp.gate_proj', 256, 128],
  ['mlp.up_proj', 256, 128],
  ['mlp.down_proj', 128, 256],
];

export const DIFF_LAYERS = 2;

/** Quantized variants the tests build from the same BF16 weights. */
export type Variant =
  'modelopt-nvfp4' | 'ct-nvfp4' | 'ct-mxfp4' | 'fp8-channel' | 'fp8-block' | 'autoawq' | 'gptq';

export const VARIANTS: readonly Variant[] = [
  'modelopt-nvfp4',
  'ct-nvfp4',
  'ct-mxfp4',
  'fp8-channel',
  'fp8-block',
  'autoawq',
  'gptq',
];

/** The int4 variants' group size. */
export const DIFF_GROUP = 32;

function bf16Round(values: Float64Array): Float64Array {
  return values.map((v) => decodeBF16(bf16Bits(v)));
}

/** The model's float weights by module prefix, already BF16-exact (as an exporter reads them). */
export function diffWeights(seed = 1): Map<string, Matrix> {
  const out = new Map<string, Matrix>();
  let s = seed * 1000;
  for (let l = 0; l < DIFF_LAYERS; l++) {
    for (const [module, rows, cols] of LAYER_MODULES) {
      const m = randomMatrix(rows, cols, s++);
      out.set(`model.layers.${l}.${module}`, { rows, cols, values: bf16Round(m.values) });
    }
  }
  return out;
}

/** Unquantized tensors every variant keeps in BF16 (byte-equal to the original's). */
function keptTensors(seed: number): TensorSpec[] {
  return [
    plainBf16('model.embed_tokens.weight', randomMatrix(64, 128, seed + 900)),
    plainBf16('model.norm.weight', randomMatrix(1, 128, seed + 901)),
    plainBf16('lm_head.weight', randomMatrix(64, 128, seed + 902)),
  ];
}

const NONE = { scheme: 'none', producer: null, source: null, findings: [] } as const;

/** The BF16 original: `P.weight` per module, in two shards (layer 1 in the second). */
export function bf16Model(seed = 1, name = 'bf16'): QuantFixture {
  const extra = [
    ...[...diffWeights(seed)].map(([p, w]) => plainBf16(`${p}.weight`, w)),
    ...keptTensors(seed),
  ];
  return twoShards(name, { extra, config: hfConfig(), expected: NONE }, (n) =>
    n.startsWith('model.layers.1.'),
  );
}

function quantize(variant: Variant, prefix: string, w: Matrix): BuiltModule {
  switch (variant) {
    case 'modelopt-nvfp4':
      return modelOptNvfp4(prefix, w);
    case 'ct-nvfp4':
      return ctNvfp4(prefix, w);
    case 'ct-mxfp4':
      return ctMxfp4(prefix, w);
    case 'fp8-channel':
      return fp8Module(prefix, w, 'modelopt-channel');
    case 'fp8-block':
      return fp8Module(prefix, w, 'ct-block');
    case 'autoawq':
      return autoAwq(prefix, w, DIFF_GROUP);
    case 'gptq':
      return gptq(prefix, w, DIFF_GROUP, false);
  }
}

function configsOf(variant: Variant): Pick<FixtureParts, 'config' | 'hfQuantConfig'> {
  switch (variant) {
    case 'modelopt-nvfp4':
      return { hfQuantConfig: modelOptConfig('NVFP4') };
    case 'ct-nvfp4':
      return {
        config: ctConfig('nvfp4-pack-quantized', {
          num_bits: 4,
          type: 'float',
          strategy: 'tensor_group',
          group_size: 16,
        }),
      };
    case 'ct-mxfp4':
      return {
        config: ctConfig('mxfp4-pack-quantized', {
          num_bits: 4,
          type: 'float',
          strategy: 'group',
          group_size: 32,
        }),
      };
    case 'fp8-channel':
      return { hfQuantConfig: modelOptConfig('FP8_PER_CHANNEL_PER_TOKEN') };
    case 'fp8-block':
      return {
        config: ctConfig('float-quantized', {
          num_bits: 8,
          type: 'float',
          strategy: 'block',
          block_structure: [128, 128],
        }),
      };
    case 'autoawq':
      return {
        config: hfConfig({
          quant_method: 'awq',
          bits: 4,
          group_size: DIFF_GROUP,
          zero_point: true,
          version: 'gemm',
        }),
      };
    case 'gptq':
      return {
        config: hfConfig({
          quant_method: 'gptq',
          bits: 4,
          group_size: DIFF_GROUP,
          desc_act: false,
          sym: false,
        }),
      };
  }
}

/**
 * The model quantized as `variant` (one file; the unquantized tensors kept byte-equal). With
 * `swapNibblesOf`, that NVFP4 module's bytes are packed high nibble first while the scheme says low
 * first: a layout mix-up the file alone cannot show.
 */
export function quantizedModel(
  variant: Variant,
  options: { seed?: number; swapNibblesOf?: string } = {},
): QuantFixture {
  const seed = options.seed ?? 1;
  const modules: Record<string, BuiltModule> = {};
  for (const [prefix, w] of diffWeights(seed)) {
    modules[prefix] = quantize(variant, prefix, w);
  }
  const swapped = options.swapNibblesOf;
  const weights = diffWeights(seed);
  return singleFile(variant, {
    modules,
    extra: keptTensors(seed),
    ...configsOf(variant),
    expected: NONE,
    edit:
      swapped === undefined
        ? undefined
        : (tensors) =>
            tensors.map((t) => {
              const w = weights.get(swapped);
              if (t.name !== `${swapped}.weight` || w === undefined) {
                return t;
              }
              return { ...t, data: packNibbles(quantizeNvfp4(w).codes, false) };
            }),
  });
}
