import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClosableSource } from '../../../fixtures/node-source';
import { openNodeSource } from '../../../fixtures/node-source';
import { cleanFixtures } from '../testing/make-quant-fixtures';
import { lintFixture, lintSources } from '../testing/lint-fixture';
import type { FindingRule } from '../quant-types';

/** The rules of issue 13: none may warn or err on a healthy checkpoint. */
const NEW_RULES: ReadonlySet<FindingRule> = new Set<FindingRule>([
  'fused-scale-mismatch',
  'scale-outlier',
  'zeroed-block',
  'unexpected-tensor',
  'zero-point-format',
  'implausible-magnitude',
  'non-pow2-scale',
  'fnuz-portability',
  'scale-drift',
  'nan-value',
  'inf-value',
]);

/** ../shared/real-checkpoints beside the repository root (read-only test data, never copied in). */
const ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/real-checkpoints',
);

/** Every folder holding .safetensors files under `dir`, with those files. */
function folders(dir: string): { folder: string; files: string[] }[] {
  const out: { folder: string; files: string[] }[] = [];
  const names = readdirSync(dir);
  const files = names.filter((n) => n.endsWith('.safetensors')).map((n) => join(dir, n));
  if (files.length > 0) {
    out.push({ folder: dir, files });
  }
  for (const n of names) {
    if (statSync(join(dir, n)).isDirectory()) {
      out.push(...folders(join(dir, n)));
    }
  }
  return out;
}

const open: ClosableSource[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

describe('healthy checkpoints give no warning or error', () => {
  it('every clean generated fixture: no warning or error at all, weights streamed or not', async () => {
    const fixtures = cleanFixtures();
    // 21 when issue 13 was done (the issue says 23); more may come, none may be dropped.
    expect(fixtures.length).toBeGreaterThanOrEqual(21);
    for (const fixture of fixtures) {
      for (const weights of ['if-zero-scales', 'always'] as const) {
        const { findings } = await lintFixture(fixture, weights);
        expect(
          findings.filter((f) => f.severity !== 'info'),
          `${fixture.name} (${weights})`,
        ).toEqual([]);
      }
    }
  });

  it.skipIf(!existsSync(ROOT))(
    'the real files in ../shared/real-checkpoints: no new warning or error, file by file',
    async () => {
      let linted = 0;
      for (const { folder, files } of folders(ROOT)) {
        const sources: ClosableSource[] = [];
        for (const path of files) {
          const source = await openNodeSource(path, relative(ROOT, path));
          open.push(source);
          sources.push(source);
        }
        // Each file alone, then the folder's files as one checkpoint (shards together).
        for (const group of [...sources.map((s) => [s]), sources]) {
          for (const weights of ['if-zero-scales', 'always'] as const) {
            const { findings, headers } = await lintSources(group, weights);
            linted += headers.length;
            expect(
              findings.filter((f) => NEW_RULES.has(f.rule) && f.severity !== 'info'),
              `${relative(ROOT, folder)}: ${group.map((s) => s.name).join(', ')} (${weights})`,
            ).toEqual([]);
          }
        }
      }
      expect(linted).toBeGreaterThan(0);
    },
  );
});
