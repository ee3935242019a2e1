import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { buildSafetensors } from '../core/format/build-safetensors';
import { AppPage } from './app-page';
import { nanCheckpoint, PLANTED } from './fixtures';

const SAMPLE_DIR = join(import.meta.dirname, '..', 'public', 'sample');

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-repair-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Absolute offsets of F8_E4M3 NaN bytes, from the file alone (JSON.parse and a byte loop). */
function nanScaleOffsets(bytes: Buffer): Map<number, number> {
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { dtype: string; data_offsets: [number, number] }
  >;
  const out = new Map<number, number>();
  for (const [name, t] of Object.entries(header)) {
    if (name !== '__metadata__' && t.dtype === 'F8_E4M3') {
      for (let i = 8 + n + t.data_offsets[0]; i < 8 + n + t.data_offsets[1]; i++) {
        if ((bytes[i] & 0x7f) === 0x7f) {
          out.set(i, bytes[i]);
        }
      }
    }
  }
  return out;
}

function differingOffsets(a: Buffer, b: Buffer): Map<number, number> {
  expect(b.length).toBe(a.length);
  const out = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      out.set(i, b[i]);
    }
  }
  return out;
}

async function plannedPatches(
  page: Page,
  file: string,
): Promise<Map<number, { old: number; new: number }>> {
  const rows = page.locator(
    `[data-testid=repair-plan] [data-testid=patch-row][data-file="${file}"]`,
  );
  const all = await rows.evaluateAll((els) =>
    els.map((e) => [
      Number(e.getAttribute('data-offset')),
      Number(e.getAttribute('data-old')),
      Number(e.getAttribute('data-new')),
    ]),
  );
  return new Map(all.map(([o, old, nw]) => [o, { old, new: nw }]));
}

async function downloadRepaired(page: Page, file: string, saveAs: string): Promise<Buffer> {
  const pending = page.waitForEvent('download');
  await page.locator(`[data-testid=download-repaired][data-file="${file}"]`).click();
  const download = await pending;
  expect(download.suggestedFilename()).toBe(file.split('/').pop());
  await download.saveAs(saveAs);
  return readFileSync(saveAs);
}

test('the repaired download differs from the input in exactly the planned bytes', async ({
  page,
}) => {
  const fixture = nanCheckpoint();
  const input = join(dir, fixture.name);
  writeFileSync(input, fixture.buffer);
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([input]);
  await app.waitForScan();
  const expected = nanScaleOffsets(fixture.buffer);
  const plantedScaleNans = Object.entries(PLANTED)
    .filter(([name]) => name.endsWith('weight_scale'))
    .reduce((n, [, idx]) => n + idx.length, 0);
  expect(expected.size).toBe(plantedScaleNans);
  await expect(page.locator('[data-testid=repair-plan] [data-testid=patch-row]')).toHaveCount(
    expected.size,
  );
  const planned = await plannedPatches(page, fixture.name);
  expect([...planned.keys()].sort((a, b) => a - b)).toEqual(
    [...expected.keys()].sort((a, b) => a - b),
  );
  for (const [offset, old] of expected) {
    // Default policy: a NaN scale -> the largest positive finite (+448), whatever its sign bit.
    expect(planned.get(offset)).toEqual({ old, new: 0x7e });
  }
  const repaired = await downloadRepaired(page, fixture.name, join(dir, 'repaired.safetensors'));
  const diff = differingOffsets(fixture.buffer, repaired);
  expect(diff).toEqual(new Map([...planned].map(([o, p]) => [o, p.new])));
  await expect(
    page.locator(`[data-testid=repair-verified][data-file="${fixture.name}"]`),
  ).toHaveAttribute('data-state', 'clean');
  // The input file on disk is untouched.
  expect(readFileSync(input).equals(fixture.buffer)).toBe(true);
});

test('a sharded checkpoint: each repaired shard differs only in its planned bytes, neutral and clamped labelled', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.openSample();
  await app.waitForScan();
  for (const shard of ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']) {
    const name = `sample/${shard}`;
    const original = readFileSync(join(SAMPLE_DIR, shard));
    const expected = nanScaleOffsets(original);
    expect(expected.size).toBeGreaterThan(0);
    await expect(page.locator(`[data-testid=patch-row][data-file="${name}"]`)).toHaveCount(
      expected.size,
    );
    const planned = await plannedPatches(page, name);
    const repaired = await downloadRepaired(page, name, join(dir, shard));
    expect(differingOffsets(original, repaired)).toEqual(
      new Map([...planned].map(([o, p]) => [o, p.new])),
    );
    expect(new Set(planned.keys())).toEqual(new Set(expected.keys()));
  }
  // Layer 3 o_proj NaN blocks hold only zero FP4 codes (neutral); layer 6 down_proj's codes vary:
  // computed with a finite scale the cast lost (clamped, still labelled lossy for older readers).
  const neutral = page.locator('[data-testid=patch-row][data-classification=neutral]');
  const lossy = page.locator('[data-testid=patch-row][data-classification=lossy]');
  await expect(neutral).toHaveCount(2);
  await expect(lossy).toHaveCount(3);
  await expect(page.locator('[data-testid=patch-row][data-class=neutral]')).toHaveCount(2);
  await expect(page.locator('[data-testid=patch-row][data-class=clamped]')).toHaveCount(3);
  await expect(page.locator('[data-testid=patch-row][data-class=destroyed]')).toHaveCount(0);
  // Every scale patch is +448, the 0xFF ones too.
  const news = await page
    .locator('[data-testid=patch-row]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-new')));
  expect(new Set(news)).toEqual(new Set(['126']));
  const panel = page.locator('[data-testid=repair-panel]');
  await expect(panel).toContainText('Re-exporting');
  await expect(panel.locator('[data-testid=repair-note]').first()).toBeVisible();
  await expect(panel).toContainText('3 clamped FP4 block scales: the codes vary');
  await expect(panel).toContainText('2 neutral FP4 block scales: every code of the block is ±0');
  // The legend says what neutral means where the class is shown.
  await expect(
    page.locator('[data-testid=repair-class-meaning][data-class=neutral]'),
  ).toContainText('the patch changes no weight');
  await expect(page.locator('[data-testid=repair-class-count][data-class=clamped]')).toHaveText(
    '3 clamped',
  );
});

test('the zero policy plans +0 for scales, whatever their sign bit', async ({ page }) => {
  const fixture = nanCheckpoint();
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([fixture]);
  await app.waitForScan();
  await page.locator('[data-testid=policy-fp8]').selectOption('zero');
  const rows = page.locator('[data-testid=patch-row]');
  await expect(rows.first()).toHaveAttribute('data-new', '0');
  const pairs = await rows.evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-old'), e.getAttribute('data-new')]),
  );
  // 0x7F and 0xFF alike -> +0 (0x00): a scale is positive, its NaN's sign bit is noise.
  expect(pairs.length).toBe(3);
  expect(pairs.map(([old]) => old)).toContain('255');
  for (const [, nw] of pairs) {
    expect(nw).toBe('0');
  }
});

test('per finding: one tensor zeroed, another left untouched, the rest as the policy says', async ({
  page,
}) => {
  const fixture = nanCheckpoint();
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([fixture]);
  await app.waitForScan();
  const zeroed = 'model.layers.1.self_attn.q_proj.weight_scale';
  const skipped = 'model.layers.3.self_attn.q_proj.weight_scale';
  await page.locator(`[data-testid=tensor-choice][data-tensor="${skipped}"]`).selectOption('skip');
  await page.locator(`[data-testid=tensor-choice][data-tensor="${zeroed}"]`).selectOption('zero');
  const rows = page.locator('[data-testid=patch-row]');
  await expect(rows).toHaveCount(PLANTED[zeroed].length);
  await expect(rows.first()).toHaveAttribute('data-new', '0');
  const news = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-new')));
  expect(news.every((n) => n === '0')).toBe(true);
  const repaired = await downloadRepaired(page, fixture.name, join(dir, 'choices.safetensors'));
  const diff = differingOffsets(fixture.buffer, repaired);
  expect(diff.size).toBe(PLANTED[zeroed].length);
});

test('a file with more NaN bytes than a plan may hold is refused by name, the others still repair', async ({
  page,
}) => {
  // One byte past the limit: every byte of the scale is NaN (0x7F).
  const limit = 1 << 16; // MAX_PLANNED_PATCHES
  const broken = join(dir, 'all-nan.safetensors');
  writeFileSync(
    broken,
    buildSafetensors([
      {
        name: 'model.layers.0.mlp.down_proj.weight_scale',
        dtype: 'F8_E4M3',
        shape: [limit + 1],
        data: new Uint8Array(limit + 1).fill(0x7f),
      },
    ]),
  );
  const fixture = nanCheckpoint();
  const sparse = join(dir, fixture.name);
  writeFileSync(sparse, fixture.buffer);
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([broken, sparse]);
  await app.waitForScan();
  const refused = page.locator('.repair-file[data-file="all-nan.safetensors"]');
  await expect(refused).toContainText('more than 65,536 bytes would need patching');
  await expect(refused).toContainText('model.layers.0.mlp.down_proj.weight_scale');
  await expect(refused).toContainText('RepairRefused');
  await expect(
    page.locator('[data-testid=download-repaired][data-file="all-nan.safetensors"]'),
  ).toHaveCount(0);
  await expect(
    page.locator(`[data-testid=repair-plan] [data-testid=patch-row][data-file="${fixture.name}"]`),
  ).toHaveCount(nanScaleOffsets(fixture.buffer).size);
});

/**
 * An NVFP4 layer as ModelOpt 0.44 writes it when a block scale overflows: weight U8 [1, 24]
 * (3 blocks of 16 FP4 codes), weight_scale F8_E4M3 [1, 3]. Block 0 was divided by its NaN scale
 * (every code +6, bytes 0x77: destroyed); block 1 holds varied codes under a NaN scale with the
 * sign bit set (clamped); block 2 is healthy.
 */
function destroyedLayer(): Buffer {
  const weight = new Uint8Array(24);
  weight.fill(0x77, 0, 8);
  weight.set([0x12, 0x9a, 0x31, 0x05, 0x7b, 0x44, 0x20, 0xc1], 8);
  weight.fill(0x21, 16, 24);
  return Buffer.from(
    buildSafetensors([
      { name: 'model.layers.0.mlp.down_proj.weight', dtype: 'U8', shape: [1, 24], data: weight },
      {
        name: 'model.layers.0.mlp.down_proj.weight_scale',
        dtype: 'F8_E4M3',
        shape: [1, 3],
        data: Uint8Array.of(0x7f, 0xff, 0x38),
      },
      {
        name: 'model.layers.0.mlp.down_proj.weight_scale_2',
        dtype: 'F32',
        shape: [],
        data: new Uint8Array(Float32Array.of(0.001).buffer),
      },
    ]),
  );
}

test('a destroyed block gets the zero scale, a clamped one +448, and the page says why', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const bytes = destroyedLayer();
  const input = join(dir, 'destroyed.safetensors');
  writeFileSync(input, bytes);
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([input]);
  await app.waitForScan();
  const rows = page.locator('[data-testid=patch-row]');
  await expect(rows).toHaveCount(2);
  const got = await rows.evaluateAll((els) =>
    els.map((e) => [
      e.getAttribute('data-old'),
      e.getAttribute('data-new'),
      e.getAttribute('data-class'),
    ]),
  );
  expect(got).toEqual([
    ['127', '0', 'destroyed'],
    ['255', '126', 'clamped'],
  ]);
  const notes = page.locator('[data-testid=repair-notes]');
  await expect(notes).toContainText(
    '1 destroyed FP4 block: all 16 codes are the same saturated code',
  );
  await expect(notes).toContainText('set to zero (0x00)');
  await expect(notes).toContainText('1 clamped FP4 block scale');
  await expect(
    page.locator('[data-testid=repair-class-meaning][data-class=destroyed]'),
  ).toContainText('the weights of the block are gone');
  // The plan as Markdown, for a bug report: one row per tensor with its classes.
  await page.locator('[data-testid=copy-repair-markdown]').click();
  await expect(page.locator('[data-testid=repair-panel]')).toContainText('Copied the repair plan');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain(
    '| destroyed.safetensors | `model.layers.0.mlp.down_proj.weight_scale` | fp4-block-scale | 2 | 0 | 1 | 1 | 0 |',
  );
  expect(markdown).toContain('- 1 destroyed FP4 block:');
  const repaired = await downloadRepaired(
    page,
    'destroyed.safetensors',
    join(dir, 'd-out.safetensors'),
  );
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const scale = 8 + n + header['model.layers.0.mlp.down_proj.weight_scale'].data_offsets[0];
  expect(differingOffsets(bytes, repaired)).toEqual(
    new Map([
      [scale, 0x00],
      [scale + 1, 0x7e],
    ]),
  );
});
