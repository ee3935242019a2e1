import type { Dtype } from '../dtype/dtype';
import type { SafetensorsHeader } from '../format/tensor-info';
import type { FileScheme, OrphanTensor, QuantModule, SchemeSource } from './quant-types';
import { SchemeTally } from './scheme-tally';

/** Dtypes that only hold quantized values: a file of them in no known layout is `unknown`, not `none`. */
const QUANTIZED_DTYPES: ReadonlySet<Dtype> = new Set<Dtype>([
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'F8_E4M3',
  'F8_E5M2',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
]);

type Verdict = Omit<FileScheme, 'file' | 'modules' | 'schemes'>;

/** The verdict over some modules (as tallied): null when there are none. */
function verdictOf(tally: SchemeTally): Verdict | null {
  const scheme = tally.mostFrequent();
  if (scheme === undefined) {
    return null;
  }
  const source: SchemeSource | null =
    scheme === 'unknown'
      ? null
      : tally.fromConfig(scheme) * 2 >= tally.count(scheme)
        ? 'config'
        : 'names';
  return { scheme, producer: tally.producerOf(scheme), source };
}

function tallyOf(modules: readonly QuantModule[]): SchemeTally {
  const tally = new SchemeTally();
  for (const m of modules) {
    tally.add(m.scheme, m.producer, m.source === 'config');
  }
  return tally;
}

/** Each file's modules, in report order: one pass, not a filter of every module per file. */
function modulesByFile(modules: readonly QuantModule[]): Map<string, QuantModule[]> {
  const out = new Map<string, QuantModule[]>();
  for (const m of modules) {
    const list = out.get(m.file);
    if (list === undefined) {
      out.set(m.file, [m]);
    } else {
      list.push(m);
    }
  }
  return out;
}

/**
 * One verdict per file from the modules whose weight it holds: the most frequent scheme (`unknown`
 * only when nothing else is there), its most frequent producer, and `config` as the source when at
 * least half of those modules were confirmed by the config. A file without modules is `unknown`
 * if it holds FP8/FP4/FP6 data or orphan scales; else, in a checkpoint with quantized modules in
 * other files (a shard of `lm_head` and norms), the checkpoint's verdict with `modules: 0`; else
 * `none`.
 */
export function fileSchemes(
  headers: readonly SafetensorsHeader[],
  modules: readonly QuantModule[],
  orphans: readonly OrphanTensor[],
): FileScheme[] {
  const whole = verdictOf(tallyOf(modules));
  const byFile = modulesByFile(modules);
  const orphanFiles = new Set(orphans.map((o) => o.tensor.file));
  return headers.map((header) => {
    const file = header.fileName;
    const own = byFile.get(file) ?? [];
    const tally = tallyOf(own);
    const schemes = tally.schemes();
    const verdict = verdictOf(tally);
    if (verdict !== null) {
      return { file, ...verdict, modules: own.length, schemes };
    }
    const quantized =
      header.tensors.some((t) => QUANTIZED_DTYPES.has(t.dtype)) || orphanFiles.has(file);
    if (quantized) {
      return { file, scheme: 'unknown', producer: null, source: null, modules: 0, schemes };
    }
    if (whole !== null) {
      return { file, ...whole, modules: 0, schemes };
    }
    return { file, scheme: 'none', producer: null, source: null, modules: 0, schemes };
  });
}
