import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pairElements } from '../core/diff/compare-pair';
import type { PairRunner } from '../core/diff/diff-checkpoints';
import type { DiffThreadData, FromDiffThread, ToDiffThread } from './diff-thread-protocol';

/** The bundled thread entry beside the CLI bundle, or null (unbundled runs compare in-process). */
export function diffThreadEntry(): URL | null {
  const url = new URL('./diff-thread.mjs', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Compares the pairs on `threads` worker threads: pairs are handed out largest first, each to the
 * next free thread; outcomes go to `take` as they come (core assembles them in plan order, so the
 * report does not depend on the thread count). Rejects when a thread fails or plans other pairs.
 */
export function threadedRunner(entry: URL, data: DiffThreadData, threads: number): PairRunner {
  return (pairs, take) =>
    new Promise<void>((resolve, reject) => {
      const order = pairs
        .map((p, i) => ({ i, n: pairElements(p) }))
        .sort((x, y) => y.n - x.n || x.i - y.i)
        .map((x) => x.i);
      let next = 0;
      let left = pairs.length;
      let failed = false;
      const workers: Worker[] = [];
      const fail = (why: string): void => {
        if (!failed) {
          failed = true;
          for (const w of workers) {
            void w.terminate();
          }
          reject(new Error(`diff thread: ${why}`));
        }
      };
      const feed = (w: Worker): void => {
        const message: ToDiffThread =
          next < order.length ? { kind: 'pair', index: order[next++] } : { kind: 'done' };
        w.postMessage(message);
      };
      if (left === 0) {
        resolve();
        return;
      }
      for (let t = 0; t < Math.min(threads, pairs.length); t++) {
        const w = new Worker(entry, { workerData: data });
        workers.push(w);
        w.on('message', (m: FromDiffThread) => {
          switch (m.kind) {
            case 'ready':
              if (m.pairs !== pairs.length) {
                fail(`planned ${m.pairs} pairs, not ${pairs.length}`);
                return;
              }
              feed(w);
              return;
            case 'outcome':
              if (pairs[m.index]?.name !== m.name) {
                fail(`pair ${m.index} is ${m.name} in the thread`);
                return;
              }
              take(m.index, m.outcome);
              left--;
              if (left === 0) {
                for (const x of workers) {
                  x.postMessage({ kind: 'done' } satisfies ToDiffThread);
                }
                resolve();
                return;
              }
              feed(w);
              return;
            case 'failed':
              fail(m.message);
              return;
          }
        });
        w.on('error', (e: Error) => fail(e.message));
        w.on('exit', (code) => {
          if (code !== 0 && left > 0) {
            fail(`exited with status ${code}`);
          }
        });
      }
    });
}
