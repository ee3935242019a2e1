/**
 * One-thread kernel times of the byte dtypes on 256 MiB of pseudo-random bytes in memory (no I/O):
 * packed FP4 weights decoded by role as F4, against the same bytes as raw U8 with and without a
 * histogram, and as the U8-stored E8M0 / E4M3 scale roles. Each figure is the best of RUNS (the
 * host is shared and noisy). Runnable on its own: `tsx scripts/bench/byte-kernels.ts [MIB]`.
 */
import type { Dtype } from '../../core/dtype/dtype';
import type { TensorInfo } from '../../core/format/tensor-info';
import { createKernel } from '../../core/scan/create-kernel';
import { DEFAULT_CHUNK_BYTES } from '../../core/scan/scan-tensor';
import { decodedInfo } from '../../core/scan/role-decode';
import type { DecodedAs } from '../../core/scan/role-decode';

const MIB = 1024 * 1024;
/** Timed runs per row; the fastest counts. */
const RUNS = 3;

interface Row {
  readonly label: string;
  readonly as: DecodedAs | undefined;
  readonly histogram: boolean;
}

const ROWS: readonly Row[] = [
  { label: 'U8 raw, no histogram (moments kernel)', as: undefined, histogram: false },
  { label: 'U8 raw, byte histogram', as: undefined, histogram: true },
  { label: 'U8 decoded as F4 (packed FP4 weight)', as: 'F4', histogram: false },
  { label: 'U8 decoded as F8_E8M0 (MX scale)', as: 'F8_E8M0', histogram: true },
  { label: 'U8 decoded as F8_E4M3 (NVFP4 scale)', as: 'F8_E4M3', histogram: true },
];

/** Deterministic bytes (an LCG's high bits), so every row scans the same data. */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function tensor(nbytes: number, as: DecodedAs | undefined): TensorInfo {
  const dtype: Dtype = 'U8';
  return decodedInfo(
    { name: 'w', dtype, shape: [nbytes], offset: 0, nbytes, elements: nbytes },
    as,
  );
}

/** Seconds to scan `bytes` as `info` in DEFAULT_CHUNK_BYTES chunks. */
function timeScan(bytes: Uint8Array, info: TensorInfo, histogram: boolean): number {
  const perByte = info.elements / info.nbytes;
  const t0 = performance.now();
  const kernel = createKernel(info, { histogram });
  for (let at = 0; at < bytes.length; at += DEFAULT_CHUNK_BYTES) {
    kernel.update(bytes.subarray(at, at + DEFAULT_CHUNK_BYTES), at * perByte);
  }
  kernel.finish();
  return (performance.now() - t0) / 1000;
}

export function benchByteKernels(mib: number): { label: string; seconds: number }[] {
  const bytes = randomBytes(mib * MIB);
  return ROWS.map((row) => {
    const info = tensor(bytes.length, row.as);
    let best = Infinity;
    for (let r = 0; r < RUNS; r++) {
      best = Math.min(best, timeScan(bytes, info, row.histogram));
    }
    return { label: row.label, seconds: best };
  });
}

if (process.argv[1]?.endsWith('byte-kernels.ts') === true) {
  const mib = Number(process.argv[2] ?? '256');
  for (const { label, seconds } of benchByteKernels(mib)) {
    console.log(`${label}: ${seconds.toFixed(3)} s per ${mib} MiB`);
  }
}
