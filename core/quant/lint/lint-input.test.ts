import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { SchemeReport } from '../recognize-scheme';
import type { QuantModule } from '../quant-types';
import { analysedModules } from './lint-input';

/** A module that only has what the pairing reads: its id. */
function moduleWithId(id: string): QuantModule {
  return { id } as unknown as QuantModule;
}

function analysisOf(moduleId: string): ModuleAnalysis {
  return { moduleId } as unknown as ModuleAnalysis;
}

/** The pairing as first written: one map of every module by id. */
function referencePairs(report: SchemeReport, analyses: readonly ModuleAnalysis[]) {
  const byId = new Map(report.modules.map((m) => [m.id, m]));
  return analyses.flatMap((analysis) => {
    const module = byId.get(analysis.moduleId);
    return module === undefined ? [] : [{ module, analysis }];
  });
}

describe('analysedModules', () => {
  it('pairs like a map by id, whether the analyses come in module order, with gaps, shuffled or unknown', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 40 }),
        fc.boolean(),
        (count, picks, inOrder) => {
          const modules = Array.from({ length: count }, (_, i) => moduleWithId(`f::m${i}`));
          const report = { modules } as unknown as SchemeReport;
          // Ids past `count` name no module; in order, the picks are a sorted subset with gaps.
          const ids = inOrder ? [...new Set(picks)].sort((a, b) => a - b) : picks;
          const analyses = ids.map((i) => analysisOf(`f::m${i}`));
          const pairs = analysedModules(report, analyses);
          const expected = referencePairs(report, analyses);
          expect(pairs).toHaveLength(expected.length);
          pairs.forEach((p, i) => {
            expect(p.module).toBe(expected[i].module);
            expect(p.analysis).toBe(expected[i].analysis);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
