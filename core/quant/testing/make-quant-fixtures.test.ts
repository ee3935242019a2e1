import { describe, expect, it } from 'vitest';
import { analyzeModule } from '../analyze/analyze-module';
import { refineLayout } from '../analyze/refine-layout';
import { decodeBlocker } from '../decode/decode-weights';
import { dequantizeElements } from '../dequantize';
import { lintCheckpoint } from '../lint/lint-checkpoint';
import { product } from '../shape-util';
import type { QuantLayout } from '../quant-layout';
import { allQuantFixtures, cleanFixtures } from './make-quant-fixtures';
import { openFixture } from './open-fixture';

/** Mean |dequantized - source| / mean |source| that a correct decode stays under, per format. */
function tolerance(layout: QuantLayout): number {
  switch (layout.kind) {
    case 'fp4':
      return 0.25;
    case 'fp8':
      return 0.08;
    case 'int4':
    case 'nf4':
      return 0.2;
  }
}

describe('generated quantization fixtures', () => {
  for (const fixture of allQuantFixtures()) {
    it(`${fixture.name}: recognised and linted as planted`, async () => {
      const { checkpoint, report, sources } = await openFixture(fixture);
      expect(checkpoint.files.every((f) => f.error === null)).toBe(true);
      expect(checkpoint.indexErrors).toEqual([]);
      for (const file of report.files) {
        expect({
          file: file.file,
          scheme: file.scheme,
          producer: file.producer,
          source: file.source,
        }).toEqual({
          file: file.file,
          scheme: fixture.expected.scheme,
          producer: fixture.expected.producer,
          source: fixture.expected.source,
        });
      }
      const analyses = [];
      for (const m of report.modules) {
        analyses.push(await analyzeModule(sources, m, { weights: 'always', chunkBytes: 100 }));
      }
      // fnuz-portability is a note on every healthy FP8 export (its amax maps to 448 > 240):
      // fnuz-portability.test.ts checks it against the fixtures' bytes.
      const findings = lintCheckpoint(report, analyses)
        .filter((f) => f.rule !== 'fnuz-portability')
        .map((f) => ({
          rule: f.rule,
          module: f.module,
          count: f.count,
        }));
      const order = (
        a: { rule: string; module: string | null },
        b: { rule: string; module: string | null },
      ): number => a.rule.localeCompare(b.rule) || (a.module ?? '').localeCompare(b.module ?? '');
      expect(findings.sort(order)).toEqual([...fixture.expected.findings].sort(order));
    });
  }

  for (const fixture of cleanFixtures()) {
    it(`${fixture.name}: every module dequantizes back close to its source weights`, async () => {
      const { report, sources } = await openFixture(fixture);
      let checked = 0;
      for (const recognised of report.modules) {
        const m = await refineLayout(sources, recognised);
        const source = fixture.sources.get(m.prefix);
        if (source === undefined || m.layout === null) {
          continue;
        }
        expect(decodeBlocker(m)).toBeNull();
        expect(product(m.layout.elementShape)).toBe(source.length);
        const values = await dequantizeElements(
          sources,
          m,
          { start: 0, count: source.length },
          { chunkBytes: 64 },
        );
        let err = 0;
        let mag = 0;
        for (let i = 0; i < source.length; i++) {
          err += Math.abs(values[i] - source[i]);
          mag += Math.abs(source[i]);
        }
        expect(err / mag, `${m.prefix} (${m.layout.kind})`).toBeLessThan(tolerance(m.layout));
        checked++;
      }
      expect(checked).toBe(fixture.sources.size);
    });
  }
});
