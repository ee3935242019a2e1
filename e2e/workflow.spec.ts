import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppPage } from './app-page';
import { nanCheckpoint, PLANTED, shardedCheckpoint } from './fixtures';

const BIN = join(import.meta.dirname, '..', 'bin', 'ckptscope.mjs');

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-e2e-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the folder picker takes a whole checkpoint folder and lists what it ignores', async ({
  page,
}) => {
  const folder = join(dir, 'ckpt');
  execFileSync('mkdir', ['-p', folder]);
  for (const f of shardedCheckpoint()) {
    writeFileSync(join(folder, f.name), f.buffer);
  }
  writeFileSync(join(folder, 'README.md'), '# not a checkpoint file\n');
  const app = new AppPage(page);
  await app.open();
  await page.locator('[data-testid=folder-input]').setInputFiles(folder);
  await app.waitForScan();
  await expect(page.locator('[data-testid=file-card]')).toHaveCount(2);
  await expect(page.locator('[data-testid=ignored-files]')).toContainText('README.md');
  await expect(page.locator('[data-testid=tensor-row]')).toHaveCount(2);
  await expect(app.fileErrors()).toHaveCount(0);
});

test('Export JSON gives the same document as the CLI --json for the same file', async ({
  page,
}) => {
  const file = nanCheckpoint();
  const path = join(dir, file.name);
  writeFileSync(path, file.buffer);
  let cliOut = '';
  try {
    execFileSync(process.execPath, [BIN, 'scan', '--json', path], { encoding: 'utf8' });
  } catch (e) {
    cliOut = (e as { stdout: string }).stdout; // exit 1: NaN found
  }
  const cli = JSON.parse(cliOut) as { files: { tensors: Record<string, unknown>[] }[] };
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([path]);
  await app.waitForScan();
  const downloadPromise = page.waitForEvent('download');
  await page.locator('[data-testid=export-json]').click();
  const download = await downloadPromise;
  const saved = join(dir, 'export.json');
  await download.saveAs(saved);
  const exported = JSON.parse(readFileSync(saved, 'utf8')) as {
    files: { path: string; tensors: Record<string, unknown>[] }[];
  };
  expect(exported.files).toHaveLength(1);
  expect(exported.files[0].path).toBe(file.name);
  const byName = (ts: Record<string, unknown>[]) => new Map(ts.map((t) => [t.name, t]));
  const fromCli = byName(cli.files[0].tensors);
  const fromApp = byName(exported.files[0].tensors);
  expect([...fromApp.keys()].sort()).toEqual([...fromCli.keys()].sort());
  for (const [name, t] of fromApp) {
    expect(t).toEqual(fromCli.get(name));
  }
  for (const [name, indices] of Object.entries(PLANTED)) {
    expect(fromApp.get(name)?.nan).toBe(indices.length);
    expect(fromApp.get(name)?.nanIndices).toEqual([...indices]);
  }
});

test('the selected tensor lives in the URL and comes back when the files are loaded again', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([nanCheckpoint()]);
  await app.waitForScan();
  const name = 'model.layers.2.mlp.down_proj.weight';
  await app.heatmapCell(2, 'mlp.down_proj').click();
  await expect(page.locator('[data-testid=tensor-detail]')).toHaveAttribute('data-name', name);
  const url = page.url();
  expect(url).toContain(`tensor=${name}`);
  // Leaving a loaded checkpoint asks first (issue 12): accept, and check that it asked.
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.accept();
  });
  await page.goto(url);
  await page.reload();
  expect(asked).toContain('beforeunload');
  await app.loadFiles([nanCheckpoint()]);
  await app.waitForScan();
  await expect(page.locator('[data-testid=tensor-detail]')).toHaveAttribute('data-name', name);
});

test('a long scan can be cancelled and the page stays responsive', async ({ page }) => {
  // A 2 GiB sparse file (one BF16 tensor of zeros): big enough to be mid-scan when we click.
  const path = join(dir, 'big.safetensors');
  const elements = 1024 * 1024 * 1024;
  let header = `{"big.weight":{"dtype":"BF16","shape":[${elements}],"data_offsets":[0,${elements * 2}]}}`;
  header += ' '.repeat((8 - (header.length % 8)) % 8);
  const fd = openSync(path, 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  writeSync(fd, prefix);
  writeSync(fd, header);
  ftruncateSync(fd, 8 + header.length + elements * 2);
  closeSync(fd);
  const app = new AppPage(page);
  await app.open();
  await app.loadFiles([path]);
  await expect(app.status).toHaveAttribute('data-state', 'scanning');
  // The main thread answers while workers read: typing in the filter is immediate.
  await app.filterTensors('big');
  await expect(app.tensorRow('big.weight')).toBeVisible();
  await page.locator('[data-testid=cancel-scan]').click();
  await expect(app.status).toHaveAttribute('data-state', 'done');
  await expect(app.status).toContainText('Cancelled');
});
