import type { TensorSpec } from '../../format/build-safetensors';
import { openCheckpoint } from '../../format/open-checkpoint';
import type { ByteSource } from '../../io/byte-source';
import { scanTensors } from '../../scan/scan-tensor';
import type { TensorStats } from '../../scan/tensor-stats';
import { analyzeModule } from '../analyze/analyze-module';
import type { AnalyzeOptions, ModuleAnalysis } from '../analyze/analyze-module';
import { lintCheckpoint } from '../lint/lint-checkpoint';
import type { StatsByFile } from '../lint/lint-checkpoint';
import type { Finding } from '../quant-types';
import { recognizeScheme } from '../recognize-scheme';
import { sourceMap } from '../stream/read-exact';
import type { FixtureParts, QuantFixture } from './fixture-kit';
import { singleFile } from './fixture-kit';
import type { OpenedFixture } from './open-fixture';
import { openFixture } from './open-fixture';

/** What the whole pipeline made of a fixture: the opened checkpoint, analyses, scan and findings. */
export interface LintedFixture extends OpenedFixture {
  readonly analyses: readonly ModuleAnalysis[];
  readonly stats: StatsByFile;
  readonly findings: readonly Finding[];
}

/**
 * Runs a fixture through what the CLI does: recognise, analyse every module (`weights` as the CLI:
 * `if-zero-scales`, unless asked), scan every tensor (with histograms), lint with config and headers.
 */
export async function lintFixture(
  fixture: QuantFixture,
  weights: AnalyzeOptions['weights'] = 'if-zero-scales',
): Promise<LintedFixture> {
  return lintOpened(await openFixture(fixture), weights);
}

/** The same for files given as sources (real checkpoints): a folder's files, opened together. */
export async function lintSources(
  sources: readonly ByteSource[],
  weights: AnalyzeOptions['weights'] = 'if-zero-scales',
): Promise<LintedFixture> {
  const checkpoint = await openCheckpoint(sources);
  const headers = checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header]));
  const report = recognizeScheme(headers, checkpoint.config, checkpoint.hfQuantConfig);
  return lintOpened({ checkpoint, headers, sources: sourceMap(sources), report }, weights);
}

async function lintOpened(
  opened: OpenedFixture,
  weights: AnalyzeOptions['weights'],
): Promise<LintedFixture> {
  const analyses: ModuleAnalysis[] = [];
  for (const m of opened.report.modules) {
    analyses.push(await analyzeModule(opened.sources, m, { weights, chunkBytes: 96 }));
  }
  const stats = new Map<string, ReadonlyMap<string, TensorStats>>();
  for (const header of opened.headers) {
    const source = opened.sources.get(header.fileName);
    if (source !== undefined) {
      const scanned = await scanTensors(source, header.tensors);
      stats.set(header.fileName, new Map(scanned.map((s) => [s.name, s])));
    }
  }
  const findings = lintCheckpoint(opened.report, analyses, stats, {
    config: opened.checkpoint.config,
    headers: opened.headers,
  });
  return { ...opened, analyses, stats, findings };
}

/** A one-file fixture from tensors and configs, with no expectations (rule tests assert their own). */
export function rawFixture(
  tensors: readonly TensorSpec[],
  parts: Omit<FixtureParts, 'expected' | 'modules' | 'extra'> = {},
): QuantFixture {
  return singleFile('rule-test', {
    ...parts,
    extra: tensors,
    expected: { scheme: 'unknown', producer: null, source: null, findings: [] },
  });
}

/** The findings of one rule, as [severity, module, count] (what rule tests compare). */
export function ruleFindings(
  findings: readonly Finding[],
  rule: Finding['rule'],
): [Finding['severity'], string | null, number][] {
  return findings.filter((f) => f.rule === rule).map((f) => [f.severity, f.module, f.count]);
}
