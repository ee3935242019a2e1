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

/** Byte histograms by (file, tensor), added as scans finish; `lookup` sees every addition. */
export class KnownCodeTable {
  private readonly byKey = new Map<string, readonly number[]>();

  add(entry: KnownCodeEntry): void {
    this.byKey.set(`${entry.file}\n${entry.tensor}`, entry.counts);
  }

  readonly lookup: KnownCodes = (file, tensor) => this.byKey.get(`${file}\n${tensor}`);
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
