import type { ModulePattern } from './module-patterns';
import { modulePattern } from './module-patterns';
import type { ModuleScheme, QuantProducer } from './quant-types';

/** Which config file a declaration came from. */
export type ConfigFile = 'config.json' | 'hf_quant_config.json';

/** What the configs say the checkpoint's weights are. */
export interface DeclaredQuant {
  readonly kind: 'quantized';
  /** `unknown` for a quantization method this tool does not know. */
  readonly scheme: ModuleScheme;
  readonly producer: QuantProducer | null;
  /** The method as the config spells it, for messages (`modelopt NVFP4`). */
  readonly method: string;
  readonly file: ConfigFile;
  /** Modules the config says are left unquantized. */
  readonly exclude: readonly ModulePattern[];
  readonly groupSize: number | null;
  /** [rows, cols] per scale of FP8 block schemes (`weight_block_size`, `block_structure`). */
  readonly block: readonly [number, number] | null;
  /** ModelOpt MIXED_PRECISION: the scheme of each listed module; others are unquantized. */
  readonly perModule: ReadonlyMap<string, ModuleScheme> | null;
  /** What to add to a GPTQ zero point: 1 for the v1 format (the default), 0 for `gptq_v2`. */
  readonly gptqZeroOffset: number;
}

export type QuantConfig =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unquantized'; readonly file: ConfigFile; readonly method: string }
  | DeclaredQuant;

type Json = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(obj: unknown, key: string): unknown {
  return isObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function pair(v: unknown): [number, number] | null {
  if (Array.isArray(v) && v.length === 2) {
    const a = int(v[0]);
    const b = int(v[1]);
    return a === null || b === null ? null : [a, b];
  }
  return null;
}

/**
 * ModelOpt `quant_algo` values (formats.md §4a). `null` there means only the KV cache is quantized:
 * the weights are not.
 */
const MODELOPT_ALGOS: ReadonlyMap<string, ModuleScheme> = new Map<string, ModuleScheme>([
  ['NVFP4', 'nvfp4'],
  ['NVFP4_AWQ', 'nvfp4'],
  ['NVFP4_SVD', 'nvfp4'],
  ['W4A8_NVFP4_FP8', 'nvfp4'],
  ['FP8', 'fp8-tensor'],
  ['FP8_PER_CHANNEL_PER_TOKEN', 'fp8-channel'],
  ['FP8_PB_WO', 'fp8-block'],
  ['W4A16_AWQ', 'awq'],
  ['W4A8_AWQ', 'awq'],
  ['MXFP8', 'mxfp8'],
  ['MXFP4', 'mxfp4'],
  ['W4A8_MXFP4_FP8', 'mxfp4'],
]);
const MODELOPT_MIXED = 'MIXED_PRECISION';

/** compressed-tensors `format` values (`config/base.py`) that fix the scheme. */
const CT_FORMATS: ReadonlyMap<string, ModuleScheme> = new Map<string, ModuleScheme>([
  ['nvfp4-pack-quantized', 'nvfp4'],
  ['mxfp4-pack-quantized', 'mxfp4'],
  ['mxfp8-quantized', 'mxfp8'],
  ['pack-quantized', 'w4a16-packed'],
]);
const CT_FLOAT_FORMAT = 'float-quantized';
/** compressed-tensors weight `strategy` -> FP8 scheme (group strategies are 1 x g blocks). */
const CT_FP8_STRATEGIES: ReadonlyMap<string, ModuleScheme> = new Map<string, ModuleScheme>([
  ['tensor', 'fp8-tensor'],
  ['channel', 'fp8-channel'],
  ['block', 'fp8-block'],
  ['group', 'fp8-block'],
  ['tensor_group', 'fp8-block'],
]);
/** GPTQModel's format that stores zero points without the v1 "minus one". */
const GPTQ_V2_FORMAT = 'gptq_v2';

function modelOptScheme(algo: unknown): ModuleScheme | 'none' {
  const name = str(algo);
  if (name === null) {
    return 'none';
  }
  return MODELOPT_ALGOS.get(name.toUpperCase()) ?? 'unknown';
}

function base(
  file: ConfigFile,
  method: string,
  scheme: ModuleScheme,
  producer: QuantProducer | null,
): DeclaredQuant {
  return {
    kind: 'quantized',
    scheme,
    producer,
    method,
    file,
    exclude: [],
    groupSize: null,
    block: null,
    perModule: null,
    gptqZeroOffset: 1,
  };
}

/** ModelOpt's `quantization` block (hf_quant_config.json) or `quantization_config` (config.json). */
function readModelOpt(q: unknown, file: ConfigFile): QuantConfig {
  const algo = get(q, 'quant_algo');
  const exclude = [...strings(get(q, 'exclude_modules')), ...strings(get(q, 'ignore'))];
  if (str(algo)?.toUpperCase() === MODELOPT_MIXED) {
    const perModule = new Map<string, ModuleScheme>();
    const layers = get(q, 'quantized_layers');
    if (isObject(layers)) {
      for (const [name, spec] of Object.entries(layers)) {
        const s = modelOptScheme(get(spec, 'quant_algo'));
        if (s !== 'none') {
          perModule.set(name, s);
        }
      }
    }
    const counts = new Map<ModuleScheme, number>();
    for (const s of perModule.values()) {
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1])[0];
    return {
      ...base(
        file,
        `modelopt ${MODELOPT_MIXED}`,
        top === undefined ? 'unknown' : top[0],
        'modelopt',
      ),
      exclude: exclude.map(modulePattern),
      perModule,
    };
  }
  const scheme = modelOptScheme(algo);
  const method = `modelopt ${str(algo) ?? 'null'}`;
  if (scheme === 'none') {
    return { kind: 'unquantized', file, method };
  }
  return {
    ...base(file, method, scheme, 'modelopt'),
    exclude: exclude.map(modulePattern),
    groupSize: int(get(q, 'group_size')),
  };
}

function ctScheme(format: string | null, weights: unknown): ModuleScheme {
  const fixed = format === null ? undefined : CT_FORMATS.get(format);
  if (fixed !== undefined) {
    return fixed;
  }
  const type = str(get(weights, 'type'));
  const bits = int(get(weights, 'num_bits'));
  const strategy = str(get(weights, 'strategy')) ?? 'tensor';
  if (format === CT_FLOAT_FORMAT || (format === null && type === 'float' && bits === 8)) {
    return CT_FP8_STRATEGIES.get(strategy) ?? 'unknown';
  }
  if (format === null && type === 'float' && bits === 4) {
    return int(get(weights, 'group_size')) === 32 ? 'mxfp4' : 'nvfp4';
  }
  if (format === null && type === 'int' && bits === 4) {
    return 'w4a16-packed';
  }
  return 'unknown';
}

function readCompressedTensors(q: unknown): DeclaredQuant {
  const groups = get(q, 'config_groups');
  const first = isObject(groups) ? Object.values(groups)[0] : undefined;
  const weights = get(first, 'weights');
  const format = str(get(q, 'format'));
  const groupFormat = str(get(first, 'format'));
  const effective = format === 'mixed-precision' ? groupFormat : (format ?? groupFormat);
  const scheme = ctScheme(effective, weights);
  return {
    ...base(
      'config.json',
      `compressed-tensors ${effective ?? 'unspecified'}`,
      scheme,
      'compressed-tensors',
    ),
    exclude: strings(get(q, 'ignore')).map(modulePattern),
    groupSize: int(get(weights, 'group_size')),
    block: pair(get(weights, 'block_structure')),
  };
}

function withSkips(d: DeclaredQuant, q: unknown, key: string): DeclaredQuant {
  return { ...d, exclude: strings(get(q, key)).map(modulePattern) };
}

/** `quantization_config` of config.json by `quant_method`. */
function readQuantizationConfig(q: unknown): QuantConfig {
  const method = str(get(q, 'quant_method'))?.toLowerCase() ?? '';
  const file = 'config.json';
  switch (method) {
    case 'modelopt':
      return readModelOpt(q, file);
    case 'compressed-tensors':
      return readCompressedTensors(q);
    case 'mxfp4':
      return withSkips(base(file, 'mxfp4', 'mxfp4', 'gpt-oss'), q, 'modules_to_not_convert');
    case 'fp8': {
      // A `weight_block_size` that is present declares block scales even when its value is
      // unusable (`[0, 0]`): the scheme stays fp8-block (block read from the shapes) and
      // `quantConfigProblems` reports the value.
      const declared = get(q, 'weight_block_size');
      const declaresBlock = declared !== undefined && declared !== null;
      const block = pair(get(q, 'weight_block_size'));
      const d = base(
        file,
        'fp8',
        declaresBlock ? 'fp8-block' : 'fp8-tensor',
        declaresBlock ? 'deepseek' : null,
      );
      return withSkips({ ...d, block }, q, 'modules_to_not_convert');
    }
    case 'awq':
      return withSkips(
        { ...base(file, 'awq', 'awq', 'autoawq'), groupSize: int(get(q, 'group_size')) },
        q,
        'modules_to_not_convert',
      );
    case 'gptq':
      return withSkips(
        {
          ...base(file, 'gptq', 'gptq', 'gptq'),
          groupSize: int(get(q, 'group_size')),
          gptqZeroOffset: str(get(q, 'checkpoint_format')) === GPTQ_V2_FORMAT ? 0 : 1,
        },
        q,
        'modules_to_not_convert',
      );
    case 'bitsandbytes': {
      const nf4 = get(q, 'load_in_4bit') === true && str(get(q, 'bnb_4bit_quant_type')) === 'nf4';
      const d = base(
        file,
        `bitsandbytes ${nf4 ? 'nf4' : 'other'}`,
        nf4 ? 'nf4' : 'unknown',
        'bitsandbytes',
      );
      return withSkips(d, q, 'llm_int8_skip_modules');
    }
    case 'fbgemm_fp8':
      return withSkips(base(file, method, 'fp8-channel', null), q, 'modules_to_not_convert');
    default:
      return base(file, method === '' ? 'unspecified' : method, 'unknown', null);
  }
}

/**
 * Reads what `config.json` (its `quantization_config`) and `hf_quant_config.json` (ModelOpt's legacy
 * file, preferred when present) say about quantization: absent (no config at all), unquantized (a
 * config that declares none), or a declared scheme with its exclusions.
 */
export function readQuantConfig(config: unknown, hfQuantConfig: unknown): QuantConfig {
  const legacy = get(hfQuantConfig, 'quantization');
  if (legacy !== undefined) {
    return readModelOpt(legacy, 'hf_quant_config.json');
  }
  const q = get(config, 'quantization_config');
  if (isObject(q)) {
    return readQuantizationConfig(q);
  }
  if (isObject(config)) {
    return { kind: 'unquantized', file: 'config.json', method: 'no quantization_config' };
  }
  if (isObject(hfQuantConfig)) {
    return { kind: 'unquantized', file: 'hf_quant_config.json', method: 'no quantization block' };
  }
  return { kind: 'absent' };
}

/** Something wrong in the configs themselves (rule id and the file it is in). */
export interface ConfigProblem {
  readonly rule: 'config-conflict' | 'config-value';
  readonly file: ConfigFile;
  readonly message: string;
}

function describe(q: QuantConfig): string {
  switch (q.kind) {
    case 'absent':
      return 'nothing';
    case 'unquantized':
      return `no weight quantization (${q.method})`;
    case 'quantized':
      return `${q.scheme} (${q.method})`;
  }
}

/** A block-size entry that is present but not two positive integers. */
function badBlock(q: unknown, key: string, label: string): ConfigProblem | null {
  const v = get(q, key);
  if (v === undefined || v === null || pair(v) !== null) {
    return null;
  }
  return {
    rule: 'config-value',
    file: 'config.json',
    message: `${label} is ${shortJson(v)}, not two positive integers: the block size is read from the tensor shapes instead`,
  };
}

/** Longest rendering of a config value quoted in a message. */
const MAX_QUOTED_VALUE = 80;

function shortJson(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(typeof v);
  }
  return text.length > MAX_QUOTED_VALUE ? `${text.slice(0, MAX_QUOTED_VALUE)}…` : text;
}

/**
 * What is wrong in the configs themselves, apart from what the tensors say: `hf_quant_config.json`
 * and `config.json` declaring different quantization (the report follows hf_quant_config.json,
 * as `readQuantConfig` does, but says so), and block sizes that cannot be right.
 */
export function quantConfigProblems(config: unknown, hfQuantConfig: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const q = get(config, 'quantization_config');
  if (isObject(q)) {
    const method = str(get(q, 'quant_method'))?.toLowerCase();
    const groups = get(q, 'config_groups');
    const block =
      method === 'fp8'
        ? badBlock(q, 'weight_block_size', 'quantization_config.weight_block_size')
        : method === 'compressed-tensors' && isObject(groups)
          ? badBlock(
              get(Object.values(groups)[0], 'weights'),
              'block_structure',
              "the first config group's weights.block_structure",
            )
          : null;
    if (block !== null) {
      problems.push(block);
    }
  }
  const legacy = get(hfQuantConfig, 'quantization');
  if (legacy !== undefined && isObject(q)) {
    const fromLegacy = readModelOpt(legacy, 'hf_quant_config.json');
    const fromConfig = readQuantizationConfig(q);
    const same =
      fromLegacy.kind === fromConfig.kind &&
      (fromLegacy.kind !== 'quantized' ||
        (fromConfig.kind === 'quantized' && fromLegacy.scheme === fromConfig.scheme));
    if (!same) {
      problems.push({
        rule: 'config-conflict',
        file: 'hf_quant_config.json',
        message: `hf_quant_config.json declares ${describe(fromLegacy)} but config.json declares ${describe(fromConfig)}: this report follows hf_quant_config.json`,
      });
    }
  }
  return problems;
}
