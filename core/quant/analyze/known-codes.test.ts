import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../io/byte-source';
import { scanTensors } from '../../scan/scan-tensor';
import { allQuantFixtures } from '../testing/make-quant-fixtures';
import { openFixture } from '../testing/open-fixture';
import type { SourceMap } from '../stream/read-exact';
import { analyzeModule } from './analyze-module';
import { knownCodeEntry, knownCodesOf, moduleCodeEntries } from './known-codes';
import type { KnownCodeEntry } from './known-codes';

/** The same sources, noting every byte range read (file, offset, length). */
function recording(sources: SourceMap): {
  sources: SourceMap;
  reads: { file: string; offset: number; length: number }[];
} {
  const reads: { file: string; offset: number; length: number }[] = [];
  const wrapped = new Map<string, ByteSource>();
  for (const [name, s] of sources) {
    wrapped.set(name, {
      name: s.name,
      size: s.size,
      read: (offset, length) => {
        reads.push({ file: name, offset, length });
        return s.read(offset, length);
      },
    });
  }
  return { sources: wrapped, reads };
}

describe('analyzeModule with the scan’s byte histograms (knownCodes)', () => {
  it('gives exactly the analysis of reading the scales, for every fixture and module', async () => {
    let skipped = 0;
    for (const fixture of allQuantFixtures()) {
      const { headers, sources, report } = await openFixture(fixture);
      // Independent of the analysis: the scan's own 256-code histograms of every 8-bit tensor.
      const entries: KnownCodeEntry[] = [];
      for (const header of headers) {
        const source = sources.get(header.fileName);
        if (source === undefined) {
          throw new Error(`no source for ${header.fileName}`);
        }
        const stats = await scanTensors(source, header.tensors);
        stats.forEach((st) => {
          const entry = knownCodeEntry(header.fileName, st);
          expect(entry === null).toBe(st.histogram?.kind !== 'codes' || st.histogram.bits !== 8);
          if (entry !== null) {
            entries.push(entry);
          }
        });
      }
      const lookup = knownCodesOf(entries);
      for (const module of report.modules) {
        const plain = await analyzeModule(sources, module, { weights: 'never' });
        const rec = recording(sources);
        const known = await analyzeModule(rec.sources, module, {
          weights: 'never',
          knownCodes: lookup,
        });
        // What a CLI thread is sent for the module: exactly its own tensors' histograms.
        const own = moduleCodeEntries(module, lookup);
        for (const e of own) {
          expect(Object.values(module.tensors).some((t) => t?.info.name === e.tensor)).toBe(true);
        }
        const viaThread = await analyzeModule(sources, module, {
          weights: 'never',
          knownCodes: knownCodesOf(own),
        });
        expect(viaThread).toEqual(plain);
        expect(known, `${fixture.name} ${module.id}`).toEqual(plain);
        const scale = module.tensors.scale;
        if (scale !== undefined && lookup(scale.file, scale.info.name) !== undefined) {
          const { offset, nbytes } = scale.info;
          const touched = rec.reads.some(
            (r) =>
              r.file === scale.file && r.offset < offset + nbytes && offset < r.offset + r.length,
          );
          if (!touched) {
            skipped++;
          }
        }
      }
    }
    // Most fixtures' block scales are 1-byte, one slice, unswizzled: those are not read again.
    expect(skipped).toBeGreaterThan(10);
  });
});
