import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { bf16Model, quantizedModel } from '../core/diff/testing/diff-fixtures';
import type { QuantFixture } from '../core/quant/testing/fixture-kit';

/** The module whose NVFP4 nibbles the export packs the other way round. */
const SWAPPED = 'model.layers.1.mlp.up_proj';

async function choose(page: Page, side: 'a' | 'b', fixture: QuantFixture): Promise<void> {
  await page.locator(`[data-testid=compare-drop-${side}-files]`).setInputFiles(
    fixture.files.map((f) => ({
      name: f.name,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(f.bytes),
    })),
  );
}

test('Compare mode: BF16 original against its NVFP4 export, worst module first', async ({
  page,
}) => {
  await page.goto('/');
  await page.locator('[data-testid=compare-open]').click();
  const mode = page.locator('[data-testid=compare-mode]');
  await expect(mode).toBeVisible();
  await choose(page, 'a', bf16Model());
  await choose(page, 'b', quantizedModel('modelopt-nvfp4', { swapNibblesOf: SWAPPED }));
  await expect(page.locator('[data-testid=compare-drop-a]')).toContainText('2 shards');
  await page.locator('[data-testid=compare-run]').click();
  await expect(page.locator('[data-testid=compare-status]')).toContainText('Compared 17 pairs', {
    timeout: 30_000,
  });

  // 2 layers x 7 modules, every cell compared; embeddings, norm and lm_head are listed only.
  const heatmap = page.locator('[data-testid=compare-heatmap]');
  await expect(heatmap.locator('button[role=gridcell]')).toHaveCount(14);
  const swappedCell = heatmap.locator('button[aria-label^="layer 1 mlp.up_proj:"]');
  const sqnr = Number(
    /(-?\d+\.\d) dB/.exec((await swappedCell.getAttribute('aria-label')) ?? '')?.[1],
  );
  expect(sqnr).toBeLessThan(5);
  const healthy = heatmap.locator('button[aria-label^="layer 0 mlp.up_proj:"]');
  const good = Number(/(-?\d+\.\d) dB/.exec((await healthy.getAttribute('aria-label')) ?? '')?.[1]);
  expect(good).toBeGreaterThan(15);
  await expect(page.locator('.compare-legend')).toContainText('dB');

  // Worst first: the swapped module heads the list; the three untouched tensors come last.
  const rows = page.locator('[data-testid=compare-row]');
  await expect(rows).toHaveCount(17);
  await expect(rows.first()).toContainText(`${SWAPPED}.weight`);
  await expect(rows.last()).toContainText('identical');
  await expect(page.locator('[data-testid=compare-findings]')).toContainText(
    'FP4 nibbles look swapped',
  );

  // The detail: both histograms and the error histogram.
  await rows.first().locator('button').click();
  const detail = page.locator('[data-testid=compare-detail]');
  await expect(detail).toContainText(`${SWAPPED}.weight`);
  await expect(detail.locator('[data-testid=compare-histograms] figure')).toHaveCount(3, {
    timeout: 30_000,
  });
  await expect(detail).toContainText('error A − B');
});

test.describe('Compare mode with a remote side', () => {
  let hub: ChildProcess | null = null;
  let fixture: { endpoint: string; repo: string; dir: string } = {
    endpoint: '',
    repo: '',
    dir: '',
  };

  test.beforeAll(async () => {
    // The Hub-like test server of the CLI's remote tests, on 127.0.0.1 (a child process).
    // Node itself with tsx's loader (not npx), so that the kill below reaches the server.
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/testing/serve-hub-fixture.ts'], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    hub = child;
    fixture = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        if (line.startsWith('{')) {
          resolve(JSON.parse(line) as typeof fixture);
        }
      });
      child.on('exit', (code) => reject(new Error(`the hub server exited with ${code}`)));
    });
  });

  test.afterAll(() => {
    hub?.kill('SIGTERM');
  });

  test('the same checkpoint on disk and on the Hub: every pair identical', async ({ page }) => {
    await page.goto('/');
    await page.locator('[data-testid=compare-open]').click();
    const files = readdirSync(fixture.dir).map((n) => join(fixture.dir, n));
    await page.locator('[data-testid=compare-drop-a-files]').setInputFiles(files);
    const b = page.locator('[data-testid=compare-drop-b]');
    await b.getByRole('textbox').fill(`${fixture.endpoint}/${fixture.repo}`);
    await b.getByRole('button', { name: 'Open remote' }).click();
    await expect(b).toContainText('tiny-nvfp4');
    await page.locator('[data-testid=compare-run]').click();
    const status = page.locator('[data-testid=compare-status]');
    await expect(status).toContainText('Compared', { timeout: 60_000 });
    const m = /Compared (\d+) pairs: (\d+) identical/.exec((await status.textContent()) ?? '');
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(10);
    expect(m?.[2]).toBe(m?.[1]);
  });
});
