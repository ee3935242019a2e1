/**
 * The browser half of `npm run bench`: drives the built app (dist/web, served by `vite preview` on
 * a free port) in headless Chromium through playwright-core, with the executable and flags of
 * playwright.config.ts. Files reach the page by `setInputFiles(path)`, which hands Chromium the
 * path and copies nothing.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import config from '../../playwright.config';

const ROOT = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Preview {
  readonly url: string;
  stop(): Promise<void>;
}

/** `vite preview` of dist/web on a free port (run `npm run build` first). */
export async function startPreview(): Promise<Preview> {
  const port = await freePort();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: ROOT, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`vite preview did not start on port ${port} (is dist/web built?)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** Headless Chromium as the e2e tests launch it (playwright.config.ts). */
export function launchChromium(): Promise<Browser> {
  const launch = config.use?.launchOptions ?? {};
  return chromium.launch({
    headless: true,
    executablePath: launch.executablePath,
    args: launch.args,
  });
}

/** What the app's store publishes as `window.__ckptscope.timings` (app/store/scan-timings.ts). */
export interface AppTimings {
  readonly loadAt: number | null;
  readonly openedAt: number | null;
  readonly scalesDoneAt: number | null;
  readonly doneAt: number | null;
  readonly quantDoneAt: number | null;
  readonly workers: number;
  readonly read: { readonly chunkBytes?: number; readonly streamsPerRead?: number };
}

export interface AppTuning {
  readonly workers?: number;
  readonly chunkBytes?: number;
  readonly streamsPerRead?: number;
}

/** A fresh page with the app loaded and idle; `tuning` overrides how the scan reads. */
export async function openApp(browser: Browser, url: string, tuning?: AppTuning): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // tsx compiles this file with esbuild's keepNames: functions passed to page.evaluate may call
  // its `__name` helper, which the page does not have.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (tuning !== undefined) {
    await page.addInitScript((t) => {
      (globalThis as { __ckptscopeTuning?: unknown }).__ckptscopeTuning = t;
    }, tuning);
  }
  await page.goto(url);
  await page.waitForSelector('[data-testid=scan-status][data-state=idle]');
  return page;
}

export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

const APP_INPUT = '[data-testid=drop-zone] input[type=file]';
const DONE = '[data-testid=scan-status][data-state=done]';

function readTimings(page: Page): Promise<AppTimings | null> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { __ckptscope?: { timings: AppTimings } }).__ckptscope?.timings ??
      null,
  );
}

/**
 * Drops `path` on the app (again, if the page already scanned something: the store cancels and
 * starts over) and waits for that scan to end; the store's timings of it.
 */
export async function appScan(page: Page, path: string, timeoutMs: number): Promise<AppTimings> {
  const before = (await readTimings(page))?.loadAt ?? null;
  await page.locator(APP_INPUT).setInputFiles(path);
  await page.waitForFunction(
    (previous) => {
      const t = (globalThis as unknown as { __ckptscope?: { timings: AppTimings } }).__ckptscope
        ?.timings;
      return t !== undefined && t.loadAt !== previous && t.doneAt !== null;
    },
    before,
    { timeout: timeoutMs, polling: 50 },
  );
  const timings = await readTimings(page);
  if (timings === null) {
    throw new Error('the app published no timings');
  }
  return timings;
}

/**
 * A bare read of a File in workers: each worker reads its contiguous share of the file as
 * `chunk`-byte slices, `streams` BYOB streams at a time, into reused 1 MiB buffers (nothing is
 * computed; strong references kept, as feasibility.md requires).
 */
const BARE_READ_WORKER = `
const keep = new Set();
self.onmessage = async (e) => {
  const { file, start, end, streams, chunk } = e.data;
  let next = start;
  const lane = async () => {
    let buf = new ArrayBuffer(1 << 20);
    while (next < end) {
      const a = next;
      const b = Math.min(end, a + chunk);
      next = b;
      const slice = file.slice(a, b);
      const stream = slice.stream();
      const reader = stream.getReader({ mode: 'byob' });
      const ref = { slice, stream, reader };
      keep.add(ref);
      for (;;) {
        const { done, value } = await reader.read(new Uint8Array(buf));
        buf = value !== undefined && value.buffer.byteLength > 0 ? value.buffer : new ArrayBuffer(1 << 20);
        if (done) break;
      }
      keep.delete(ref);
    }
  };
  await Promise.all(Array.from({ length: streams }, lane));
  self.postMessage('done');
};
`;

const BENCH_INPUT_ID = 'ckptscope-bench-input';

/**
 * Times a bare read of `path` in `page` (the same File object kind the app gets: a hidden input's
 * `files[0]` set by setInputFiles): `workers` workers x `streams` BYOB streams of `chunk`-byte
 * slices. Resolves with the seconds taken, or null when it did not finish in `timeoutMs` (the
 * Chromium BYOB hang; the bare read has no watchdog).
 */
export async function bareRead(
  page: Page,
  path: string,
  workers: number,
  streams: number,
  chunk: number,
  timeoutMs: number,
): Promise<number | null> {
  await page.evaluate((id) => {
    if (document.getElementById(id) === null) {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = id;
      input.style.display = 'none';
      document.body.append(input);
    }
  }, BENCH_INPUT_ID);
  await page.locator(`#${BENCH_INPUT_ID}`).setInputFiles(path);
  return page.evaluate(
    async ({ id, code, workers, streams, chunk, timeoutMs }) => {
      const input = document.getElementById(id) as HTMLInputElement;
      const file = input.files?.[0];
      if (file === undefined) {
        throw new Error('bench input holds no file');
      }
      const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
      const pool = Array.from({ length: workers }, () => new Worker(url));
      const share = Math.ceil(file.size / workers / chunk) * chunk;
      const t0 = performance.now();
      const all = Promise.all(
        pool.map(
          (w, i) =>
            new Promise<void>((resolve) => {
              w.onmessage = () => resolve();
              const start = Math.min(file.size, i * share);
              w.postMessage({
                file,
                start,
                end: Math.min(file.size, start + share),
                streams,
                chunk,
              });
            }),
        ),
      );
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), timeoutMs));
      const finished = await Promise.race([all.then(() => true), timeout]);
      const seconds = (performance.now() - t0) / 1000;
      for (const w of pool) {
        w.terminate();
      }
      URL.revokeObjectURL(url);
      return finished === null ? null : seconds;
    },
    { id: BENCH_INPUT_ID, code: BARE_READ_WORKER, workers, streams, chunk, timeoutMs },
  );
}

/** Resolves after the page has rendered two more frames (what was committed is on screen). */
export function afterPaint(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/**
 * Drops `path` and times (from just before the drop, in ms): the first table row on screen and
 * the first heatmap cell on screen.
 */
export async function timeTableAndHeatmap(
  page: Page,
  path: string,
  timeoutMs: number,
): Promise<{ tableMs: number; heatmapMs: number }> {
  const t0 = Date.now();
  await page.locator(APP_INPUT).setInputFiles(path);
  const table = page
    .waitForSelector('[data-testid=tensor-row]', { timeout: timeoutMs })
    .then(() => Date.now() - t0);
  const heatmap = page
    .waitForSelector('[data-testid=heatmap-cell]', { timeout: timeoutMs })
    .then(() => Date.now() - t0);
  const [tableMs, heatmapMs] = await Promise.all([table, heatmap]);
  return { tableMs, heatmapMs };
}

export async function waitForDone(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForSelector(DONE, { timeout: timeoutMs, state: 'attached' });
}

/**
 * Waits until the quantization analysis of the latest scan is back on the page (it starts once the
 * scales are scanned and may end after the scan); ms from the drop to then.
 */
export async function waitForQuant(page: Page, timeoutMs: number): Promise<number> {
  await page.waitForFunction(
    () =>
      ((globalThis as unknown as { __ckptscope?: { timings: AppTimings } }).__ckptscope?.timings
        .quantDoneAt ?? null) !== null,
    null,
    { timeout: timeoutMs, polling: 50 },
  );
  const t = await readTimings(page);
  if (t === null || t.loadAt === null || t.quantDoneAt === null) {
    throw new Error('the app published no analysis timing');
  }
  return t.quantDoneAt - t.loadAt;
}

/**
 * Scrolls the tensor table for `ms` by `step` px per animation frame and counts the frames that
 * took longer than 1.5 refresh intervals (a dropped frame). The refresh interval is the median
 * frame time of an idle second measured first.
 */
export function scrollFrames(
  page: Page,
  ms: number,
  step: number,
): Promise<{ frames: number; dropped: number; longestMs: number; refreshMs: number }> {
  return page.evaluate(
    async ({ ms, step }) => {
      const frameTimes = async (duration: number, onFrame: () => void): Promise<number[]> => {
        const times: number[] = [];
        const start = performance.now();
        let last = start;
        await new Promise<void>((resolve) => {
          const tick = (now: number): void => {
            times.push(now - last);
            last = now;
            onFrame();
            if (now - start < duration) {
              requestAnimationFrame(tick);
            } else {
              resolve();
            }
          };
          requestAnimationFrame((now) => {
            last = now;
            requestAnimationFrame(tick);
          });
        });
        return times;
      };
      const idle = (await frameTimes(1000, () => undefined)).sort((a, b) => a - b);
      const refreshMs = idle[Math.floor(idle.length / 2)] ?? 16.7;
      // The scrolling element: the nearest scrollable ancestor of the first table row.
      const row = document.querySelector('[data-testid=tensor-row]');
      let scroller: Element | null = row;
      while (scroller !== null && scroller.scrollHeight <= scroller.clientHeight + 1) {
        scroller = scroller.parentElement;
      }
      const target = scroller ?? document.scrollingElement;
      if (target === null) {
        throw new Error('no scrollable table');
      }
      // Write-only, like a wheel or a scrollbar drag: reading scrollTop back in the frame callback
      // would force a layout there, on top of the frame's own.
      const end = target.scrollHeight - target.clientHeight;
      let position = target.scrollTop;
      let direction = 1;
      const times = await frameTimes(ms, () => {
        if (position + direction * step > end || position + direction * step < 0) {
          direction = -direction;
        }
        position += direction * step;
        target.scrollTop = position;
      });
      return {
        frames: times.length,
        dropped: times.filter((t) => t > 1.5 * refreshMs).length,
        longestMs: Math.max(...times),
        refreshMs,
      };
    },
    { ms, step },
  );
}

/**
 * Opens the layers x experts drill-down of the first MoE module cell and times it in the page:
 * from the click to `cells` cells in the DOM, plus two frames (painted).
 */
export function timeExpertDrill(page: Page, cells: number): Promise<number> {
  return page.evaluate(async (cells) => {
    const all = [...document.querySelectorAll<HTMLElement>('[data-testid=heatmap-cell]')];
    const moe = all.find((c) => /expert/i.test(c.title) || /experts/i.test(c.dataset.module ?? ''));
    if (moe === undefined) {
      throw new Error('no MoE cell in the heatmap');
    }
    const t0 = performance.now();
    moe.click();
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (document.querySelectorAll('[data-testid=heatmap-cell]').length >= cells) {
          resolve();
        } else if (performance.now() - t0 > 30_000) {
          reject(new Error('the experts heatmap did not draw in 30 s'));
        } else {
          requestAnimationFrame(check);
        }
      };
      check();
    });
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    return performance.now() - t0;
  }, cells);
}
