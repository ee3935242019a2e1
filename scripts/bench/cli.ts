/**
 * The CLI half of `npm run bench`: the raw read speed of a file in this Node process, the CLI's
 * full scan of it (a child process, timed from spawn to exit, peak RSS by GNU time), and the
 * numpy scan users write by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ckptscope.mjs');
/** GNU time reports the child's peak RSS (`%M`, KiB); without it RSS is NaN. */
const GNU_TIME = '/usr/bin/time';

/** GB/s (10^9 bytes) of reading the whole file into one reused `chunkBytes` buffer. */
export async function rawRead(path: string, chunkBytes: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const size = (await handle.stat()).size;
    const t0 = performance.now();
    for (let position = 0; position < size;) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(chunkBytes, size - position),
        position,
      );
      if (bytesRead === 0) {
        throw new Error(`${path}: short read at ${position}`);
      }
      position += bytesRead;
    }
    return size / ((performance.now() - t0) / 1000) / 1e9;
  } finally {
    await handle.close();
  }
}

export interface CliRun {
  readonly gbps: number;
  readonly seconds: number;
  /** Peak RSS of the CLI process in MB (10^6 bytes), NaN without GNU time. */
  readonly peakRssMb: number;
  readonly stdout: string;
}

/**
 * Runs `ckptscope scan --json --no-progress [extra…] path`; expects exit status `status` (1 by
 * default: the bench's NVFP4 files hold NaN scales) and fails otherwise.
 */
export function cliScan(path: string, extra: readonly string[] = [], status = 1): CliRun {
  const size = statSync(path).size;
  const timed = existsSync(GNU_TIME);
  const args = [BIN, 'scan', '--json', '--no-progress', ...extra, path];
  const t0 = performance.now();
  const r = timed
    ? spawnSync(GNU_TIME, ['-f', '%M', process.execPath, ...args], {
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
      })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== status) {
    throw new Error(
      `ckptscope scan ${extra.join(' ')} ${path} exited ${r.status} (expected ${status}): ${r.stderr}`,
    );
  }
  const rssKb = timed ? Number(r.stderr.trim().split('\n').pop()) : Number.NaN;
  return { gbps: size / seconds / 1e9, seconds, peakRssMb: (rssKb * 1024) / 1e6, stdout: r.stdout };
}

/**
 * The scan users write by hand today: numpy over a memory map, 64 MiB at a time (the faster of
 * the by-hand variants in feasibility.md), NaN/Inf counts of floats and a byte histogram of FP8
 * scales and packed FP4 weights (what ckptscope reports at least).
 */
const NUMPY_SCAN = `
import sys, json, time, numpy as np
path = sys.argv[1]
t0 = time.perf_counter()
raw = np.memmap(path, dtype=np.uint8, mode='r')
n = int(raw[:8].view(np.uint64)[0])
header = json.loads(bytes(raw[8:8+n]))
base = 8 + n
STEP = 64 << 20
bad = 0
for name, t in header.items():
    if name == '__metadata__':
        continue
    a, b = t['data_offsets']
    for s in range(base + a, base + b, STEP):
        data = raw[s:min(base + b, s + STEP)]
        d = t['dtype']
        if d in ('F8_E4M3', 'U8'):
            h = np.bincount(data, minlength=256)
            if d == 'F8_E4M3':
                bad += int(h[0x7f] + h[0xff])
        elif d == 'BF16':
            v = data.view(np.uint16)
            bad += int(np.count_nonzero((v & 0x7fff) >= 0x7f80))
        elif d == 'F32':
            bad += int(np.count_nonzero(~np.isfinite(data.view(np.float32))))
print(json.dumps({"seconds": time.perf_counter() - t0, "bad": bad}))
`;

/** GB/s of the numpy scan, or null when python3 with numpy is not installed. */
export function numpyScan(path: string): number | null {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return null;
  }
  const r = spawnSync('python3', ['-c', NUMPY_SCAN, path], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`numpy scan failed: ${r.stderr}`);
  }
  const { seconds } = JSON.parse(r.stdout) as { seconds: number };
  return statSync(path).size / seconds / 1e9;
}
