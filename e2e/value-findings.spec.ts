import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hfConfig } from '../core/quant/testing/fixture-configs';
import { edits, setBytes } from '../core/quant/testing/fixture-kit';
import { rawFixture } from '../core/quant/testing/lint-fixture';
import { randomMatrix } from '../core/quant/testing/modules-float';
import { autoAwq, plainBf16 } from '../core/quant/testing/modules-int';
import { AppPage } from './app-page';

const BIN = join(import.meta.dirname, '..', 'bin', 'ckptscope.mjs');
const NAN_WEIGHT = 'model.layers.0.self_attn.o_proj.weight';
/** A 1-D BF16 norm with a NaN at index 3: its position is an index, not (row, col). */
const NAN_NORM = 'model.norm.weight';

interface JsonFinding {
  rule: string;
  severity: string;
  tensor: string | null;
  count: number;
}

/** `scan --json` of a path (exit 1 expected: the NaN). */
function cliFindings(path: string): JsonFinding[] {
  try {
    execFileSync(process.execPath, [BIN, 'scan', '--json', path], { encoding: 'utf8' });
  } catch (e) {
    const x = e as { status: number; stdout: string };
    expect(x.status).toBe(1);
    return (JSON.parse(x.stdout) as { findings: JsonFinding[] }).findings;
  }
  throw new Error('scan exited 0 on a NaN weight');
}

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-values-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a NaN in a BF16 weight is a nan-value finding in the app, as in the CLI, and in both exports', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // An AutoAWQ layer beside a BF16 o_proj whose element 5 is NaN (0x7FC0), as in the AutoAWQ
  // Qwen2 report: the NaN is in a weight, not a scale, so only nan-value names it.
  const fixture = rawFixture(
    [
      ...autoAwq('model.layers.0.mlp.down_proj', randomMatrix(32, 64, 7), 32).tensors,
      plainBf16(NAN_WEIGHT, randomMatrix(32, 64, 8)),
      { ...plainBf16(NAN_NORM, randomMatrix(1, 64, 9)), shape: [64] },
    ],
    {
      config: hfConfig({
        quant_method: 'awq',
        bits: 4,
        group_size: 32,
        zero_point: true,
        version: 'gemm',
      }),
      edit: edits(
        setBytes(NAN_WEIGHT, [
          [10, 0xc0],
          [11, 0x7f],
        ]),
        setBytes(NAN_NORM, [
          [6, 0xc0],
          [7, 0x7f],
        ]),
      ),
    },
  );
  const paths = fixture.files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.bytes);
    return path;
  });
  const cli = cliFindings(dir);
  expect(cli.filter((f) => f.rule === 'nan-value').map((f) => [f.tensor, f.count])).toEqual([
    [NAN_WEIGHT, 1],
    [NAN_NORM, 1],
  ]);

  const app = new AppPage(page);
  await app.open();
  await app.loadFiles(paths);
  await app.waitForScan();
  await expect(page.locator('[data-testid=verdict]')).toHaveAttribute('data-level', 'error');
  // The findings panel lists exactly the CLI's findings, nan-value among them.
  const nanRow = page.locator(
    `[data-testid=finding-row][data-rule=nan-value][data-tensor="${NAN_WEIGHT}"]`,
  );
  await expect(nanRow).toHaveAttribute('data-count', '1');
  await expect(page.locator('[data-testid=finding-row]')).toHaveCount(cli.length);
  for (const f of cli) {
    await expect(
      page.locator(
        `[data-testid=finding-row][data-rule="${f.rule}"][data-tensor="${f.tensor ?? ''}"]`,
      ),
    ).toHaveAttribute('data-count', String(f.count));
  }
  // Export JSON: the same findings as the CLI's --json.
  const pending = page.waitForEvent('download');
  await page.locator('[data-testid=export-json]').click();
  const saved = join(dir, 'export.json');
  await (await pending).saveAs(saved);
  const doc = JSON.parse(readFileSync(saved, 'utf8')) as { findings: JsonFinding[] };
  expect(doc.findings.map((f) => [f.rule, f.severity, f.tensor, f.count])).toEqual(
    cli.map((f) => [f.rule, f.severity, f.tensor, f.count]),
  );
  // Markdown: the nan-value finding is in the findings table.
  await page.locator('[data-testid=copy-markdown]').click();
  await expect(page.locator('.export-note')).toContainText('Copied');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  const lines = markdown
    .split('\n')
    .filter((l) => l.includes('nan-value') && l.includes(NAN_WEIGHT));
  // Its row in the findings table and its evidence line.
  expect(lines.some((l) => l.startsWith('|'))).toBe(true);
  expect(lines.some((l) => l.includes('error ` nan-value `'))).toBe(true);
  // Positions: the 2-D weight's NaN at (row, col) (0, 5), the 1-D norm's at index 3, in the
  // Markdown and in the tensor detail alike (as the CLI text prints them).
  const evidence = (name: string): string =>
    markdown.split('\n').find((l) => l.startsWith(`- \` ${name} \``) && l.includes('NaN')) ?? '';
  expect(evidence(NAN_WEIGHT)).toMatch(/first at \\\(row, col\\\) \\\(0, 5\\\)$/);
  expect(evidence(NAN_NORM)).toMatch(/first at index 3$/);
  await app.filterTensors(NAN_NORM);
  await app.tensorRow(NAN_NORM).click();
  const positions = page.locator('[data-testid=tensor-detail] [data-testid=nan-positions]');
  await expect(positions.locator('li')).toHaveText(['3']);
  await expect(page.locator('[data-testid=tensor-detail]')).toContainText(
    'First NaN positions index',
  );
});
