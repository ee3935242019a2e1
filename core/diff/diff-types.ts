import type { Dtype } from '../dtype/dtype';
import type { QuantScheme } from '../quant/quant-types';

/**
 * The `ckptscope diff --json` document (a public contract, issue 15): field names are stable, a
 * field that does not apply is null, more fields may be added.
 */
export interface DiffReport {
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** Every compared pair, worst SQNR first (identical and not-computed pairs last). */
  readonly pairs: readonly PairResult[];
  /** Tensors only in A / only in B (scale tensors of a module paired with a float weight excluded). */
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  readonly findings: readonly DiffFinding[];
  readonly errors: readonly DiffError[];
}

export interface DiffSide {
  readonly path: string;
  /** The checkpoint's quantization scheme (its weights' most frequent), `none` when unquantized. */
  readonly scheme: QuantScheme;
}

export interface PairTensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** The module's scheme when this side is a quantized module, else null. */
  readonly scheme: QuantScheme | null;
}

/** One compared pair: two plain tensors of the same name, or a module against its float weight. */
export interface PairResult {
  /** The tensor name (the float weight's, or the quantized weight's when both sides are quantized). */
  readonly name: string;
  /** The module within its layer (`self_attn.q_proj`), as the heatmap's columns. */
  readonly module: string;
  /** The layer (block) index, or null outside the repeated blocks. */
  readonly layer: number | null;
  readonly expert: number | null;
  readonly a: PairTensor;
  readonly b: PairTensor;
  /** Same dtype and shape and every byte equal (metrics then not computed: null); null when not checked. */
  readonly identical: boolean | null;
  /** 20·log10(‖A‖/‖A−B‖); null when not computed, when A − B = 0 (infinite) or ‖A‖ = 0. */
  readonly sqnrDb: number | null;
  readonly relL2: number | null;
  readonly cosine: number | null;
  readonly maxAbsError: number | null;
  /** Share of elements whose values are equal on both sides (0..1). */
  readonly bitIdentical: number | null;
  readonly nanA: number | null;
  readonly nanB: number | null;
  readonly infA: number | null;
  readonly infB: number | null;
  /** Elements non-finite in B where A is finite (what the exit status checks). */
  readonly newNonFiniteB: number | null;
  /** Elements compared (both finite), or null when not computed. */
  readonly elements: number | null;
  /** Why the pair was not compared (then every metric is null), or null. */
  readonly notCompared: string | null;
}

export type DiffRule =
  | 'layout-mismatch'
  | 'shape-changed'
  | 'dtype-changed'
  | 'sibling-scales'
  | 'new-non-finite'
  | 'below-min-sqnr';

export interface DiffFinding {
  readonly rule: DiffRule;
  readonly severity: 'error' | 'warning' | 'info';
  /** The tensor or module prefix concerned, or null. */
  readonly name: string | null;
  readonly message: string;
}

export interface DiffError {
  /** The file (or, for a pair that failed, the file of the tensor that failed). */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}
