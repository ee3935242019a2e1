/**
 * `npm run bench`: measures the CLI's full scan against the raw read speed of the same file, in the
 * same run, and (when python3 with numpy is present) against the numpy scan users write by hand.
 *
 * The synthetic checkpoint (BF16 weights, FP8 E4M3 block scales with a few NaN bytes) is generated
 * once into a scratch folder (tmpfs at /dev/shm when present: this VM evicts page cache within
 * seconds, which would make disk numbers drift) and never committed.
 * Sizes: BENCH_GIB (default 1) sets the checkpoint size; BENCH_RUNS (default 3) the repetitions.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  writeSync,
  statSync,
  fstatSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const TARGET_GIB = Number(process.env.BENCH_GIB ?? '1');
const RUNS = Number(process.env.BENCH_RUNS ?? '3');
/** Same chunk size the CLI uses by default (core/scan/scan-tensor.ts DEFAULT_CHUNK_BYTES). */
const READ_CHUNK_BYTES = 8 * MIB;
const ROWS = 4096;
const COLS = 4096;
const SCALE_COLS = COLS / 16;

const scratch = existsSync('/dev/shm')
  ? '/dev/shm/ckptscope-bench'
  : join(import.meta.dirname, '..', 'bench-data');
const benchFile = join(scratch, `bench-${TARGET_GIB}g.safetensors`);
/** GNU time reports the child's peak RSS (`%M`); without it the RSS line says n/a. */
const GNU_TIME = '/usr/bin/time';
const BIN = join(import.meta.dirname, '..', 'bin', 'ckptscope.mjs');

interface Layer {
  name: string;
  dtype: 'BF16' | 'F8_E4M3';
  shape: number[];
  bytes: number;
}

function layout(): Layer[] {
  const weightBytes = ROWS * COLS * 2;
  const scaleBytes = ROWS * SCALE_COLS;
  const layers = Math.max(1, Math.round((TARGET_GIB * GIB) / (weightBytes + scaleBytes)));
  const out: Layer[] = [];
  for (let i = 0; i < layers; i++) {
    out.push({
      name: `model.layers.${i}.mlp.down_proj.weight_scale`,
      dtype: 'F8_E4M3',
      shape: [ROWS, SCALE_COLS],
      bytes: scaleBytes,
    });
    out.push({
      name: `model.layers.${i}.mlp.down_proj.weight`,
      dtype: 'BF16',
      shape: [ROWS, COLS],
      bytes: weightBytes,
    });
  }
  return out;
}

/** Writes the checkpoint tensor by tensor: never more than one tensor's bytes in memory. */
function generate(): void {
  mkdirSync(scratch, { recursive: true });
  const tensors = layout();
  let offset = 0;
  const entries = tensors.map((t) => {
    const e = `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${offset + t.bytes}]}`;
    offset += t.bytes;
    return e;
  });
  let header = `{${entries.join(',')}}`;
  header += ' '.repeat((8 - (header.length % 8)) % 8);
  const fd = openSync(benchFile, 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  writeSync(fd, prefix);
  writeSync(fd, header);
  // One BF16 weight pattern (values ~N(0, 0.02) via a cheap generator), reused with a per-layer twist.
  const weight = new Uint16Array(ROWS * COLS);
  let seed = 12345;
  for (let i = 0; i < weight.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const u = (seed >>> 8) / 16777216 - 0.5;
    const f = new Float32Array([u * 0.05]);
    weight[i] = new Uint16Array(f.buffer)[1] ?? 0;
  }
  const scales = new Uint8Array(ROWS * SCALE_COLS);
  for (let i = 0; i < scales.length; i++) {
    scales[i] = 0x30 + (i % 0x4e);
  }
  tensors.forEach((t, k) => {
    if (t.dtype === 'F8_E4M3') {
      const s = scales.slice();
      if (k % 10 === 0) {
        s[k % s.length] = 0x7f; // a NaN scale byte every fifth layer, as the ModelOpt bug wrote them
      }
      writeSync(fd, s);
    } else {
      weight[k] = weight[k] ^ 1;
      writeSync(fd, new Uint8Array(weight.buffer));
    }
  });
  closeSync(fd);
}

async function rawRead(): Promise<number> {
  const handle = await open(benchFile, 'r');
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  const size = (await handle.stat()).size;
  const t0 = performance.now();
  let position = 0;
  while (position < size) {
    const { bytesRead } = await handle.read(
      buffer,
      0,
      Math.min(READ_CHUNK_BYTES, size - position),
      position,
    );
    if (bytesRead === 0) {
      break;
    }
    position += bytesRead;
  }
  const seconds = (performance.now() - t0) / 1000;
  await handle.close();
  return size / seconds / 1e9;
}

function cliScan(): { gbps: number; peakRssMb: number } {
  const size = statSync(benchFile).size;
  const timed = existsSync(GNU_TIME);
  const args = [BIN, 'scan', '--json', '--no-progress', benchFile];
  const t0 = performance.now();
  const r = timed
    ? spawnSync(GNU_TIME, ['-f', '%M', process.execPath, ...args], {
        encoding: 'utf8',
        maxBuffer: 256 * MIB,
      })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * MIB });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 1) {
    throw new Error(
      `ckptscope scan exited ${r.status} (expected 1: the bench file holds NaN scales): ${r.stderr}`,
    );
  }
  const rssKb = timed ? Number(r.stderr.trim().split('\n').pop()) : Number.NaN;
  return { gbps: size / seconds / 1e9, peakRssMb: rssKb / 1024 };
}

const NUMPY_SCAN = `
import sys, json, time, numpy as np
path = sys.argv[1]
t0 = time.perf_counter()
raw = np.fromfile(path, dtype=np.uint8)
n = int(raw[:8].view(np.uint64)[0])
header = json.loads(raw[8:8+n].tobytes())
base = 8 + n
nan = 0
for name, t in header.items():
    if name == '__metadata__':
        continue
    a, b = t['data_offsets']
    data = raw[base+a:base+b]
    if t['dtype'] == 'F8_E4M3':
        h = np.bincount(data, minlength=256)
        nan += int(h[0x7f] + h[0xff])
    elif t['dtype'] == 'BF16':
        v = data.view(np.uint16)
        nan += int(np.count_nonzero((v & 0x7fff) > 0x7f80))
print(json.dumps({"seconds": time.perf_counter() - t0, "nan": nan}))
`;

function numpyScan(): number | null {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return null;
  }
  const out = execFileSync('python3', ['-c', NUMPY_SCAN, benchFile], {
    encoding: 'utf8',
    maxBuffer: 16 * MIB,
  });
  const { seconds } = JSON.parse(out) as { seconds: number };
  return statSync(benchFile).size / seconds / 1e9;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function row(cells: string[]): string {
  const widths = [44, 16, 16, 10, 6];
  return cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' ');
}

async function main(): Promise<void> {
  const expected = layout().reduce((n, t) => n + t.bytes, 0);
  if (!existsSync(benchFile) || statSync(benchFile).size < expected) {
    process.stdout.write(`generating ${benchFile} (${(expected / GIB).toFixed(2)} GiB)...\n`);
    generate();
  }
  const fd = openSync(benchFile, 'r');
  const size = fstatSync(fd).size;
  closeSync(fd);
  process.stdout.write(
    `bench file: ${benchFile}, ${(size / GIB).toFixed(2)} GiB, ${RUNS} runs each, medians\n\n`,
  );
  await rawRead(); // warm the page cache so every run reads the same way
  const reads: number[] = [];
  const scans: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    reads.push(await rawRead());
    const s = cliScan();
    scans.push(s.gbps);
    rss.push(s.peakRssMb);
  }
  const read = median(reads);
  const scan = median(scans);
  const numpy = numpyScan();
  process.stdout.write(`${row(['measure', 'value', 'reference', 'ratio', 'met'])}\n`);
  process.stdout.write(
    `${row(['raw read (Node, reused 8 MiB buffer)', `${read.toFixed(2)} GB/s`, '', '', ''])}\n`,
  );
  process.stdout.write(
    `${row(['CLI full scan vs raw read (target >= 0.85)', `${scan.toFixed(2)} GB/s`, `${read.toFixed(2)} GB/s`, (scan / read).toFixed(2), scan / read >= 0.85 ? 'yes' : 'no'])}\n`,
  );
  process.stdout.write(
    `${row(['CLI peak RSS (target < 300 MB)', `${median(rss).toFixed(0)} MB`, '300 MB', '', median(rss) < 300 ? 'yes' : 'no'])}\n`,
  );
  if (numpy !== null) {
    process.stdout.write(
      `${row(['CLI vs numpy by-hand scan (target >= 3x)', `${scan.toFixed(2)} GB/s`, `${numpy.toFixed(2)} GB/s`, (scan / numpy).toFixed(2), scan / numpy >= 3 ? 'yes' : 'no'])}\n`,
    );
  } else {
    process.stdout.write('numpy scan: skipped (python3 with numpy not found)\n');
  }
}

await main();
