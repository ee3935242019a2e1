import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppPage } from './app-page';
import {
  checkpointMissingShard,
  checkpointMissingShardAll,
  invalidFiles,
  MXFP4_NAN_INDEX,
  MXFP4_NAN_TENSOR,
  mxfp4NanCheckpoint,
} from './truth-fixtures';

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-truth-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface JsonTensor {
  name: string;
  dtype: string;
  decodedAs?: string;
  nan: number | null;
  nanIndices: number[] | null;
}

test('an E8M0 NaN scale stored as U8 (gpt-oss MXFP4) is counted by role in every view', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const file = mxfp4NanCheckpoint();
  // Independent expectation: the only 0xFF byte of the U8 *_scales tensors is the planted one.
  const n = Number(file.buffer.readBigUInt64LE(0));
  const header = JSON.parse(file.buffer.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { dtype: string; data_offsets: [number, number] }
  >;
  const nanBytes: [string, number][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name.endsWith('_scales')) {
      for (let i = entry.data_offsets[0]; i < entry.data_offsets[1]; i++) {
        if (file.buffer[8 + n + i] === 0xff) {
          nanBytes.push([name, i - entry.data_offsets[0]]);
        }
      }
    }
  }
  expect(nanBytes).toEqual([[MXFP4_NAN_TENSOR, MXFP4_NAN_INDEX]]);

  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([file]);
  await app.waitForScan();
  const verdict = page.locator('[data-testid=verdict]');
  await expect(verdict).toHaveAttribute('data-level', 'error');
  await expect(verdict).toContainText('1 NaN byte in 1 FP8 scale tensor — layer 1');
  // Heatmap: the layer-1 cell holding the scale counts it; no other cell does.
  const nanCells = page.locator('[data-testid=heatmap-cell]:not([data-nan="0"])');
  await expect(nanCells).toHaveCount(1);
  await expect(nanCells).toHaveAttribute('data-layer', '1');
  await expect(nanCells).toHaveAttribute('data-nan', '1');
  // Table: the row and the "only problems" filter.
  await page.locator('[data-testid=only-problems]').check();
  const rows = page.locator('[data-testid=tensor-row]');
  await expect(rows).toHaveCount(1);
  await expect(app.tensorRow(MXFP4_NAN_TENSOR)).toHaveAttribute('data-nan', '1');
  // Detail: the NaN and where it is, not "No NaN or Inf".
  await app.tensorRow(MXFP4_NAN_TENSOR).click();
  const detail = page.locator('[data-testid=tensor-detail]');
  await expect(detail).toHaveAttribute('data-name', MXFP4_NAN_TENSOR);
  await expect(detail.locator('[data-testid=density-none]')).toHaveCount(0);
  await expect(detail.locator('[data-testid=nan-positions]')).toBeVisible();
  // Markdown export names it.
  await page.locator('[data-testid=copy-markdown]').click();
  await expect(page.locator('.export-note')).toContainText('Copied');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain(MXFP4_NAN_TENSOR);
  // JSON export: decoded counts, the header's dtype, decodedAs.
  const pending = page.waitForEvent('download');
  await page.locator('[data-testid=export-json]').click();
  const saved = join(dir, 'export.json');
  await (await pending).saveAs(saved);
  const doc = JSON.parse(readFileSync(saved, 'utf8')) as {
    complete: boolean;
    files: { tensors: JsonTensor[] }[];
  };
  expect(doc.complete).toBe(true);
  const scale = doc.files[0]?.tensors.find((t) => t.name === MXFP4_NAN_TENSOR);
  expect(scale).toMatchObject({
    dtype: 'U8',
    decodedAs: 'F8_E8M0',
    nan: 1,
    nanIndices: [MXFP4_NAN_INDEX],
  });
  const blocks = doc.files[0]?.tensors.find((t) => t.name.endsWith('down_proj_blocks'));
  expect(blocks).toMatchObject({ dtype: 'U8', decodedAs: 'F4', nan: 0 });
});

test('all files invalid: the verdict is an error that leads with them', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles(invalidFiles(3));
  await app.waitForScan('error');
  const verdict = page.locator('[data-testid=verdict]');
  await expect(verdict).toHaveAttribute('data-level', 'error');
  await expect(verdict).toContainText('3 of 3 files are not valid safetensors');
});

test('a missing shard: error verdict, its layer shown as missing, and the shard can be added', async ({
  page,
}) => {
  const [first, third, index] = checkpointMissingShard();
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([first, third, index]);
  await app.waitForScan();
  const verdict = page.locator('[data-testid=verdict]');
  await expect(verdict).toHaveAttribute('data-level', 'error');
  await expect(verdict).toContainText('index error');
  await expect(
    page.locator('[data-testid=heatmap-cell][data-layer="1"][data-state=missing]'),
  ).toHaveCount(1);
  await expect(page.locator('[data-testid=heatmap-cell][data-state=missing]')).toHaveCount(1);
  await expect(
    page.locator('[data-testid=heatmap-cell][data-layer="0"][data-state=scanned]'),
  ).toHaveCount(1);
  // Loading the shard asks add or replace; added, the checkpoint is whole and clean.
  const full = checkpointMissingShardAll();
  await app.loadFiles([full]);
  await page.locator('[data-testid=load-add]').click();
  await app.waitForScan();
  await expect(verdict).toHaveAttribute('data-level', 'ok');
  await expect(page.locator('[data-testid=heatmap-cell][data-state=missing]')).toHaveCount(0);
  // Only unsupported files dropped on an open checkpoint: explained, and the checkpoint stays.
  await app.loadFiles([{ name: 'pytorch_model.bin', buffer: Buffer.from('pickle') }]);
  await expect(page.locator('[data-testid=load-note]')).toContainText(
    'pytorch_model.bin is a PyTorch pickle checkpoint',
  );
  await expect(verdict).toHaveAttribute('data-level', 'ok');
  // Replace: only the new file remains.
  await app.loadFiles(invalidFiles(1));
  await page.locator('[data-testid=load-replace]').click();
  await app.waitForScan('error');
  await expect(verdict).toContainText('1 of 1 file is not valid safetensors');
});

test('a file changed during the scan: not scanned, file in error, error verdict, honest progress', async ({
  page,
}) => {
  // A sparse 1 GiB BF16 tensor behind a tiny scale, scanned in 64 KiB reads: the scan is still
  // reading when the file is cut short, whatever the machine.
  const path = join(dir, 'changing.safetensors');
  const elements = 512 * 1024 * 1024;
  const header = Buffer.from(
    JSON.stringify({
      'model.layers.0.mlp.up_proj.weight_scale': { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      'model.layers.0.mlp.up_proj.weight': {
        dtype: 'BF16',
        shape: [elements],
        data_offsets: [4, 4 + elements * 2],
      },
    }),
  );
  const fd = openSync(path, 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  writeSync(fd, prefix);
  writeSync(fd, header);
  ftruncateSync(fd, 8 + header.length + 4 + elements * 2);
  closeSync(fd);
  await page.addInitScript(() => {
    (globalThis as { __ckptscopeTuning?: unknown }).__ckptscopeTuning = {
      chunkBytes: 64 * 1024,
      workers: 1,
    };
  });
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([path]);
  // Headers read (the rows are there): the scan proper has started.
  await page.waitForFunction(() => {
    const hooks = globalThis as { __ckptscope?: { timings: { openedAt: number | null } } };
    return typeof hooks.__ckptscope?.timings.openedAt === 'number';
  });

  await expect(app.status).toHaveAttribute('data-state', 'scanning');
  truncateSync(path, 8 + header.length + 4 + 1024);
  await app.waitForScan();
  const verdict = page.locator('[data-testid=verdict]');
  await expect(verdict).toHaveAttribute('data-level', 'error');
  await expect(verdict).toContainText('changed or became unreadable during the scan');
  const card = app.fileErrors();
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('changed or became unreadable');
  await expect(card).not.toContainText('network error');
  // Progress counts only bytes really read: the scale and what came before the cut, not 1 GB.
  await expect(app.status).toContainText(/Scanned [\d.]+ (B|kB|KB|MB) /);
  const tuning = await page.evaluate(
    () =>
      (globalThis as { __ckptscope?: { timings: { read: { chunkBytes?: number } } } }).__ckptscope
        ?.timings.read,
  );
  expect(tuning?.chunkBytes).toBe(64 * 1024);
});

test('unsupported files alone: what they are and what to use instead; no workspace, no export', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([
    { name: 'pytorch_model.bin', buffer: Buffer.from('PK\u0003\u0004 pickle') },
    { name: 'model.Q4_K_M.gguf', buffer: Buffer.from('GGUF') },
    { name: 'notes.txt', buffer: Buffer.from('hello') },
  ]);
  await app.waitForScan('error');
  await expect(app.status).toContainText('pytorch_model.bin is a PyTorch pickle checkpoint');
  await expect(app.status).toContainText('model.Q4_K_M.gguf is a GGUF (llama.cpp) model');
  await expect(app.status).toContainText('notes.txt is a text file');
  await expect(app.status).toContainText('ckptscope reads .safetensors files');
  await expect(page.locator('[data-testid=verdict]')).toHaveCount(0);
  await expect(page.locator('[data-testid=export-json]')).toHaveCount(0);
  await expect(page.locator('[data-testid=copy-markdown]')).toHaveCount(0);
  await expect(page.locator('[data-testid=tensor-filter]')).toHaveCount(0);
});

test('cancel: the verdict is not ok, nothing stays pending, and the next checkpoint scans', async ({
  page,
}) => {
  const path = join(dir, 'long.safetensors');
  const elements = 512 * 1024 * 1024;
  const header = Buffer.from(
    JSON.stringify({
      'big.weight': { dtype: 'BF16', shape: [elements], data_offsets: [0, elements * 2] },
    }),
  );
  const fd = openSync(path, 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  writeSync(fd, prefix);
  writeSync(fd, header);
  ftruncateSync(fd, 8 + header.length + elements * 2);
  closeSync(fd);
  await page.addInitScript(() => {
    (globalThis as { __ckptscopeTuning?: unknown }).__ckptscopeTuning = { chunkBytes: 64 * 1024 };
  });
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([path]);
  await page.waitForFunction(() => {
    const hooks = globalThis as { __ckptscope?: { timings: { openedAt: number | null } } };
    return typeof hooks.__ckptscope?.timings.openedAt === 'number';
  });
  const verdict = page.locator('[data-testid=verdict]');
  await expect(verdict).toHaveAttribute('data-level', 'pending');
  await page.locator('[data-testid=cancel-scan]').click();
  await expect(app.status).toContainText('Cancelled');
  await expect(verdict).toHaveAttribute('data-level', 'warning');
  await expect(verdict).toContainText('Scan cancelled');
  await expect(page.getByText('Recognising the quantization scheme')).toHaveCount(0);
  // An export now is marked partial.
  const pending = page.waitForEvent('download');
  await page.locator('[data-testid=export-json]').click();
  const saved = join(dir, 'partial.json');
  await (await pending).saveAs(saved);
  expect((JSON.parse(readFileSync(saved, 'utf8')) as { complete: boolean }).complete).toBe(false);
  // The next checkpoint (replacing this one) scans on fresh workers.
  await app.loadFiles([mxfp4NanCheckpoint()]);
  await page.locator('[data-testid=load-replace]').click();
  await app.waitForScan();
  await expect(verdict).toHaveAttribute('data-level', 'error');
  await expect(page.locator('[data-testid=scheme-badge]')).toHaveAttribute('data-scheme', 'mxfp4');
});
