import type { SafetensorsHeader } from '../format/tensor-info';
import type { SchemeReport } from '../quant/recognize-scheme';
import type { QuantModule, QuantScheme, TensorRef } from '../quant/quant-types';
import type { SourceMap } from '../quant/stream/read-exact';

/** One checkpoint of a comparison, opened and recognised. */
export interface DiffInput {
  /** How the user named it (a path or a folder), for the report. */
  readonly path: string;
  readonly headers: readonly SafetensorsHeader[];
  readonly report: SchemeReport;
  readonly sources: SourceMap;
}

/** A side's tensors sorted for pairing: modules by prefix, and every tensor no module claims. */
export interface SideIndex {
  readonly modules: ReadonlyMap<string, QuantModule>;
  readonly plain: ReadonlyMap<string, TensorRef>;
}

export function indexSide(input: DiffInput): SideIndex {
  const modules = new Map<string, QuantModule>();
  const claimed = new Set<string>();
  for (const m of input.report.modules) {
    if (!modules.has(m.prefix)) {
      modules.set(m.prefix, m);
    }
    for (const ref of Object.values(m.tensors)) {
      if (ref !== undefined) {
        claimed.add(ref.info.name);
      }
    }
  }
  const plain = new Map<string, TensorRef>();
  for (const header of input.headers) {
    for (const info of header.tensors) {
      if (!claimed.has(info.name) && !plain.has(info.name)) {
        plain.set(info.name, { file: header.fileName, info });
      }
    }
  }
  return { modules, plain };
}

/** The checkpoint's scheme: its modules' most frequent, else `unknown` when a file says so, else `none`. */
export function sideScheme(input: DiffInput): QuantScheme {
  const counts = new Map<QuantScheme, number>();
  for (const m of input.report.modules) {
    counts.set(m.scheme, (counts.get(m.scheme) ?? 0) + 1);
  }
  let best: QuantScheme | null = null;
  let bestCount = 0;
  for (const [scheme, n] of counts) {
    if (n > bestCount) {
      best = scheme;
      bestCount = n;
    }
  }
  if (best !== null) {
    return best;
  }
  return input.report.files.some((f) => f.scheme === 'unknown') ? 'unknown' : 'none';
}
