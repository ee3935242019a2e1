/**
 * The entry of `ckptscope diff --threads N` worker threads (bundled as dist/cli/diff-thread.mjs):
 * each opens both checkpoints itself (headers only), plans the same pairs as the main thread, and
 * compares the pairs it is handed, one at a time, posting each outcome back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { comparePair } from '../core/diff/compare-pair';
import { indexSide } from '../core/diff/diff-side';
import { planPairs } from '../core/diff/pairing';
import { openDiffSide } from './diff-open';
import type { DiffThreadData, FromDiffThread, ToDiffThread } from './diff-thread-protocol';

async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) {
    throw new Error('diff-thread runs as a worker thread only');
  }
  const data = workerData as DiffThreadData;
  const post = (message: FromDiffThread): void => port.postMessage(message);
  const a = await openDiffSide(data.pathA, { token: undefined, readMode: 'sync' });
  const b = await openDiffSide(data.pathB, { token: undefined, readMode: 'sync' });
  try {
    if (a.input === null || b.input === null) {
      post({ kind: 'failed', message: 'a checkpoint could not be opened in the thread' });
      return;
    }
    const { input: ia } = a;
    const ib = b.input;
    const plan = planPairs(indexSide(ia), indexSide(ib));
    post({ kind: 'ready', pairs: plan.pairs.length });
    for await (const message of messages(port)) {
      if (message.kind === 'done') {
        break;
      }
      const pair = plan.pairs[message.index];
      const outcome = await comparePair(pair, ia.sources, ib.sources, {
        chunkBytes: data.chunkBytes,
      });
      post({ kind: 'outcome', index: message.index, name: pair.name, outcome });
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** The main thread's messages, one at a time. */
async function* messages(port: NonNullable<typeof parentPort>): AsyncGenerator<ToDiffThread> {
  const queue: ToDiffThread[] = [];
  let wake: (() => void) | null = null;
  port.on('message', (m: ToDiffThread) => {
    queue.push(m);
    wake?.();
  });
  for (;;) {
    const next = queue.shift();
    if (next !== undefined) {
      yield next;
      continue;
    }
    await new Promise<void>((r) => {
      wake = r;
    });
    wake = null;
  }
}

run().then(
  () => process.exit(0),
  (e: unknown) => {
    parentPort?.postMessage({
      kind: 'failed',
      message: e instanceof Error ? e.message : String(e),
    } satisfies FromDiffThread);
    process.exit(1);
  },
);
