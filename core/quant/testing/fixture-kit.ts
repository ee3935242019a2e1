import { buildSafetensors } from '../../format/build-safetensors';
import type { TensorSpec } from '../../format/build-safetensors';
import type { FindingRule, QuantProducer, QuantScheme, SchemeSource } from '../quant-types';
import type { BuiltModule } from './modules-float';

/** One file of a fixture checkpoint folder. */
export interface FixtureFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A finding a fixture plants, as the lint must report it. */
export interface ExpectedFinding {
  readonly rule: FindingRule;
  readonly module: string | null;
  readonly count: number;
}

/** A generated checkpoint: its files (configs as JSON text), the parsed configs, and what to expect. */
export interface QuantFixture {
  readonly name: string;
  readonly files: readonly FixtureFile[];
  /** `config.json` as `openCheckpoint` returns it (null when the fixture has none). */
  readonly config: unknown;
  readonly hfQuantConfig: unknown;
  /** What every safetensors file of the fixture is recognised as, and every finding. */
  readonly expected: {
    readonly scheme: QuantScheme;
    readonly producer: QuantProducer | null;
    readonly source: SchemeSource | null;
    readonly findings: readonly ExpectedFinding[];
  };
  /** Float weights by module prefix, in the module layout's element order (round-trip checks). */
  readonly sources: ReadonlyMap<string, Float64Array>;
}

export interface FixtureParts {
  readonly modules?: Readonly<Record<string, BuiltModule>>;
  readonly extra?: readonly TensorSpec[];
  readonly config?: unknown;
  readonly hfQuantConfig?: unknown;
  readonly expected: QuantFixture['expected'];
  /** Edits applied to the tensors before writing (planted faults). */
  readonly edit?: (tensors: TensorSpec[]) => TensorSpec[];
}

const JSON_FILES: readonly [keyof FixtureParts & ('config' | 'hfQuantConfig'), string][] = [
  ['config', 'config.json'],
  ['hfQuantConfig', 'hf_quant_config.json'],
];

function configFiles(parts: FixtureParts): FixtureFile[] {
  const out: FixtureFile[] = [];
  for (const [key, name] of JSON_FILES) {
    const value = parts[key];
    if (value !== undefined && value !== null) {
      out.push({ name, bytes: new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`) });
    }
  }
  return out;
}

/** A one-file fixture (`model.safetensors`) plus its configs. */
export function singleFile(name: string, parts: FixtureParts): QuantFixture {
  const modules = parts.modules ?? {};
  let tensors = [...Object.values(modules).flatMap((m) => m.tensors), ...(parts.extra ?? [])];
  tensors = parts.edit?.(tensors) ?? tensors;
  return {
    name,
    files: [
      { name: 'model.safetensors', bytes: buildSafetensors(tensors, { format: 'pt' }) },
      ...configFiles(parts),
    ],
    config: parts.config ?? null,
    hfQuantConfig: parts.hfQuantConfig ?? null,
    expected: parts.expected,
    sources: new Map(Object.entries(modules).map(([prefix, m]) => [prefix, m.source])),
  };
}

/** Two shards with a `model.safetensors.index.json`; `split` says which tensors go to shard 2. */
export function twoShards(
  name: string,
  parts: FixtureParts,
  split: (tensor: string) => boolean,
): QuantFixture {
  const modules = parts.modules ?? {};
  const all = [...Object.values(modules).flatMap((m) => m.tensors), ...(parts.extra ?? [])];
  const shardNames = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  const shards = [all.filter((t) => !split(t.name)), all.filter((t) => split(t.name))];
  const weightMap: Record<string, string> = {};
  shards.forEach((tensors, i) => {
    for (const t of tensors) {
      weightMap[t.name] = shardNames[i];
    }
  });
  const index = {
    metadata: { total_size: all.reduce((n, t) => n + t.data.length, 0) },
    weight_map: weightMap,
  };
  return {
    name,
    files: [
      ...shards.map((tensors, i) => ({
        name: shardNames[i],
        bytes: buildSafetensors(tensors, { format: 'pt' }),
      })),
      {
        name: 'model.safetensors.index.json',
        bytes: new TextEncoder().encode(JSON.stringify(index)),
      },
      ...configFiles(parts),
    ],
    config: parts.config ?? null,
    hfQuantConfig: parts.hfQuantConfig ?? null,
    expected: parts.expected,
    sources: new Map(Object.entries(modules).map(([prefix, m]) => [prefix, m.source])),
  };
}

/** Replaces bytes of tensor `name` at the given element indices (1-byte dtypes). */
export function setBytes(
  name: string,
  edits: readonly (readonly [number, number])[],
): (t: TensorSpec[]) => TensorSpec[] {
  return (tensors) =>
    tensors.map((t) => {
      if (t.name !== name) {
        return t;
      }
      const data = t.data.slice();
      for (const [i, b] of edits) {
        data[i] = b;
      }
      return { ...t, data };
    });
}

/** Replaces tensor `name` with `spec`, or drops it when `spec` is null. */
export function replaceTensor(
  name: string,
  spec: TensorSpec | null,
): (t: TensorSpec[]) => TensorSpec[] {
  return (tensors) => tensors.flatMap((t) => (t.name !== name ? [t] : spec === null ? [] : [spec]));
}

/** Applies edits in order. */
export function edits(
  ...steps: ((t: TensorSpec[]) => TensorSpec[])[]
): (t: TensorSpec[]) => TensorSpec[] {
  return (tensors) => steps.reduce((acc, step) => step(acc), tensors);
}

/** The tensor spec called `name` among a module's tensors. */
export function tensorOf(module: BuiltModule, name: string): TensorSpec {
  const t = module.tensors.find((x) => x.name === name);
  if (t === undefined) {
    throw new Error(`fixture module has no tensor ${name}`);
  }
  return t;
}
