/**
 * The diff rows of `npm run bench` (issue 15): `ckptscope diff` of a BF16 checkpoint against its
 * NVFP4 version (the layout of the main bench file, with the same module names), with as many
 * threads as the scan, timed against the CLI's scan of the larger side in the same run (and on one
 * thread, for information); and its peak RSS (one thread) when both sides are
 * BENCH_DIFF_GIB (default 2) of BF16 against a run on an eighth of that (memory must stay flat).
 * Alone (after `npm run build:cli`): `npx tsx scripts/bench/diff.ts` (BENCH_RUNS, default 3).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BenchTensor } from './checkpoints';
import { ensureCheckpoint } from './checkpoints';
import { cliScan } from './cli';

const GIB = 1024 ** 3;
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ckptscope.mjs');
const GNU_TIME = '/usr/bin/time';
const HIDDEN = 4096;
const INTERMEDIATE = 14336;
const KV = 1024;
const VOCAB = 8192;
/** Both-sides size of the memory row, and the throughput pair's BF16 side. */
const DIFF_GIB = Number(process.env.BENCH_DIFF_GIB ?? '2');
/** The small run the 2 GiB one is held against (memory is flat when they are about the same). */
const SMALL_SHARE = 1 / 8;

export interface DiffRow {
  readonly target: string;
  readonly measured: string;
  readonly reference: string;
  readonly ratio: number | null;
  readonly met: boolean | null;
}

function t(name: string, dtype: BenchTensor['dtype'], shape: number[]): BenchTensor {
  const size = { BF16: 2, U8: 1, F8_E4M3: 1, F32: 4 }[dtype];
  return { name, dtype, shape, bytes: shape.reduce((n, d) => n * d, 1) * size };
}

const LINEARS: readonly (readonly [string, number, number])[] = [
  ['self_attn.q_proj', HIDDEN, HIDDEN],
  ['self_attn.k_proj', KV, HIDDEN],
  ['self_attn.v_proj', KV, HIDDEN],
  ['self_attn.o_proj', HIDDEN, HIDDEN],
  ['mlp.gate_proj', INTERMEDIATE, HIDDEN],
  ['mlp.up_proj', INTERMEDIATE, HIDDEN],
  ['mlp.down_proj', HIDDEN, INTERMEDIATE],
];

/** A Llama-8B-shaped checkpoint of `layers` layers, its Linears BF16 or NVFP4 (ModelOpt layout). */
function layout(layers: number, nvfp4: boolean): BenchTensor[] {
  const out = [t('model.embed_tokens.weight', 'BF16', [VOCAB, HIDDEN])];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}`;
    out.push(t(`${p}.input_layernorm.weight`, 'BF16', [HIDDEN]));
    for (const [m, rows, cols] of LINEARS) {
      if (nvfp4) {
        out.push(t(`${p}.${m}.weight`, 'U8', [rows, cols / 2]));
        out.push(t(`${p}.${m}.weight_scale`, 'F8_E4M3', [rows, cols / 16]));
        out.push(t(`${p}.${m}.weight_scale_2`, 'F32', []));
        out.push(t(`${p}.${m}.input_scale`, 'F32', []));
      } else {
        out.push(t(`${p}.${m}.weight`, 'BF16', [rows, cols]));
      }
    }
  }
  out.push(t('model.norm.weight', 'BF16', [HIDDEN]));
  out.push(t('lm_head.weight', 'BF16', [VOCAB, HIDDEN]));
  return out;
}

/**
 * The same checkpoint with one tiny tensor in front: the bench writer's per-tensor twist bytes
 * then land elsewhere, so every tensor differs in a few bytes and is compared in full (a byte-equal
 * copy would only be byte-compared).
 */
function moved(tensors: BenchTensor[]): BenchTensor[] {
  return [t('model.extra.weight', 'BF16', [16]), ...tensors];
}

function layersFor(bytes: number): number {
  const size = (layers: number): number => layout(layers, false).reduce((n, x) => n + x.bytes, 0);
  let layers = 1;
  while (size(layers) < bytes) {
    layers++;
  }
  return layers;
}

function file(scratch: string, name: string, tensors: BenchTensor[]): string {
  const path = join(scratch, 'diff', name);
  ensureCheckpoint(path, tensors, { format: 'pt' });
  return path;
}

interface DiffRun {
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** Threads of the timed diff: one per core, at most 4, as the scan it is held against. */
const DIFF_THREADS = Math.max(1, Math.min(4, availableParallelism()));

function cliDiff(a: string, b: string, extra: readonly string[] = []): DiffRun {
  const args = [BIN, 'diff', '--json', '--no-progress', ...extra, a, b];
  const timed = existsSync(GNU_TIME);
  const t0 = performance.now();
  const r = timed
    ? spawnSync(GNU_TIME, ['-f', '%M', process.execPath, ...args], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  // 1 is expected: the pattern data of the two sides are unrelated (and NVFP4 holds NaN scales).
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`ckptscope diff ${a} ${b} exited ${r.status}: ${r.stderr}`);
  }
  const rssKb = timed ? Number(r.stderr.trim().split('\n').pop()) : Number.NaN;
  return { seconds, peakRssMb: (rssKb * 1024) / 1e6 };
}

const gbps = (v: number): string => `${v.toFixed(2)} GB/s`;

/** Generates the diff's files under `scratch` (reused while their size matches) and measures. */
export function benchDiff(scratch: string, runs: number): DiffRow[] {
  const layers = layersFor(DIFF_GIB * GIB);
  const bf16 = file(scratch, `bf16-${layers}.safetensors`, layout(layers, false));
  const bf16b = file(scratch, `bf16-${layers}-b.safetensors`, moved(layout(layers, false)));
  const nvfp4 = file(scratch, `nvfp4-${layers}.safetensors`, layout(layers, true));
  const smallLayers = Math.max(1, Math.round(layers * SMALL_SHARE));
  const small = file(scratch, `bf16-${smallLayers}.safetensors`, layout(smallLayers, false));
  const smallB = file(
    scratch,
    `bf16-${smallLayers}-b.safetensors`,
    moved(layout(smallLayers, false)),
  );
  const size = statSync(bf16).size;
  const scans: number[] = [];
  const diffs: number[] = [];
  const ones: number[] = [];
  const threads = ['--threads', String(DIFF_THREADS)];
  for (let i = 0; i < runs; i++) {
    scans.push(cliScan(bf16, [], 0).gbps);
    diffs.push(size / cliDiff(bf16, nvfp4, threads).seconds / 1e9);
    ones.push(size / cliDiff(bf16, nvfp4, ['--threads', '1']).seconds / 1e9);
  }
  const med = (v: number[]): number => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
  const scan = med(scans);
  const diff = med(diffs);
  const one = med(ones);
  const same = cliDiff(bf16, bf16b);
  const few = cliDiff(small, smallB);
  const flat = same.peakRssMb <= few.peakRssMb * 1.25 + 20;
  const gib = (p: string): string => `${(statSync(p).size / GIB).toFixed(2)} GiB`;
  return [
    {
      target: `CLI diff BF16 ${gib(bf16)} vs NVFP4 ${gib(nvfp4)}, --threads ${DIFF_THREADS}, vs scan of the larger (>= 0.5)`,
      measured: gbps(diff),
      reference: gbps(scan),
      ratio: diff / scan,
      met: diff / scan >= 0.5,
    },
    {
      target: `  CLI diff BF16 vs NVFP4, --threads 1 (info)`,
      measured: gbps(one),
      reference: gbps(scan),
      ratio: one / scan,
      met: null,
    },
    {
      target: `  CLI diff BF16 vs BF16, both ${gib(bf16)}, one thread: throughput (info)`,
      measured: gbps(size / same.seconds / 1e9),
      reference: gbps(scan),
      ratio: size / same.seconds / 1e9 / scan,
      met: null,
    },
    {
      target: `CLI diff peak RSS, both sides ${gib(bf16)} (flat vs ${gib(small)})`,
      measured: `${same.peakRssMb.toFixed(0)} MB`,
      reference: `${few.peakRssMb.toFixed(0)} MB`,
      ratio: same.peakRssMb / few.peakRssMb,
      met: flat,
    },
  ];
}

if (process.argv[1]?.endsWith('diff.ts') === true) {
  const scratch = existsSync('/dev/shm')
    ? '/dev/shm/ckptscope-bench'
    : join(import.meta.dirname, '..', '..', 'bench-data');
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? '3'));
  for (const r of benchDiff(scratch, runs)) {
    const met = r.met === null ? '' : r.met ? 'yes' : 'no';
    const ratio = r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`;
    process.stdout.write(`${r.target}  ${r.measured}  ${r.reference}  ${ratio}  ${met}\n`);
  }
}
