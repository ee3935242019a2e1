import type { TensorInfo } from '../format/tensor-info';
import type { LayerKey } from '../layout/layer-key';
import type { QuantLayout, ScaleEncoding } from './quant-layout';

/**
 * The scheme names of the `--json` contract (`files[].scheme`): what a file's quantized weights
 * are. `none` = nothing in the file is quantized; `unknown` = quantized-looking data (FP8/FP4
 * tensors, scale tensors) in no recognised layout.
 */
export const QUANT_SCHEMES = [
  'nvfp4',
  'mxfp4',
  'mxfp8',
  'fp8-tensor',
  'fp8-channel',
  'fp8-block',
  'awq',
  'gptq',
  'w4a16-packed',
  'nf4',
  'none',
  'unknown',
] as const;

export type QuantScheme = (typeof QUANT_SCHEMES)[number];

/** A quantized module always has a scheme other than `none`. */
export type ModuleScheme = Exclude<QuantScheme, 'none'>;

/** The toolchains of the `--json` contract (`files[].producer`); null when none can be told. */
export const QUANT_PRODUCERS = [
  'modelopt',
  'compressed-tensors',
  'gpt-oss',
  'deepseek',
  'autoawq',
  'gptq',
  'comfyui',
  'bitsandbytes',
] as const;

export type QuantProducer = (typeof QUANT_PRODUCERS)[number];

/** Where a scheme was learned: a config file that the tensors agree with, or names/dtypes/shapes alone. */
export type SchemeSource = 'config' | 'names';

/**
 * What a tensor is to its quantized module.
 * - `weight`: the packed codes (U8/I32/F4) or FP8 values.
 * - `scale`: the block / group / channel / tensor scale of the weight (bnb `absmax` too).
 * - `globalScale`: ModelOpt/Comfy `weight_scale_2` (a multiplier), compressed-tensors
 *   `weight_global_scale` (a divisor).
 * - `inputScale`: ModelOpt `input_scale`, compressed-tensors `input_global_scale` (a divisor).
 * - `zeroPoint`: AWQ/GPTQ `qzeros`, compressed-tensors `weight_zero_point` (packed int4).
 * - `groupIndex`: GPTQ `g_idx`, compressed-tensors `weight_g_idx`.
 * - `weightShape`: compressed-tensors `weight_shape` (the unpacked [R, C]).
 * - `preQuantScale`: ModelOpt AWQ activation smoothing.
 * - `quantMap`, `quantState`, `nestedScale`, `nestedQuantMap`: bitsandbytes 4-bit state.
 * - `marker`: ComfyUI `comfy_quant` (JSON bytes naming the format).
 */
export type QuantRole =
  | 'weight'
  | 'scale'
  | 'globalScale'
  | 'inputScale'
  | 'zeroPoint'
  | 'groupIndex'
  | 'weightShape'
  | 'preQuantScale'
  | 'quantMap'
  | 'quantState'
  | 'nestedScale'
  | 'nestedQuantMap'
  | 'marker';

/** One tensor of a module and the file that holds it (modules may span shards). */
export interface TensorRef {
  readonly file: string;
  readonly info: TensorInfo;
}

export type ModuleTensors = Readonly<Partial<Record<QuantRole, TensorRef>>>;

/** One quantized module: a weight and its scales, analysed as a unit. */
export interface QuantModule {
  /** Unique within a report: `<file>::<prefix>`. */
  readonly id: string;
  /** The file holding the weight (or, when the weight is missing, the first tensor found). */
  readonly file: string;
  /** The name every tensor of the module starts with (`model.layers.0.mlp.down_proj`). */
  readonly prefix: string;
  /** Layer / module / expert of the weight, for grids and sibling checks. */
  readonly key: LayerKey;
  readonly scheme: ModuleScheme;
  readonly producer: QuantProducer | null;
  readonly source: SchemeSource;
  readonly tensors: ModuleTensors;
  /** How the `scale` tensor's bytes decode, by its role (U8 storage included). */
  readonly scaleEncoding: ScaleEncoding;
  /** How to decode the weight with its scales; null when a tensor is missing or shapes disagree. */
  readonly layout: QuantLayout | null;
  /** Roles the scheme needs that no tensor fills (scales only: a missing weight makes an orphan). */
  readonly missing: readonly QuantRole[];
  /** Why the shapes do not fit the scheme (then `layout` is null), or null. */
  readonly shapeProblem: ShapeProblem | null;
}

export interface ShapeProblem {
  readonly tensor: TensorRef;
  readonly expected: string;
}

/** A scale-like tensor with no weight beside it. */
export interface OrphanTensor {
  readonly tensor: TensorRef;
  readonly prefix: string;
}

/** The verdict for one safetensors file. */
export interface FileScheme {
  readonly file: string;
  readonly scheme: QuantScheme;
  readonly producer: QuantProducer | null;
  /** Null for `none` and `unknown`. */
  readonly source: SchemeSource | null;
  /** Quantized modules whose weight is in this file. */
  readonly modules: number;
  /** Every scheme present in the file, most frequent first (mixed-precision checkpoints). */
  readonly schemes: readonly ModuleScheme[];
}

export type FindingRule =
  | 'nan-scale'
  | 'inf-scale'
  | 'saturated-scale'
  | 'zero-scale-nonzero-block'
  | 'subnormal-scale'
  | 'bad-global-scale'
  | 'missing-scale'
  | 'orphan-scale'
  | 'scale-shape'
  | 'missing-input-scale'
  | 'config-mismatch'
  | 'excluded-but-quantized'
  /** A config pattern (glob or `re:`) that could not be applied: unsupported syntax or over budget. */
  | 'config-pattern'
  /** `hf_quant_config.json` and `config.json` declare different quantization. */
  | 'config-conflict'
  /** A config value that cannot be right (`weight_block_size: [0, 0]`). */
  | 'config-value'
  /** Issue 13's rules (see the README's rules table). */
  | 'fused-scale-mismatch'
  | 'scale-outlier'
  | 'zeroed-block'
  | 'unexpected-tensor'
  | 'zero-point-format'
  | 'implausible-magnitude'
  | 'non-pow2-scale'
  | 'fnuz-portability'
  | 'scale-drift'
  | 'nan-value'
  | 'inf-value';

export type Severity = 'error' | 'warning' | 'info';

/** One lint finding: the `findings[]` entries of the `--json` contract. */
export interface Finding {
  readonly rule: FindingRule;
  readonly severity: Severity;
  /** The file holding `tensor`; for config rules the config file (null when its name is unknown). */
  readonly file: string | null;
  /** The module prefix, or null for checkpoint-wide findings. */
  readonly module: string | null;
  readonly tensor: string | null;
  /** How many elements are affected (per rule: see lint-checkpoint.ts). */
  readonly count: number;
  readonly message: string;
}
