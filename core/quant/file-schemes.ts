import type { Dtype } from '../dtype/dtype';
import type { SafetensorsHeader } from '../format/tensor-info';
import type {
  FileScheme,
  ModuleScheme,
  OrphanTensor,
  QuantModule,
  SchemeSource,
} from './quant-types';
import { QUANT_SCHEMES } from './quant-types';
import { mostFrequent } from './scheme-context';

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

const SCHEME_ORDER = QUANT_SCHEMES.filter((s): s is ModuleScheme => s !== 'none');

/** The verdict over some modules: null when there are none. */
function verdictOf(
  own: readonly QuantModule[],
): Omit<FileScheme, 'file' | 'modules' | 'schemes'> | null {
  const known = own.filter((m) => m.scheme !== 'unknown');
  const pool = known.length > 0 ? known : own;
  const scheme = mostFrequent(
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
  return { scheme, producer: mostFrequent(producers, producers) ?? null, source };
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
  const whole = verdictOf(modules);
  return headers.map((header) => {
    const file = header.fileName;
    const own = modules.filter((m) => m.file === file);
    const schemes = [...new Set(own.map((m) => m.scheme))].sort(
      (a, b) =>
        own.filter((m) => m.scheme === b).length - own.filter((m) => m.scheme === a).length ||
        SCHEME_ORDER.indexOf(a) - SCHEME_ORDER.indexOf(b),
    );
    const verdict = verdictOf(own);
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
