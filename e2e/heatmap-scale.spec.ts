import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { AppPage } from './app-page';
import {
  DENSE_NANS,
  denseModel,
  INVALID_SHARDS,
  manyShards,
  MOE_EXPERTS,
  MOE_LAYERS,
  MOE_NANS,
  MOE_PROJECTIONS,
  moeCheckpoint,
  TINY_SHARDS,
} from './scale-fixtures';
import { checkpointMissingShard } from './truth-fixtures';

test.use({ viewport: { width: 1440, height: 1000 } });

interface BoxCheck {
  readonly innerScroll: boolean;
  readonly nanCells: number;
  readonly outside: string[];
}

/** Whether the heatmap box scrolls, and which NaN cells lie outside its visible rectangle. */
async function checkHeatmapBox(page: Page): Promise<BoxCheck> {
  return page.locator('[data-testid=heatmap-box]').evaluate((box) => {
    const frame = box.getBoundingClientRect();
    const outside: string[] = [];
    const cells = box.querySelectorAll<HTMLElement>('[data-testid=heatmap-cell]');
    let nanCells = 0;
    for (const cell of cells) {
      if (Number(cell.dataset.nan) === 0) {
        continue;
      }
      nanCells += 1;
      const r = cell.getBoundingClientRect();
      const inside =
        r.width > 0 &&
        r.height > 0 &&
        r.left >= frame.left &&
        r.right <= frame.right &&
        r.top >= frame.top &&
        r.bottom <= frame.bottom;
      if (!inside) {
        outside.push(`${cell.dataset.layer}/${cell.dataset.module}/${cell.dataset.expert ?? ''}`);
      }
    }
    return {
      innerScroll: box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1,
      nanCells,
      outside,
    };
  });
}

test('94 layers fit the heatmap at 1440×1000, with an instant hover card for mouse and keyboard', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([denseModel(94)]);
  await app.waitForScan();
  await expect(page.locator('.hm-row-labels > div')).toHaveCount(94);
  const check = await checkHeatmapBox(page);
  expect(check).toEqual({ innerScroll: false, nanCells: DENSE_NANS.length, outside: [] });
  // The legend says what red means.
  await expect(page.locator('[data-testid=legend-nan]')).toContainText('whatever the count');

  const [layer, module] = DENSE_NANS[2];
  await app.heatmapCell(layer, module).hover();
  const card = page.locator('[data-testid=heatmap-card]');
  await expect(card).toHaveAttribute('data-layer', String(layer));
  await expect(card).toHaveAttribute('data-module', module);
  await expect(card).toContainText(`layer ${layer}`);
  await expect(card).toContainText(`model.layers.${layer}.${module}.weight`);
  await expect(card.locator('dd').first()).toHaveText('1');

  // Keyboard: the focused cell gets the same card.
  await page.mouse.move(0, 0);
  await expect(card).toHaveCount(0);
  await page.locator('.hm-body').focus();
  await page.keyboard.press('ArrowRight');
  await expect(card).toHaveAttribute('data-layer', '0');
  await expect(card).toHaveAttribute('data-module', 'self_attn.q_proj');
  await page.keyboard.press('ArrowDown');
  await expect(card).toHaveAttribute('data-layer', '1');
});

test('a 48 × 64 NVFP4 MoE in 4 shards: every NaN in view, the drill-down shows all experts of gate, up and down', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles(moeCheckpoint());
  await app.waitForScan();
  const main = await checkHeatmapBox(page);
  expect(main.innerScroll).toBe(false);
  expect(main.outside).toEqual([]);
  expect(main.nanCells).toBe(new Set(MOE_NANS.map(([l, , p]) => `${l}${p}`)).size);

  await app.heatmapCell(47, 'mlp.experts.down_proj').click();
  await expect(page.locator('[data-testid=heatmap-column-group]')).toHaveText([...MOE_PROJECTIONS]);
  const cells = page.locator('[data-testid=heatmap-cell][data-expert]');
  await expect(cells).toHaveCount(MOE_LAYERS * MOE_EXPERTS * MOE_PROJECTIONS.length);
  for (const [layer, expert, projection] of MOE_NANS) {
    const cell = page.locator(
      `[data-testid=heatmap-cell][data-layer="${layer}"][data-expert="${expert}"][data-module="mlp.experts.${projection}"]`,
    );
    await expect(cell).not.toHaveAttribute('data-nan', '0');
  }
  const shot = test.info().outputPath('moe-drill-down.png');
  await page.locator('[data-testid=heatmap-box]').screenshot({ path: shot });
  await test.info().attach('moe-drill-down.png', { path: shot, contentType: 'image/png' });
  const drill = await checkHeatmapBox(page);
  expect(drill.innerScroll).toBe(false);
  expect(drill.outside).toEqual([]);
  expect(drill.nanCells).toBe(MOE_NANS.length);

  // Back leaves the drill-down inside the app.
  await page.goBack();
  await expect(page.locator('[data-testid=heatmap-column-group]')).toHaveCount(0);
  await expect(app.heatmapCell(47, 'mlp.experts.down_proj')).toBeVisible();
});

test('120 shards collapse into one summary line; the verdict and findings come before the views', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles(manyShards());
  // Invalid files end the scan in error or done, depending on the verdict model: either is the end.
  await expect(app.status).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 30_000 });
  const summary = page.locator('[data-testid=file-summary]');
  await expect(summary).toContainText(
    `${TINY_SHARDS} files · all read · ${INVALID_SHARDS.length} invalid`,
  );
  await expect(page.locator('[data-testid=file-card]')).toHaveCount(0);
  await expect(app.fileErrors()).toHaveCount(INVALID_SHARDS.length);
  const toggle = page.locator('[data-testid=file-summary-toggle]');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(page.locator('[data-testid=file-card]')).toHaveCount(
    TINY_SHARDS - INVALID_SHARDS.length,
  );
  await toggle.click();
  await expect(page.locator('[data-testid=file-card]')).toHaveCount(0);

  const top = async (selector: string): Promise<number> =>
    (await page.locator(selector).first().boundingBox())?.y ?? Number.POSITIVE_INFINITY;
  const verdict = await top('[data-testid=verdict]');
  const heatmap = await top('[data-testid=heatmap-box]');
  const table = await top('[data-testid=tensor-filter]');
  expect(verdict).toBeLessThan(heatmap);
  expect(heatmap).toBeLessThan(table);
  // The collapsed file list leaves the verdict and the heatmap on the first screen.
  expect(heatmap).toBeLessThan(1000);
});

test('more layers than fit: an overview strip marks every NaN row and scrolls to it', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const nans = [
    [2, 'self_attn.q_proj'],
    [380, 'mlp.down_proj'],
  ] as const;
  await app.loadFiles([denseModel(400, nans)]);
  await app.waitForScan();
  const overview = page.locator('[data-testid=heatmap-overview]');
  await expect(overview.locator('.hm-overview-nan')).toHaveCount(nans.length);
  const [layer, module] = nans[1];
  const deep = `${layer}/${module}/`;
  // Out of the box's view at first, in view after a click on its mark.
  expect((await checkHeatmapBox(page)).outside).toContain(deep);
  await overview.locator(`[data-row="${layer}"]`).click();
  await expect.poll(async () => (await checkHeatmapBox(page)).outside).not.toContain(deep);
});

test('a missing shard: its cell is drawn crossed, the legend says so, the card names it', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles(checkpointMissingShard());
  await expect(app.status).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 30_000 });
  const missing = page.locator('[data-testid=heatmap-cell][data-state=missing]');
  await expect(missing).toHaveCount(1);
  const look = await missing.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(look).toBe('dashed');
  await expect(page.locator('.hm-legend')).toContainText('missing (its shard was not read)');
  await missing.hover();
  await expect(page.locator('[data-testid=heatmap-card]')).toContainText(
    '1 tensor in a missing shard',
  );
});
