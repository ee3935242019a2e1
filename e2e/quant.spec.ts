import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';
import { faultFixtures } from '../core/quant/testing/fault-fixtures';
import { AppPage } from './app-page';

const BIN = join(import.meta.dirname, '..', 'bin', 'ckptscope.mjs');
const SAMPLE_DIR = join(import.meta.dirname, '..', 'public', 'sample');

interface JsonFinding {
  rule: string;
  severity: string;
  module: string | null;
  tensor: string | null;
  count: number;
}

function cliJson(path: string): {
  findings: JsonFinding[];
  files: { scheme: string; producer: string | null }[];
} {
  try {
    return JSON.parse(
      execFileSync(process.execPath, [BIN, 'scan', '--json', path], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      }),
    ) as never;
  } catch (e) {
    return JSON.parse((e as { stdout: string }).stdout) as never; // exit 1: NaN found
  }
}

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-quant-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the sample is recognised as ModelOpt NVFP4 from its config, with the CLI findings', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.openSample();
  await app.waitForScan();
  const badge = page.locator('[data-testid=scheme-badge]');
  await expect(badge).toHaveAttribute('data-scheme', 'nvfp4');
  await expect(badge).toHaveAttribute('data-producer', 'modelopt');
  await expect(badge).toHaveAttribute('data-source', 'config');
  const cli = cliJson(SAMPLE_DIR);
  expect(cli.files.map((f) => f.scheme)).toEqual(['nvfp4', 'nvfp4']);
  const rows = page.locator('[data-testid=finding-row]');
  await expect(rows).toHaveCount(cli.findings.length);
  for (const f of cli.findings) {
    await expect(
      page.locator(
        `[data-testid=finding-row][data-rule="${f.rule}"][data-tensor="${f.tensor ?? ''}"]`,
      ),
    ).toHaveAttribute('data-count', String(f.count));
  }
  // The heatmap can colour by findings: the two NaN-scale modules carry one finding each.
  await page.locator('[data-testid=heatmap-metric]').selectOption('findings');
  // Open the module of a NaN scale and compute its dequantized distribution in a worker.
  await page.locator('[data-testid=finding-row][data-rule=nan-scale] button.link').first().click();
  const detail = page.locator('[data-testid=module-detail]');
  await expect(detail).toHaveAttribute('data-scheme', 'nvfp4');
  await detail.locator('[data-testid=module-dequantize]').click();
  await expect(detail).toContainText('Dequantized weights');
});

test('NaN bytes in FP8 scales stored as U8 (ComfyUI layout) are found by role and repaired', async ({
  page,
}) => {
  const fixture = faultFixtures().find((f) => f.name === 'comfy-nan-scales');
  const file = fixture?.files.find((f) => f.name.endsWith('.safetensors'));
  if (file === undefined) {
    throw new Error('fixture comfy-nan-scales is missing');
  }
  const input = join(dir, 'model.safetensors');
  writeFileSync(input, file.bytes);
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([input]);
  await app.waitForScan();
  await expect(page.locator('[data-testid=scheme-badge]')).toHaveAttribute(
    'data-producer',
    'comfyui',
  );
  await expect(page.locator('[data-testid=verdict]')).toHaveAttribute('data-level', 'error');
  await expect(page.locator('[data-testid=finding-row][data-rule=nan-scale]')).toHaveCount(1);
  // Independent expectation: every stored byte of the scale with (b & 0x7F) == 0x7F, padding included.
  const bytes = Buffer.from(file.bytes);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const scaleName = Object.keys(header).find((k) => k.endsWith('.weight_scale')) ?? '';
  const [a, b] = header[scaleName].data_offsets;
  const nanOffsets: number[] = [];
  for (let i = 8 + n + a; i < 8 + n + b; i++) {
    if ((bytes[i] & 0x7f) === 0x7f) {
      nanOffsets.push(i);
    }
  }
  const rows = page.locator('[data-testid=patch-row]');
  await expect(rows).toHaveCount(nanOffsets.length);
  const pending = page.waitForEvent('download');
  await page.locator('[data-testid=download-repaired][data-file="model.safetensors"]').click();
  const saved = join(dir, 'repaired.safetensors');
  await (await pending).saveAs(saved);
  const repaired = readFileSync(saved);
  const diff: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== repaired[i]) {
      diff.push(i);
      expect(repaired[i]).toBe(0x7e); // a NaN scale becomes +448, whatever its sign bit
    }
  }
  expect(diff).toEqual(nanOffsets);
  await expect(page.locator('[data-testid=repair-verified]')).toHaveAttribute(
    'data-state',
    'clean',
  );
});

/** Experts of the many-findings checkpoint, and the ones whose F32 block scale holds a NaN. */
const MANY_EXPERTS = 3000;
const NAN_EXPERTS = [0, 17, 1234, 2999];

test('thousands of findings: the list is virtualized, scrolls to the last one and filters by rule', async ({
  page,
}) => {
  // DeepSeek-style names with F32 weights: every module breaks scale-shape (its weight is not
  // FP8), and the planted experts also hold a NaN scale.
  const tensors: TensorSpec[] = [];
  for (let e = 0; e < MANY_EXPERTS; e++) {
    const p = `model.layers.0.mlp.experts.${e}.down_proj`;
    const scale = new Float32Array([0.5, 0.5, 0.5, 0.5]);
    if (NAN_EXPERTS.includes(e)) {
      scale[2] = Number.NaN;
    }
    tensors.push({ name: `${p}.weight`, dtype: 'F32', shape: [4], data: new Uint8Array(16) });
    tensors.push({
      name: `${p}.weight_scale_inv`,
      dtype: 'F32',
      shape: [4],
      data: new Uint8Array(scale.buffer),
    });
  }
  const input = join(dir, 'many-findings.safetensors');
  writeFileSync(input, buildSafetensors(tensors));
  const cli = cliJson(input);
  const nanTensors = NAN_EXPERTS.map(
    (e) => `model.layers.0.mlp.experts.${e}.down_proj.weight_scale_inv`,
  ).sort();
  expect(cli.findings.filter((f) => f.rule === 'scale-shape')).toHaveLength(MANY_EXPERTS);
  expect(
    cli.findings
      .filter((f) => f.rule === 'nan-scale')
      .map((f) => f.tensor)
      .sort(),
  ).toEqual(nanTensors);

  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([input]);
  await app.waitForScan();
  const panel = page.locator('[data-testid=findings-panel]');
  await expect(panel).toContainText(`${cli.findings.length.toLocaleString('en-US')} errors`);
  // Only the rows in view are in the DOM.
  const rows = page.locator('[data-testid=finding-row]');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(100);
  // Scrolled to the bottom, the last finding is there.
  await panel.locator('.findings-wrap').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const last = cli.findings[cli.findings.length - 1];
  await expect(
    page.locator(
      `[data-testid=finding-row][aria-rowindex="${cli.findings.length + 1}"][data-rule="${last.rule}"][data-tensor="${last.tensor ?? ''}"]`,
    ),
  ).toBeVisible();
  // One rule: exactly its findings.
  await page.locator('[data-testid=findings-rule]').selectOption('nan-scale');
  await expect(rows).toHaveCount(NAN_EXPERTS.length);
  expect(
    (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-tensor')))).sort(),
  ).toEqual(nanTensors);
});
