import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { AppPage } from './app-page';

const BIN = join(import.meta.dirname, '..', 'bin', 'ckptscope.mjs');
const SAMPLE_DIR = join(import.meta.dirname, '..', 'public', 'sample');

interface JsonDoc {
  files: { path: string; tensors: { name: string }[] }[];
}

/** Tensors of every file of a report, keyed by file name (not path) and tensor name. */
function tensorsOf(doc: JsonDoc): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of doc.files) {
    const file = f.path.split('/').pop() ?? f.path;
    for (const t of f.tensors) {
      out.set(`${file} ${t.name}`, t);
    }
  }
  return out;
}

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-invariance-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The app's JSON export of the sample, scanned with `tuning` (window.__ckptscopeTuning). */
async function exportSample(page: Page, tuning: object, name: string): Promise<JsonDoc> {
  await page.addInitScript((t) => {
    (globalThis as { __ckptscopeTuning?: unknown }).__ckptscopeTuning = t;
  }, tuning);
  const app = new AppPage(page);
  await app.open();
  await app.openSample();
  await app.waitForScan();
  // The scan really ran as tuned (the store publishes how it read).
  const used = await page.evaluate(
    () =>
      (globalThis as { __ckptscope?: { timings: { workers: number; read: object } } }).__ckptscope
        ?.timings,
  );
  const { workers, ...read } = tuning as { workers?: number };
  if (workers !== undefined) {
    expect(used?.workers).toBe(workers);
  }
  expect(used?.read).toMatchObject(read);
  const download = page.waitForEvent('download');
  await page.locator('[data-testid=export-json]').click();
  const saved = join(dir, `${name}.json`);
  await (await download).saveAs(saved);
  return JSON.parse(readFileSync(saved, 'utf8')) as JsonDoc;
}

test('the app’s results do not depend on its worker count, read size or streams', async ({
  browser,
}) => {
  let cliOut: string;
  try {
    cliOut = execFileSync(process.execPath, [BIN, 'scan', '--json', SAMPLE_DIR], {
      encoding: 'utf8',
    });
  } catch (e) {
    cliOut = (e as { stdout: string }).stdout; // exit 1: the sample's NaN scales
  }
  const cli = tensorsOf(JSON.parse(cliOut) as JsonDoc);
  expect(cli.size).toBeGreaterThan(50);
  const tunings = [
    {},
    // One worker, tiny reads (every tensor crosses many chunk boundaries), nothing read ahead.
    { workers: 1, chunkBytes: 4096, readAheadReads: 1 },
    // Three workers, odd read sizes split over three streams each, a small read-ahead window.
    { workers: 3, chunkBytes: 65544, streamsPerRead: 3, readAheadBytes: 70_000 },
  ];
  for (const [i, tuning] of tunings.entries()) {
    const page = await browser.newPage();
    const app = tensorsOf(await exportSample(page, tuning, `tuning-${i}`));
    expect([...app.keys()].sort()).toEqual([...cli.keys()].sort());
    for (const [key, t] of app) {
      expect(t, `${JSON.stringify(tuning)} ${key}`).toEqual(cli.get(key));
    }
    await page.close();
  }
});
