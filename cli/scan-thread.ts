/**
 * Entry of one scan worker thread (bundled to dist/cli/scan-thread.mjs beside the CLI). Runs the
 * jobs `scan-threads.ts` sends, one at a time, through the same core calls the in-process scan
 * makes, and posts plain results back. Files stay open between jobs until `release`.
 */
import { parentPort } from 'node:worker_threads';
import { CheckpointError, isCheckpointError } from '../core/format/errors';
import { analyzeModule } from '../core/quant/analyze/analyze-module';
import { knownCodesOf } from '../core/quant/analyze/known-codes';
import { sourceMap } from '../core/quant/stream/read-exact';
import { histogramTensors } from '../core/scan/scan-order';
import { scanTensors } from '../core/scan/scan-tensor';
import type { TensorStats } from '../core/scan/tensor-stats';
import { openNodeFileSource } from './node-file-source';
import type { NodeFileSource } from './node-file-source';
import type {
  FromThread,
  PlainAnalysisResult,
  PlainCheckpointError,
  ToThread,
} from './thread-protocol';

/** Results and progress are batched: at most one message of each per this many ms per job. */
const POST_INTERVAL_MS = 50;

const port = parentPort;
if (port === null) {
  throw new Error('scan-thread.mjs runs as a worker thread of the ckptscope CLI');
}
const post = (message: FromThread): void => port.postMessage(message);

const open = new Map<string, Promise<NodeFileSource>>();

function sourceFor(
  path: string,
  locations: Readonly<Record<string, Uint8Array>> | undefined,
): Promise<NodeFileSource> {
  let source = open.get(path);
  if (source === undefined) {
    // A name that is not valid UTF-8 is opened by the raw bytes the main thread sent.
    const bytes = locations?.[path];
    const location = bytes === undefined ? path : Buffer.from(bytes);
    source = openNodeFileSource(location, path, 'sync').catch((e: unknown) => {
      throw new CheckpointError('ReadFailed', path, `cannot open: ${(e as Error).message}`);
    });
    open.set(path, source);
  }
  return source;
}

async function release(): Promise<void> {
  const sources = [...open.values()];
  open.clear();
  await Promise.all(sources.map(async (s) => (await s.catch(() => null))?.close()));
}

function plainError(e: CheckpointError): PlainCheckpointError {
  return { code: e.code, file: e.file, detail: e.detail, tensor: e.tensor };
}

/** Reports a failure of `job`: CheckpointErrors as data, anything else as a crash. */
function fail(job: number, index: number, e: unknown): void {
  if (isCheckpointError(e)) {
    post({ type: 'failed', job, index, error: plainError(e) });
  } else {
    post({ type: 'crashed', job, message: e instanceof Error ? e.message : String(e) });
  }
}

async function scan(message: Extract<ToThread, { type: 'scan' }>): Promise<void> {
  const { job, tensors } = message;
  let first = 0;
  let pending: TensorStats[] = [];
  let bytes = 0;
  let lastPost = performance.now();
  const flush = (): void => {
    if (pending.length > 0) {
      post({ type: 'tensors', job, first, stats: pending });
      first += pending.length;
      pending = [];
    }
    if (bytes > 0) {
      post({ type: 'progress', job, bytes });
      bytes = 0;
    }
    lastPost = performance.now();
  };
  let reported = 0;
  try {
    const source = await sourceFor(message.path, message.locations);
    await scanTensors(source, tensors, {
      chunkBytes: message.chunkBytes,
      histograms: histogramTensors(message.allHistograms),
      onProgress: (done) => {
        bytes += done - reported;
        reported = done;
        if (performance.now() - lastPost >= POST_INTERVAL_MS) {
          flush();
        }
      },
      onTensor: (stats) => {
        pending.push(stats);
        reported = 0;
      },
    });
    flush();
  } catch (e) {
    flush();
    fail(job, first, e);
  }
}

async function analyze(message: Extract<ToThread, { type: 'analyze' }>): Promise<void> {
  const results: PlainAnalysisResult[] = [];
  const knownCodes = knownCodesOf(message.known);
  try {
    for (const module of message.modules) {
      try {
        const sources = await Promise.all(
          message.paths.map((p) => sourceFor(p, message.locations)),
        );
        const analysis = await analyzeModule(sourceMap(sources), module, {
          chunkBytes: message.chunkBytes,
          weights: 'if-zero-scales',
          knownCodes,
        });
        results.push({ analysis });
      } catch (e) {
        if (!isCheckpointError(e)) {
          throw e;
        }
        results.push({ error: plainError(e) });
      }
    }
    post({ type: 'analyses', job: message.job, results });
  } catch (e) {
    fail(message.job, 0, e);
  }
}

async function handle(message: ToThread): Promise<void> {
  switch (message.type) {
    case 'scan':
      await scan(message);
      break;
    case 'analyze':
      await analyze(message);
      break;
    case 'release':
      await release();
      break;
  }
  post({ type: 'done', job: message.job });
}

let queue = Promise.resolve();
port.on('message', (message: ToThread) => {
  queue = queue.then(() => handle(message));
});
