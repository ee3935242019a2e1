import type { TensorStats } from '../../scan/tensor-stats';
import type { QuantModule } from '../quant-types';
import type { KnownCodes } from './summarize-scale';

/** A 1-byte tensor's byte histogram from a scan, so the analysis need not read the tensor again. */
export interface KnownCodeEntry {
  readonly file: string;
  readonly tensor: string;
  readonly counts: readonly number[];
}

/** The entry for a scanned tensor when its stats carry a 256-code histogram, else null. */
export function knownCodeEntry(file: string, stats: TensorStats): KnownCodeEntry | null {
  const h = stats.histogram;
  return h?.kind === 'codes' && h.bits === 8
    ? { file, tensor: stats.name, counts: h.counts }
    : null;
}

/**
 * Byte histograms by (file, tensor), added as scans finish; `lookup` sees every addition. Keyed
 * by file, then tensor name: no key string is built per lookup (a joined key was a long string
 * made, flattened and hashed for each of 100,000 expert scales).
 */
export class KnownCodeTable {
  private readonly byFile = new Map<string, Map<string, readonly number[]>>();

  add(entry: KnownCodeEntry): void {
    let byTensor = this.byFile.get(entry.file);
    if (byTensor === undefined) {
      byTensor = new Map();
      this.byFile.set(entry.file, byTensor);
    }
    byTensor.set(entry.tensor, entry.counts);
  }

  readonly lookup: KnownCodes = (file, tensor) => this.byFile.get(file)?.get(tensor);
}

/** The lookup `analyzeModule` takes (`AnalyzeOptions.knownCodes`), over some entries. */
export function knownCodesOf(entries: Iterable<KnownCodeEntry>): KnownCodes {
  const table = new KnownCodeTable();
  for (const e of entries) {
    table.add(e);
  }
  return table.lookup;
}

/** The entries `lookup` holds for the module's own tensors (what a thread running it needs). */
export function moduleCodeEntries(module: QuantModule, lookup: KnownCodes): KnownCodeEntry[] {
  const entries: KnownCodeEntry[] = [];
  for (const ref of Object.values(module.tensors)) {
    const counts = ref === undefined ? undefined : lookup(ref.file, ref.info.name);
    if (ref !== undefined && counts !== undefined) {
      entries.push({ file: ref.file, tensor: ref.info.name, counts: Array.from(counts) });
    }
  }
  return entries;
}
