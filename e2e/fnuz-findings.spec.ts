import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { modelOptConfig } from '../core/quant/testing/fixture-configs';
import { rawFixture } from '../core/quant/testing/lint-fixture';
import { fp8Module, randomMatrix } from '../core/quant/testing/modules-float';
import { SMALL_TENSOR_BYTES } from '../core/scan/scan-order';
import { AppPage } from './app-page';

const BIN = join(import.meta.dirname, '..', 'bin', 'ckptscope.mjs');
const MODULE = 'model.layers.0.mlp.down_proj';
/** 1024 × 1040 F8_E4M3 bytes: past SMALL_TENSOR_BYTES, scanned after the analysis has run. */
const ROWS = 1024;
const COLS = 1040;

interface JsonFinding {
  rule: string;
  tensor: string | null;
  count: number;
}

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-fnuz-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('fnuz-portability of a large FP8 weight: the app counts what the CLI counts', async ({
  page,
}) => {
  // Every finite E4M3 byte of either sign, -0 (0x80) and 256..448 among them.
  const bytes = new Uint8Array(ROWS * COLS);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = ((i & 1) << 7) | ((i * 7) % 0x7f);
  }
  expect(bytes.length).toBeGreaterThan(SMALL_TENSOR_BYTES);
  let expected = 0;
  for (const b of bytes) {
    expected += b === 0x80 || ((b & 0x7f) >= 0x78 && (b & 0x7f) <= 0x7e) ? 1 : 0;
  }
  const tensors = fp8Module(MODULE, randomMatrix(32, 64, 77), 'modelopt-tensor').tensors.map((t) =>
    t.name === `${MODULE}.weight` ? { ...t, shape: [ROWS, COLS], data: bytes } : t,
  );
  const paths = rawFixture(tensors, { hfQuantConfig: modelOptConfig('FP8') }).files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.bytes);
    return path;
  });
  const stdout = execFileSync(process.execPath, [BIN, 'scan', '--json', '--no-progress', dir], {
    encoding: 'utf8',
  });
  const cli = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.filter(
    (f) => f.rule === 'fnuz-portability',
  );
  expect(cli.map((f) => [f.tensor, f.count])).toEqual([[`${MODULE}.weight`, expected]]);

  const app = new AppPage(page);
  await app.open();
  await app.loadFiles(paths);
  await app.waitForScan();
  const row = page.locator('[data-testid=finding-row][data-rule=fnuz-portability]');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-tensor', `${MODULE}.weight`);
  await expect(row).toHaveAttribute('data-count', String(expected));
});
