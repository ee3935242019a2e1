import { proxy, wrap } from 'comlink';
import type { Remote } from 'comlink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DiffReport, PairResult } from '../../core/diff/diff-types';
import type { PairHistograms } from '../../core/diff/pair-histograms';
import type { CompareWorkerApi } from '../../workers/compare.worker';
import type { NamedFile } from '../../workers/scan.worker';

/** Pairs streamed in are shown at most this often (a MoE has tens of thousands). */
const FLUSH_MS = 200;

export type ComparePhase = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface CompareState {
  readonly phase: ComparePhase;
  /** Pairs known so far (in arrival order while running; the report's order once done). */
  readonly pairs: readonly PairResult[];
  readonly report: DiffReport | null;
  readonly done: number;
  readonly total: number;
  readonly error: string | null;
}

const IDLE: CompareState = {
  phase: 'idle',
  pairs: [],
  report: null,
  done: 0,
  total: 0,
  error: null,
};

interface Spawned {
  readonly worker: Worker;
  readonly api: Remote<CompareWorkerApi>;
}

function spawn(): Spawned {
  const worker = new Worker(new URL('../../workers/compare.worker.ts', import.meta.url), {
    type: 'module',
    name: 'ckptscope-compare',
  });
  return { worker, api: wrap<CompareWorkerApi>(worker) };
}

/**
 * Runs a comparison in its own worker: pairs and progress stream into the state; `cancel` ends the
 * worker at once (a new comparison gets a fresh one). The last comparison's worker stays for the
 * detail's histograms until the next one or the mode closes.
 */
export function useCompare(): {
  readonly state: CompareState;
  run(a: { label: string; files: NamedFile[] }, b: { label: string; files: NamedFile[] }): void;
  cancel(): void;
  histograms(name: string): Promise<PairHistograms | null>;
} {
  const [state, setState] = useState<CompareState>(IDLE);
  const worker = useRef<Spawned | null>(null);
  const runId = useRef(0);
  const stop = useCallback(() => {
    worker.current?.worker.terminate();
    worker.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const run = useCallback(
    (a: { label: string; files: NamedFile[] }, b: { label: string; files: NamedFile[] }) => {
      stop();
      const spawned = spawn();
      worker.current = spawned;
      const id = ++runId.current;
      const pending: PairResult[] = [];
      let progress = { done: 0, total: 0 };
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = (): void => {
        timer = null;
        if (runId.current !== id) {
          return;
        }
        const add = pending.splice(0, pending.length);
        const p = progress;
        setState((s) => ({ ...s, pairs: s.pairs.concat(add), done: p.done, total: p.total }));
      };
      const later = (): void => {
        timer ??= setTimeout(flush, FLUSH_MS);
      };
      setState({ ...IDLE, phase: 'running' });
      spawned.api
        .compare(
          a.label,
          a.files,
          b.label,
          b.files,
          proxy((pair: PairResult) => {
            pending.push(pair);
            later();
          }),
          proxy((done: number, total: number) => {
            progress = { done, total };
            later();
          }),
        )
        .then(
          (outcome) => {
            if (runId.current !== id) {
              return;
            }
            if (timer !== null) {
              clearTimeout(timer);
            }
            setState(
              outcome.ok
                ? {
                    phase: 'done',
                    pairs: outcome.report.pairs,
                    report: outcome.report,
                    done: progress.total,
                    total: progress.total,
                    error: null,
                  }
                : { ...IDLE, phase: 'error', error: outcome.error.message },
            );
          },
          (e: unknown) => {
            if (runId.current === id) {
              setState({ ...IDLE, phase: 'error', error: String(e) });
            }
          },
        );
    },
    [stop],
  );

  const cancel = useCallback(() => {
    runId.current++;
    stop();
    setState((s) => ({ ...s, phase: 'cancelled' }));
  }, [stop]);

  const histograms = useCallback(async (name: string): Promise<PairHistograms | null> => {
    const w = worker.current;
    return w === null ? null : w.api.histograms(name);
  }, []);

  return { state, run, cancel, histograms };
}
