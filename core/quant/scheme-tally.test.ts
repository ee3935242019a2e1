import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import type { SafetensorsHeader } from '../format/tensor-info';
import type { Candidate } from './classify/candidate';
import { fileSchemes } from './file-schemes';
import type {
  FileScheme,
  ModuleScheme,
  OrphanTensor,
  QuantModule,
  QuantProducer,
  SchemeSource,
} from './quant-types';
import { contextScheme, mostFrequent } from './scheme-context';
import { mostCounted, SCHEME_ORDER } from './scheme-tally';
import { info } from './testing/tensor-info';

/** The most frequent value as first written (sort every count): the reference. */
function referenceMostFrequent<T>(values: readonly T[], order: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].sort(
    (a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]),
  )[0]?.[0];
}

const QUANTIZED_DTYPES = new Set<Dtype>(['F4', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0']);

/** The file verdicts as first written (filters per file and per scheme): the reference. */
function referenceVerdict(
  own: readonly QuantModule[],
): Omit<FileScheme, 'file' | 'modules' | 'schemes'> | null {
  const known = own.filter((m) => m.scheme !== 'unknown');
  const pool = known.length > 0 ? known : own;
  const scheme = referenceMostFrequent(
    pool.map((m) => m.scheme),
    SCHEME_ORDER,
  );
  if (scheme === undefined) {
    return null;
  }
  const mine = pool.filter((m) => m.scheme === scheme);
  const producers = mine.flatMap((m) => (m.producer === null ? [] : [m.producer]));
  const fromConfig = mine.filter((m) => m.source === 'config').length;
  const source: SchemeSource | null =
    scheme === 'unknown' ? null : fromConfig * 2 >= mine.length ? 'config' : 'names';
  return { scheme, producer: referenceMostFrequent(producers, producers) ?? null, source };
}

function referenceFileSchemes(
  headers: readonly SafetensorsHeader[],
  modules: readonly QuantModule[],
  orphans: readonly OrphanTensor[],
): FileScheme[] {
  const whole = referenceVerdict(modules);
  return headers.map((header) => {
    const file = header.fileName;
    const own = modules.filter((m) => m.file === file);
    const schemes = [...new Set(own.map((m) => m.scheme))].sort(
      (a, b) =>
        own.filter((m) => m.scheme === b).length - own.filter((m) => m.scheme === a).length ||
        SCHEME_ORDER.indexOf(a) - SCHEME_ORDER.indexOf(b),
    );
    const verdict = referenceVerdict(own);
    if (verdict !== null) {
      return { file, ...verdict, modules: own.length, schemes };
    }
    const quantized =
      header.tensors.some((t) => QUANTIZED_DTYPES.has(t.dtype)) ||
      orphans.some((o) => o.tensor.file === file);
    if (quantized) {
      return { file, scheme: 'unknown', producer: null, source: null, modules: 0, schemes };
    }
    if (whole !== null) {
      return { file, ...whole, modules: 0, schemes };
    }
    return { file, scheme: 'none', producer: null, source: null, modules: 0, schemes };
  });
}

/** A few schemes and producers, so that ties are frequent. */
const scheme = fc.constantFrom<ModuleScheme>('nvfp4', 'mxfp4', 'fp8-block', 'awq', 'unknown');
const producer = fc.constantFrom<QuantProducer | null>(null, 'modelopt', 'comfyui', 'deepseek');
const FILES = ['a.safetensors', 'b.safetensors', 'c.safetensors'];

function moduleOf(
  file: string,
  s: ModuleScheme,
  p: QuantProducer | null,
  config: boolean,
): QuantModule {
  const weight = { file, info: info('m.weight', 'U8', [1]) };
  return {
    id: `${file}::m`,
    file,
    prefix: 'm',
    key: { layer: null, module: 'm', expert: null, param: 'weight' },
    scheme: s,
    producer: p,
    source: config ? 'config' : 'names',
    tensors: { weight },
    scaleEncoding: 'e4m3',
    layout: null,
    missing: [],
    shapeProblem: null,
  };
}

function headerOf(file: string, dtype: Dtype): SafetensorsHeader {
  const tensors = [info('t', dtype, [1])];
  return {
    fileName: file,
    fileSize: 0,
    headerLength: 0,
    dataStart: 8,
    metadata: null,
    tensors,
    byName: new Map(tensors.map((t) => [t.name, t])),
  };
}

describe('mostCounted', () => {
  it('picks what the sort of every count picked, for any values and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }),
        (values, order) => {
          expect(mostFrequent(values, order)).toBe(referenceMostFrequent(values, order));
          expect(mostFrequent(values, values)).toBe(referenceMostFrequent(values, values));
        },
      ),
      { numRuns: 500 },
    );
    expect(mostCounted(new Map<string, number>(), [])).toBeUndefined();
  });
});

describe('fileSchemes and contextScheme from one tally', () => {
  it('give the verdicts of the filter-per-file reference, for any modules', () => {
    const mod = fc
      .tuple(fc.constantFrom(...FILES), scheme, producer, fc.boolean())
      .map(([f, s, p, c]) => moduleOf(f, s, p, c));
    const header = fc
      .tuple(fc.constantFrom(...FILES), fc.constantFrom<Dtype>('BF16', 'F8_E4M3'))
      .map(([f, d]) => headerOf(f, d));
    fc.assert(
      fc.property(
        fc.array(header, { minLength: 1, maxLength: 4 }),
        fc.array(mod, { maxLength: 40 }),
        fc.subarray(FILES),
        (headers, modules, orphanFiles) => {
          const orphans = orphanFiles.map((file) => ({
            tensor: { file, info: info('o.weight_scale', 'F32', []) },
            prefix: 'o',
          }));
          expect(fileSchemes(headers, modules, orphans)).toEqual(
            referenceFileSchemes(headers, modules, orphans),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the checkpoint scheme of the reference, for any candidates', () => {
    const candidate = fc
      .tuple(fc.option(scheme, { nil: null }), producer)
      .map(([s, p]): Candidate => ({
        scheme: s,
        producer: p,
        recipe: { decoder: 'none' },
        roles: {},
        scaleEncoding: 'float',
        required: [],
        lone: null,
      }));
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 40 }), (candidates) => {
        const known = candidates.filter(
          (c): c is Candidate & { scheme: ModuleScheme } =>
            c.scheme !== null && c.scheme !== 'unknown',
        );
        const s = referenceMostFrequent(
          known.map((c) => c.scheme),
          SCHEME_ORDER,
        );
        const producers = known
          .filter((c) => c.scheme === s && c.producer !== null)
          .map((c) => c.producer);
        const expected =
          s === undefined
            ? null
            : { scheme: s, producer: referenceMostFrequent(producers, producers) ?? null };
        expect(contextScheme({ kind: 'absent' }, candidates)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
