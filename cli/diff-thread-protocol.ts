import type { PairOutcome } from '../core/diff/compare-pair';

/** What a diff thread is started with. */
export interface DiffThreadData {
  readonly pathA: string;
  readonly pathB: string;
  readonly chunkBytes: number;
}

/** Main thread -> diff thread: compare pair `index` of the plan, or stop. */
export type ToDiffThread =
  { readonly kind: 'pair'; readonly index: number } | { readonly kind: 'done' };

/** Diff thread -> main thread. `name` lets the main thread check both planned the same pairs. */
export type FromDiffThread =
  | { readonly kind: 'ready'; readonly pairs: number }
  | {
      readonly kind: 'outcome';
      readonly index: number;
      readonly name: string;
      readonly outcome: PairOutcome;
    }
  | { readonly kind: 'failed'; readonly message: string };
