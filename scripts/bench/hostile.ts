/**
 * The "hostile inputs" rows of `npm run bench` (issue 11): inputs that used to crash, hang or take
 * super-linear time, each run through the CLI (a child process: seconds, peak RSS by GNU time,
 * exit status).
 *
 * - an index listing 130,000 tensors the shards do not hold (crashed with exit 70: a spread into
 *   push overflowed the stack). Target: exit 1 or 2 with the report.
 * - a ModelOpt `exclude_modules` glob `*a*a*a*a*a*a*a*a*a*a*a*a*b` against a 40-character module
 *   name, and a compressed-tensors `re:(.*)*\1b` (hung for minutes). Target: under 5 s.
 * - 40,000 and 100,000 NVFP4 experts in one layer (76 s and > 300 s before: missingInputScales
 *   rebuilt the sibling lists). Target: 100,000 under 10 s.
 * - 1,000,000 zero-size tensors, `scan` and `scan --json`. Target: under 20 s and 1.5 GB each.
 * - an all-NaN F32 file against a finite one of the same size (27x slower before: a JS call per
 *   NaN). Target: at most 2x. Size: BENCH_NAN_GIB (default 1 GiB; the issue's figure is 4 GB).
 *
 * Runnable alone (a built CLI): `tsx scripts/bench/hostile.ts [SCRATCH] [ROW...]`, ROW among
 * `phantom`, `redos`, `experts`, `million`, `nan` (default: every row).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ckptscope.mjs');
const GNU_TIME = '/usr/bin/time';
const GIB = 1024 ** 3;
const NAN_GIB = Number(process.env.BENCH_NAN_GIB ?? '1');
const PHANTOM_TENSORS = 130_000;
const EXPERT_COUNTS = [40_000, 100_000];
const ZERO_TENSORS = 1_000_000;
/** The issue's bounds. */
const REDOS_LIMIT_S = 5;
const EXPERTS_LIMIT_S = 10;
const MILLION_LIMIT_S = 20;
const MILLION_LIMIT_MB = 1500;
const NAN_RATIO_LIMIT = 2;

/** The groups of rows, selectable when the file runs alone (the full bench runs them all). */
export const HOSTILE_ROW_GROUPS = ['phantom', 'redos', 'experts', 'million', 'nan'] as const;
export type HostileRowGroup = (typeof HOSTILE_ROW_GROUPS)[number];

export interface HostileRow {
  readonly target: string;
  readonly measured: string;
  readonly reference: string;
  readonly ratio: number | null;
  readonly met: boolean | null;
}

interface Run {
  readonly seconds: number;
  /** User + system CPU seconds of the CLI (GNU time): what the machine's load does not inflate. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly status: number | null;
}

/** `ckptscope scan ARGS…` with stdout discarded: seconds, peak RSS (GNU time) and exit status. */
function scan(args: readonly string[]): Run {
  const timed = existsSync(GNU_TIME);
  const argv = [BIN, 'scan', '--no-progress', ...args];
  const t0 = performance.now();
  const r = timed
    ? spawnSync(GNU_TIME, ['-f', '%M %U %S', process.execPath, ...argv], {
        encoding: 'utf8',
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      })
    : spawnSync(process.execPath, argv, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  const lines = (r.stderr ?? '').trim().split('\n');
  const [kib, user, system] = timed
    ? (lines[lines.length - 1] ?? '').split(' ').map(Number)
    : [Number.NaN, Number.NaN, Number.NaN];
  return {
    seconds,
    cpuSeconds: user + system,
    peakRssMb: (kib * 1024) / 1e6,
    status: r.status,
  };
}

/** Writes a safetensors file: its tensors (name, dtype, shape, bytes) and a filler for the data. */
function writeSafetensors(
  path: string,
  tensors: readonly { name: string; dtype: string; shape: number[]; bytes: number }[],
  fill: (fd: number, bytes: number) => void,
): void {
  const parts: string[] = [];
  let offset = 0;
  for (const t of tensors) {
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${offset + t.bytes}]}`,
    );
    offset += t.bytes;
  }
  let header = `{${parts.join(',')}}`;
  header += ' '.repeat((8 - (Buffer.byteLength(header) % 8)) % 8);
  const headerBytes = Buffer.from(header);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(headerBytes.length));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, headerBytes);
    fill(fd, offset);
  } finally {
    closeSync(fd);
  }
}

const zeros = (fd: number, bytes: number): void => {
  const block = Buffer.alloc(Math.min(bytes, 1 << 20));
  for (let done = 0; done < bytes; done += block.length) {
    writeSync(fd, block, 0, Math.min(block.length, bytes - done));
  }
};

/** F32 data: all NaN, or finite values (a ramp, no zeros, NaN or Inf). */
function f32Fill(nan: boolean): (fd: number, bytes: number) => void {
  return (fd, bytes) => {
    const block = new Float32Array(1 << 20);
    for (let i = 0; i < block.length; i++) {
      block[i] = nan ? Number.NaN : ((i % 1000) + 1) * 0.001;
    }
    const buf = Buffer.from(block.buffer);
    for (let done = 0; done < bytes; done += buf.length) {
      writeSync(fd, buf, 0, Math.min(buf.length, bytes - done));
    }
  };
}

function folder(scratch: string, name: string): string {
  const dir = join(scratch, 'hostile', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function phantomIndex(scratch: string): string {
  const dir = folder(scratch, 'phantom-index');
  const shard = 'model-00001-of-00001.safetensors';
  writeSafetensors(
    join(dir, shard),
    [{ name: 'real.weight', dtype: 'F32', shape: [2], bytes: 8 }],
    (fd) => writeSync(fd, Buffer.from(Float32Array.of(1, Number.NaN).buffer)),
  );
  const weightMap: Record<string, string> = { 'real.weight': shard };
  for (let i = 0; i < PHANTOM_TENSORS; i++) {
    weightMap[`model.layers.${i}.phantom.weight`] = shard;
  }
  writeFileSync(
    join(dir, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: { total_size: 8 }, weight_map: weightMap }),
  );
  return dir;
}

/** FP8 per-tensor Linears named `p` (weight, scalar scale). */
function fp8(p: string): { name: string; dtype: string; shape: number[]; bytes: number }[] {
  return [
    { name: `${p}.weight`, dtype: 'F8_E4M3', shape: [2, 2], bytes: 4 },
    { name: `${p}.weight_scale`, dtype: 'F32', shape: [], bytes: 4 },
  ];
}

function redosConfig(scratch: string, kind: 'glob' | 'regex'): string {
  const dir = folder(scratch, `redos-${kind}`);
  const name = `model.${'a'.repeat(34)}`;
  writeSafetensors(
    join(dir, 'model.safetensors'),
    [...fp8(name), ...fp8('model.layers.0.mlp.down_proj')],
    zeros,
  );
  if (kind === 'glob') {
    writeFileSync(
      join(dir, 'hf_quant_config.json'),
      JSON.stringify({
        quantization: { quant_algo: 'FP8', exclude_modules: ['*a*a*a*a*a*a*a*a*a*a*a*a*b'] },
      }),
    );
  } else {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        quantization_config: {
          quant_method: 'compressed-tensors',
          format: 'float-quantized',
          config_groups: { g: { weights: { type: 'float', num_bits: 8, strategy: 'tensor' } } },
          ignore: ['re:(.*)*\\1b', 're:(a*)*(a|aa)*b'],
        },
      }),
    );
  }
  return dir;
}

/** `count` ModelOpt NVFP4 experts of one layer; every 1,000th without its input_scale. */
function experts(scratch: string, count: number): string {
  const path = join(scratch, 'hostile', `experts-${count}.safetensors`);
  if (existsSync(path)) {
    return path;
  }
  mkdirSync(join(scratch, 'hostile'), { recursive: true });
  const tensors: { name: string; dtype: string; shape: number[]; bytes: number }[] = [];
  for (let e = 0; e < count; e++) {
    const p = `model.layers.0.mlp.experts.${e}.up_proj`;
    tensors.push({ name: `${p}.weight`, dtype: 'U8', shape: [2, 8], bytes: 16 });
    tensors.push({ name: `${p}.weight_scale`, dtype: 'F8_E4M3', shape: [2, 1], bytes: 2 });
    tensors.push({ name: `${p}.weight_scale_2`, dtype: 'F32', shape: [], bytes: 4 });
    if (e % 1000 !== 7) {
      tensors.push({ name: `${p}.input_scale`, dtype: 'F32', shape: [], bytes: 4 });
    }
  }
  writeSafetensors(path, tensors, zeros);
  return path;
}

function zeroTensors(scratch: string): string {
  const path = join(scratch, 'hostile', `zero-${ZERO_TENSORS}.safetensors`);
  if (!existsSync(path)) {
    mkdirSync(join(scratch, 'hostile'), { recursive: true });
    const tensors = Array.from({ length: ZERO_TENSORS }, (_, i) => ({
      name: `layers.${Math.floor(i / 768)}.experts.${Math.floor(i / 3) % 256}.w${(i % 3) + 1}.weight`,
      dtype: 'F32',
      shape: [0],
      bytes: 0,
    }));
    writeSafetensors(path, tensors, zeros);
  }
  return path;
}

function f32File(scratch: string, nan: boolean): string {
  const bytes = Math.round((NAN_GIB * GIB) / 4096 / 4) * 4096 * 4;
  const path = join(scratch, 'hostile', `${nan ? 'nan' : 'finite'}-${NAN_GIB}gib.safetensors`);
  if (!existsSync(path) || statSync(path).size < bytes) {
    mkdirSync(join(scratch, 'hostile'), { recursive: true });
    writeSafetensors(
      path,
      [{ name: 'w', dtype: 'F32', shape: [bytes / 4 / 4096, 4096], bytes }],
      f32Fill(nan),
    );
  }
  return path;
}

function secondsText(r: Run): string {
  return `${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), ${Math.round(r.peakRssMb)} MB, exit ${r.status ?? 'signal'}`;
}

/** Every hostile-input row (files generated into `scratch/hostile` on first use). */
export function benchHostile(
  scratch: string,
  log: (line: string) => void = () => {},
  groups: ReadonlySet<HostileRowGroup> = new Set(HOSTILE_ROW_GROUPS),
): HostileRow[] {
  const rows: HostileRow[] = [];
  if (groups.has('phantom')) {
    log('hostile: an index listing 130,000 tensors the shards do not hold…');
    const phantom = scan([phantomIndex(scratch)]);
    rows.push({
      target: 'index of 130,000 missing tensors: exit 1 or 2 with a report',
      measured: secondsText(phantom),
      reference: 'exit 70 (stack overflow) before',
      ratio: null,
      met: phantom.status === 1 || phantom.status === 2,
    });
  }
  for (const kind of groups.has('redos') ? (['glob', 'regex'] as const) : []) {
    log(`hostile: ReDoS ${kind} in the config…`);
    const r = scan([redosConfig(scratch, kind)]);
    rows.push({
      target: `ReDoS ${kind === 'glob' ? 'exclude_modules glob' : 're: pattern'} < ${REDOS_LIMIT_S} s`,
      measured: secondsText(r),
      reference: 'hung > 60 s before',
      ratio: null,
      met: r.seconds < REDOS_LIMIT_S && (r.status === 0 || r.status === 1),
    });
  }
  for (const count of groups.has('experts') ? EXPERT_COUNTS : []) {
    log(`hostile: ${count.toLocaleString('en-US')} experts in one layer…`);
    const r = scan([experts(scratch, count)]);
    rows.push({
      target: `${count.toLocaleString('en-US')} experts in one layer${count >= 100_000 ? ` < ${EXPERTS_LIMIT_S} s` : ''}`,
      measured: secondsText(r),
      reference: count === 40_000 ? '76 s before' : '> 300 s, 2.7 GB before',
      ratio: null,
      met: count >= 100_000 ? r.seconds < EXPERTS_LIMIT_S : null,
    });
  }
  for (const json of groups.has('million') ? [false, true] : []) {
    log(`hostile: 1,000,000 zero-size tensors${json ? ' --json' : ''}…`);
    const million = zeroTensors(scratch);
    const r = scan(json ? ['--json', million] : [million]);
    rows.push({
      target: `1M zero-size tensors${json ? ' --json' : ''} < ${MILLION_LIMIT_S} s, < ${MILLION_LIMIT_MB / 1000} GB`,
      measured: secondsText(r),
      reference: json ? '97 s, 3.7 GB before' : '52 s, 1.3 GB before',
      ratio: null,
      met: r.seconds < MILLION_LIMIT_S && r.peakRssMb < MILLION_LIMIT_MB,
    });
  }
  if (!groups.has('nan')) {
    return rows;
  }
  log(`hostile: all-NaN against finite F32 (${NAN_GIB} GiB each)…`);
  const finitePath = f32File(scratch, false);
  const nanPath = f32File(scratch, true);
  // CPU seconds (best of two): the ratio should not depend on what else the machine runs.
  const best = (path: string): number => Math.min(scan([path]).cpuSeconds, scan([path]).cpuSeconds);
  const finite = best(finitePath);
  const nan = best(nanPath);
  rows.push({
    target: `all-NaN F32 scan within ${NAN_RATIO_LIMIT}x of finite (${NAN_GIB} GiB, CPU time)`,
    measured: `CPU ${nan.toFixed(2)} s`,
    reference: `finite CPU ${finite.toFixed(2)} s (27x before)`,
    ratio: nan / finite,
    met: nan / finite <= NAN_RATIO_LIMIT,
  });
  return rows;
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const scratch =
    process.argv[2] ?? (existsSync('/dev/shm') ? '/dev/shm/ckptscope-bench' : 'bench-data');
  const asked = process.argv.slice(3);
  const unknown = asked.filter((a) => !(HOSTILE_ROW_GROUPS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    throw new Error(
      `unknown row(s) ${unknown.join(', ')}: expected ${HOSTILE_ROW_GROUPS.join(', ')}`,
    );
  }
  const groups = new Set(HOSTILE_ROW_GROUPS.filter((g) => asked.length === 0 || asked.includes(g)));
  for (const r of benchHostile(scratch, (line) => process.stderr.write(`${line}\n`), groups)) {
    process.stdout.write(
      `${r.met === null ? '    ' : r.met ? 'yes ' : 'NO  '} ${r.target.padEnd(62)} ${r.measured.padEnd(30)} ${r.reference}${r.ratio === null ? '' : ` (ratio ${r.ratio.toFixed(2)})`}\n`,
    );
  }
}
