import { expect, test } from '@playwright/test';
import { buildSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';
import type { InMemoryFile } from './app-page';
import { AppPage } from './app-page';

test.use({ viewport: { width: 1440, height: 1000 } });

const LONG = 'model.language_model.layers.47.mlp.experts.63.down_proj.weight_scale';
const LONG_2 = 'model.language_model.layers.46.mlp.experts.63.down_proj.weight_scale';
const BIDI = 'bidi\u202egnp.exe';
const SMALL = 'model.layers.0.mlp.up_proj.input_scale';
const MAP_64x8 = 'model.layers.1.mlp.up_proj.weight_scale_f32';
const MAP_512x256 = 'model.layers.2.mlp.up_proj.weight';

function f32(
  name: string,
  shape: number[],
  fill: number,
  nanAt: [number, number][] = [],
): TensorSpec {
  const cols = shape[1] ?? 1;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill);
  for (const [r, c] of nanAt) {
    values[r * cols + c] = Number.NaN;
  }
  return { name, dtype: 'F32', shape, data: new Uint8Array(values.buffer) };
}

/** Names that test the table, a small magnitude, and two NaN maps of the shapes. */
function viewsCheckpoint(): InMemoryFile {
  const tensors = [
    f32(LONG, [4, 1], 1),
    f32(LONG_2, [4, 1], 1),
    f32(BIDI, [2], 1),
    f32(SMALL, [1], 0.00048828125),
    f32(MAP_64x8, [64, 8], 1, [[12, 3]]),
    f32(MAP_512x256, [512, 256], 0.5, [[500, 200]]),
  ];
  return { name: 'views.safetensors', buffer: Buffer.from(buildSafetensors(tensors)) };
}

test('tensor table: glob and words, middle truncation, file column, exponents, copy, one Tab stop, Esc returns focus', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([viewsCheckpoint()]);
  await app.waitForScan();
  const count = page.locator('[data-testid=tensor-count]');

  await app.filterTensors('*.weight_scale');
  await expect(count).toHaveAttribute('data-shown', '2');
  await app.filterTensors('experts 47');
  await expect(count).toHaveAttribute('data-shown', '1');
  await app.filterTensors('UP_PROJ model.layers.?.*');
  await expect(count).toHaveAttribute('data-shown', '3');
  await app.filterTensors('');
  await expect(count).toHaveAttribute('data-shown', '6');

  const row = app.tensorRow(LONG);
  await expect(row.locator('[data-column=file]')).toHaveText('views');
  await expect(row.locator('.tt-file')).toHaveAttribute('title', 'views.safetensors');
  // Invisible characters are shown, not obeyed.
  await expect(app.tensorRow(BIDI).locator('[data-column=name]')).toContainText(
    'bidi⟨U+202E⟩gnp.exe',
  );
  await expect(app.tensorRow(SMALL).locator('[data-column=max]')).toHaveText('4.88281e-4');
  // Nowhere on the page does a bidi override reach the screen (issue 11): not in the table, the
  // heatmap's outside strip, the file cards.
  await expect(page.locator('.hm-outside')).toContainText('⟨U+202E⟩');
  expect(await page.evaluate(() => document.body.innerText.includes('\u202e'))).toBe(false);

  // One Tab stop: Tab from the filter enters the table (through the toolbar), Tab again leaves it.
  await app.tensorRow(LONG).click();
  await expect(page.locator('[data-testid=tensor-detail]')).toHaveAttribute('data-name', LONG);
  // With the detail open the name column is narrow: the layer and the last part stay whole inside
  // the cell, the prefix gives way.
  await expect(row.locator('.tt-name-layer')).toHaveText('layers.47.');
  await expect(row.locator('.tt-name-suffix')).toHaveText('weight_scale');
  const cell = await row.locator('[data-column=name]').boundingBox();
  for (const part of ['.tt-name-layer', '.tt-name-suffix']) {
    const box = await row.locator(part).boundingBox();
    expect(
      cell !== null && box !== null && box.x >= cell.x && box.x + box.width <= cell.x + cell.width,
      part,
    ).toBe(true);
  }
  expect(await row.locator('.tt-name-head').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(
    true,
  );
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid=tensor-detail]')).toHaveCount(0);
  await expect(app.tensorRow(LONG)).toBeFocused();
  const rowIndex = Number(await app.tensorRow(LONG).getAttribute('data-index'));
  await page.keyboard.press('ArrowDown');
  await expect(
    page.locator(`[data-testid=tensor-row][data-index="${rowIndex + 1}"]`),
  ).toBeFocused();
  await expect(page.locator('[data-testid=tensor-row][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('Tab');
  const stillInTable = await page.evaluate(
    () => document.activeElement?.closest('[role=grid]') !== null,
  );
  expect(stillInTable).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect(
    page.locator(`[data-testid=tensor-row][data-index="${rowIndex + 1}"]`),
  ).toBeFocused();

  // c copies the real name (invisible characters included).
  await app.tensorRow(BIDI).click();
  await page.keyboard.press('Escape');
  await expect(app.tensorRow(BIDI)).toBeFocused();
  await page.keyboard.press('c');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(BIDI);

  // Resizable columns: dragging the Dtype header's edge widens the column.
  const header = page.locator('.tt-head [role=columnheader][data-column=dtype]');
  const before = (await header.boundingBox())?.width ?? 0;
  const handle = await header.locator('[data-testid=column-resize]').boundingBox();
  expect(handle).not.toBeNull();
  if (handle !== null) {
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 80, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.up();
  }
  expect((await header.boundingBox())?.width ?? 0).toBeGreaterThan(before + 60);
});

test('NaN/Inf map: fixed frame, ticks and a (row, col) readout for [64, 8] and [512, 256]', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([viewsCheckpoint()]);
  await app.waitForScan();
  const cases: [string, number, number, number, number][] = [
    [MAP_64x8, 64, 8, 12, 3],
    [MAP_512x256, 512, 256, 500, 200],
  ];
  const sizes: string[] = [];
  for (const [name, rows, cols, r, c] of cases) {
    await app.tensorRow(name).click();
    const detail = page.locator('[data-testid=tensor-detail]');
    await expect(detail).toHaveAttribute('data-name', name);
    const canvas = detail.locator('[data-testid=density-map]');
    const box = await canvas.boundingBox();
    expect(box).not.toBeNull();
    if (box === null) {
      return;
    }
    sizes.push(`${Math.round(box.width)}x${Math.round(box.height)}`);
    await expect(detail.locator('[data-testid=density-ticks-x] span').first()).toHaveText('0');
    await expect(detail.locator('[data-testid=density-ticks-x] span').last()).toHaveText(
      String(cols - 1),
    );
    // Relative to the canvas, once it is stable (the detail may still be laying out).
    const [w, h] = await canvas.evaluate((el) => [el.clientWidth, el.clientHeight]);
    await canvas.hover({ position: { x: ((c + 0.5) / cols) * w, y: ((r + 0.5) / rows) * h } });
    const readout = detail.locator('[data-testid=density-readout]');
    if (rows <= 256) {
      await expect(readout).toHaveText(`(${r}, ${c}) = NaN`);
    } else {
      await expect(readout).toContainText(`rows ${r}–${r + 1}, col ${c}: 1 NaN`);
    }
  }
  // The same frame for both shapes.
  expect(sizes[0]).toBe(sizes[1]);
});

test('findings explain their rule and lead to the tensor; the repair shows its command and never stale results; Back stays in the app', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.openSample();
  await app.waitForScan();
  const doc = page.locator('[data-testid=rule-doc][data-rule=nan-scale]');
  await expect(doc).toContainText('vLLM');
  await expect(doc).toContainText('!!!!');
  await expect(doc).toContainText('ModelOpt 0.44');
  await expect(doc).toContainText('clamping exporter');

  await page.locator('[data-testid=verdict-findings-link]').click();
  await expect(page.locator('[data-testid=findings-panel]')).toBeFocused();

  const link = page
    .locator('[data-testid=finding-row][data-rule=nan-scale] [data-testid=finding-open-tensor]')
    .first();
  const tensor = (await link.getAttribute('title')) ?? '';
  await link.click();
  await expect(page.locator('[data-testid=tensor-detail]')).toHaveAttribute('data-name', tensor);
  await expect(app.tensorRow(tensor)).toBeInViewport();
  expect(page.url()).toContain('tensor=');

  // Back closes the tensor inside the app; the checkpoint stays loaded.
  await page.goBack();
  await expect(page.locator('[data-testid=tensor-detail]')).toHaveCount(0);
  await expect(app.status).toHaveAttribute('data-state', 'done');

  // The repair command, and results that vanish as soon as the plan changes.
  const file = page.locator('[data-testid=repair-file]').first();
  const fileName = (await file.getAttribute('data-file')) ?? '';
  await expect(file.locator('[data-testid=repair-command]')).toHaveText(
    `mkdir -p repaired && npx ckptscope repair ${fileName} -o repaired/ --policy max`,
  );
  await file.locator('[data-testid=compute-sha256]').click();
  await expect(file.locator('[data-testid=sha256]')).toContainText('output sha256');
  await page.locator('[data-testid=policy-fp8]').selectOption('zero');
  await expect(file.locator('[data-testid=sha256]')).toHaveCount(0);
  await expect(file.locator('[data-testid=repair-command]')).toContainText('--policy zero');
});

test('a disabled repair button looks disabled', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  // NaN in a BF16-like F32 weight: the default policy leaves float tensors alone, nothing to patch.
  await app.loadFiles([viewsCheckpoint()]);
  await app.waitForScan();
  const button = page.locator('[data-testid=download-repaired]').first();
  await expect(button).toBeDisabled();
  const style = await button.evaluate((b) => {
    const s = getComputedStyle(b);
    return { cursor: s.cursor, border: s.borderStyle };
  });
  expect(style).toEqual({ cursor: 'not-allowed', border: 'dashed' });
});
