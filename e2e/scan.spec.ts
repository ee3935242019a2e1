import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppPage } from './app-page';
import {
  countE4m3NanBytes,
  nanCheckpoint,
  PLANTED,
  shardedCheckpoint,
  trailingBytesFile,
} from './fixtures';

const SAMPLE_DIR = join(import.meta.dirname, '..', 'public', 'sample');

/** Every request the page makes must stay on its own origin (or be a blob:/data: URL). */
function watchRequests(app: AppPage): string[] {
  const foreign: string[] = [];
  app.page.on('request', (r) => {
    const url = r.url();
    const own = `http://127.0.0.1:${process.env.E2E_PORT ?? '4173'}/`;
    if (!url.startsWith(own) && !url.startsWith('blob:') && !url.startsWith('data:')) {
      foreign.push(url);
    }
  });
  return foreign;
}

test('a file loaded through the input shows NaN counts per tensor and per heatmap cell', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([nanCheckpoint()]);
  await app.waitForScan();
  for (const [name, indices] of Object.entries(PLANTED)) {
    await app.filterTensors(name);
    await expect(app.tensorRow(name)).toHaveAttribute('data-nan', String(indices.length));
  }
  await app.filterTensors('');
  await expect(app.heatmapCell(1, 'self_attn.q_proj')).toHaveAttribute('data-nan', '2');
  await expect(app.heatmapCell(3, 'self_attn.q_proj')).toHaveAttribute('data-nan', '1');
  await expect(app.heatmapCell(0, 'self_attn.q_proj')).toHaveAttribute('data-nan', '0');
  await expect(app.heatmapCell(2, 'mlp.down_proj')).toHaveAttribute('data-nan', '3');
  await expect(app.heatmapCell('outside', 'model.embed_tokens')).toHaveAttribute('data-nan', '1');
  await expect(page.locator('[data-testid=verdict]')).toContainText('7 NaN');
});

test('a simulated drop scans like the picker', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFiles([nanCheckpoint()]);
  await app.waitForScan();
  await app.filterTensors('model.layers.2.mlp.down_proj.weight');
  await expect(app.tensorRow('model.layers.2.mlp.down_proj.weight')).toHaveAttribute(
    'data-nan',
    '3',
  );
});

test('the sample checkpoint is one click away and its NaN scales light up', async ({ page }) => {
  const app = new AppPage(page);
  const foreign = watchRequests(app);
  await app.open();
  await app.openSample();
  await app.waitForScan();
  const shards = readdirSync(SAMPLE_DIR).filter((f) => f.endsWith('.safetensors'));
  const expected = new Map<string, number>();
  for (const shard of shards) {
    for (const [name, nan] of countE4m3NanBytes(join(SAMPLE_DIR, shard))) {
      expected.set(name, nan);
    }
  }
  const bad = [...expected].filter(([, n]) => n > 0);
  expect(bad.length).toBeGreaterThan(0);
  for (const [name, nan] of bad) {
    await app.filterTensors(name);
    await expect(app.tensorRow(name)).toHaveAttribute('data-nan', String(nan));
    const layer = /layers\.(\d+)\./.exec(name)?.[1] ?? '';
    const module = name.replace(/^model\.layers\.\d+\./, '').replace(/\.weight_scale$/, '');
    await expect(app.heatmapCell(layer, module)).toHaveAttribute('data-nan', String(nan));
  }
  const total = bad.reduce((n, [, k]) => n + k, 0);
  await expect(page.locator('[data-testid=verdict]')).toContainText(`${total} NaN bytes`);
  expect(foreign).toEqual([]);
});

test('a tensor detail shows its statistics and where the NaNs sit', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([nanCheckpoint()]);
  await app.waitForScan();
  const name = 'model.layers.1.self_attn.q_proj.weight_scale';
  await app.filterTensors(name);
  await app.tensorRow(name).click();
  const detail = page.locator('[data-testid=tensor-detail]');
  await expect(detail).toHaveAttribute('data-name', name);
  // Planted at flat 3 and 17 of an [8, 4] tensor: (0, 3) and (4, 1).
  const positions = detail.locator('[data-testid=nan-positions]');
  await expect(positions).toContainText('(0, 3)');
  await expect(positions).toContainText('(4, 1)');
  await expect(detail.locator('[data-testid=density-map]')).toBeVisible();
  await expect(page).toHaveURL(/tensor=model\.layers\.1\.self_attn\.q_proj\.weight_scale/);
});

test('a malformed file gets an error card naming the rule; the other files are scanned', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([trailingBytesFile(), nanCheckpoint(), ...shardedCheckpoint()]);
  await app.waitForScan();
  const card = app.fileErrors();
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-file', 'broken.safetensors');
  await expect(card).toContainText('MetadataIncompleteBuffer');
  await app.filterTensors('model.layers.2.mlp.down_proj.weight');
  await expect(app.tensorRow('model.layers.2.mlp.down_proj.weight')).toHaveAttribute(
    'data-nan',
    '3',
  );
  await app.filterTensors('up_proj');
  await expect(page.locator('[data-testid=tensor-row]')).toHaveCount(2);
});

test('only malformed files: the status says error', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([trailingBytesFile()]);
  await app.waitForScan('error');
  await expect(app.fileErrors()).toHaveAttribute('data-file', 'broken.safetensors');
});

test('scan workers start before the drop, are used by it, and are started again after it', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const poolSize = await page.evaluate(() =>
    Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4)),
  );
  // Warm-up: the next scan's workers exist before any file is dropped.
  await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(poolSize);
  const before = new Set(page.workers());
  await app.openSample();
  await app.waitForScan();
  // The scan ran on those workers (the store says so in its timings hook).
  const timings = await page.evaluate(
    () =>
      (globalThis as { __ckptscope?: { timings: { warmStart: boolean; workers: number } } })
        .__ckptscope?.timings,
  );
  expect(timings).toMatchObject({ warmStart: true, workers: poolSize });
  // Then they end with the scan, and a fresh spare pool comes up for the next drop.
  await expect.poll(() => page.workers().filter((w) => before.has(w)).length).toBe(0);
  await page.waitForTimeout(1500); // WARM_UP_DELAY_MS after a scan, and some slack
  await app.openSample();
  await app.waitForScan();
  const again = await page.evaluate(
    () =>
      (globalThis as { __ckptscope?: { timings: { warmStart: boolean } } }).__ckptscope?.timings,
  );
  expect(again?.warmStart).toBe(true);
});
