/**
 * The remote rows of `npm run bench` (issue 14): a BENCH_VERDICT_GB (default 5) GB NVFP4 shard
 * written in the reference writer's order (dtype, then name), served by the Hub-like test server
 * on loopback, scanned by the CLI in its default remote mode (headers, scales, small tensors):
 * bytes and requests of the verdict against the budgets, and its time against the local CLI scan
 * of the same file (the local verdict needs the whole scan). Also the cost of one request on this
 * server in bytes of body, which COALESCE_GAP_BYTES was chosen from.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HttpClient } from '../../core/io/http-client';
import { COALESCE_GAP_BYTES } from '../../core/io/coalesce-ranges';
import { openHttpSource } from '../../core/io/http-source';
import { runtimeHttpEnv } from '../../core/io/http-types';
import { startHubServer } from '../../cli/testing/hub-server';
import { referenceOrder } from '../../cli/testing/remote-fixture';
import { ensureCheckpoint, fileSizeOf, nvfp4Layout } from './checkpoints';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ckptscope.mjs');
const REPO = 'bench/nvfp4-reference-order';
const FILE = 'model.safetensors';
/** Issue 14's budgets for an NVFP4 verdict: share of bytes, requests per shard (plus the listing). */
const NVFP4_BYTE_BUDGET = 0.15;
const REQUESTS_PER_SHARD = 4;

export interface RemoteRow {
  readonly target: string;
  readonly measured: string;
  readonly reference: string;
  readonly ratio: number | null;
  readonly met: boolean | null;
}

interface Timed {
  readonly seconds: number;
  readonly json: { network?: { requests: number; bytes: number }; errors: unknown[] };
}

/**
 * Runs the CLI's `scan --json` (NaN scales: exit 1 expected), timed from spawn to exit. Async: the
 * Hub-like server runs in this process and must keep answering meanwhile.
 */
function timedScan(args: string[], env: Record<string, string> = {}): Promise<Timed> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'scan', '--json', '--no-progress', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = (performance.now() - t0) / 1000;
      if (status !== 1) {
        reject(
          new Error(
            `ckptscope scan ${args.join(' ')} exited ${status}: ${Buffer.concat(err).toString()}`,
          ),
        );
        return;
      }
      resolve({ seconds, json: JSON.parse(Buffer.concat(out).toString()) as Timed['json'] });
    });
  });
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * What one request costs on the loopback server, in ms and in bytes of body at the measured rate:
 * the gap below which fetching the bytes between two ranges is cheaper than another request.
 */
async function requestCost(endpoint: string, runs: number): Promise<{ ms: number; bytes: number }> {
  const env = runtimeHttpEnv();
  if (env === null) {
    throw new Error('no fetch');
  }
  const client = new HttpClient({ env });
  const src = await openHttpSource(client, `${endpoint}/${REPO}/resolve/main/${FILE}`, FILE);
  const small: number[] = [];
  const big: number[] = [];
  const BIG = 64 * 1024 * 1024;
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < 20; k++) {
      const t0 = performance.now();
      await src.read(1_000_000 + k * 4096 + i, 16);
      small.push(performance.now() - t0);
    }
    const t0 = performance.now();
    await src.read(100_000_000 + i, BIG);
    big.push(performance.now() - t0);
  }
  await src.close();
  const ms = median(small);
  const bytesPerMs = BIG / median(big);
  return { ms, bytes: ms * bytesPerMs };
}

export async function benchRemote(
  scratch: string,
  verdictGb: number,
  runs: number,
): Promise<RemoteRow[]> {
  const tensors = referenceOrder(nvfp4Layout(verdictGb * 1e9, 128256));
  const path = join(scratch, `nvfp4-${verdictGb}gb-reference-order.safetensors`);
  const metadata = { format: 'pt' };
  ensureCheckpoint(path, tensors, metadata);
  const size = fileSizeOf(tensors, metadata);
  const server = await startHubServer({
    repos: { [REPO]: [{ path: FILE, body: { diskPath: path } }] },
  });
  try {
    const remote: Timed[] = [];
    const local: Timed[] = [];
    for (let i = 0; i < runs; i++) {
      remote.push(await timedScan([`hf://${REPO}`], { HF_ENDPOINT: server.endpoint }));
      local.push(await timedScan([path]));
    }
    const network = remote[0].json.network ?? { requests: Number.NaN, bytes: Number.NaN };
    if (remote[0].json.errors.length > 0) {
      throw new Error(`remote scan errors: ${JSON.stringify(remote[0].json.errors)}`);
    }
    const share = network.bytes / size;
    const cost = await requestCost(server.endpoint, runs);
    const label = `${(size / 1e9).toFixed(1)} GB NVFP4, reference order`;
    const remoteSeconds = median(remote.map((r) => r.seconds));
    const localSeconds = median(local.map((r) => r.seconds));
    return [
      {
        target: `remote verdict, ${label}: bytes read (<= 15 %)`,
        measured: `${(network.bytes / 1e6).toFixed(0)} MB (${(share * 100).toFixed(1)} %)`,
        reference: `${(size / 1e6).toFixed(0)} MB`,
        ratio: share,
        met: share <= NVFP4_BYTE_BUDGET,
      },
      {
        target: `remote verdict, ${label}: requests (<= ${REQUESTS_PER_SHARD} per shard + listing)`,
        measured: String(network.requests),
        reference: String(REQUESTS_PER_SHARD + 1),
        ratio: network.requests / (REQUESTS_PER_SHARD + 1),
        met: network.requests <= REQUESTS_PER_SHARD + 1,
      },
      {
        target: '  remote verdict time (loopback) vs local full scan (info)',
        measured: `${remoteSeconds.toFixed(2)} s`,
        reference: `${localSeconds.toFixed(2)} s`,
        ratio: remoteSeconds / localSeconds,
        met: null,
      },
      {
        target: `  one request on loopback, in body bytes (info; gap threshold ${COALESCE_GAP_BYTES / 1024 / 1024} MiB)`,
        measured: `${cost.ms.toFixed(2)} ms`,
        reference: `${(cost.bytes / 1024 / 1024).toFixed(2)} MiB`,
        ratio: null,
        met: null,
      },
    ];
  } finally {
    await server.close();
  }
}
