import { assertUnreachable } from '../../dtype/dtype';
import type { ElementVisitor } from '../decode/decode-types';
import type { QuantLayout } from '../quant-layout';
import { SparseBitSet } from './sparse-bitset';

/** What streaming a module's weight with its scales finds. */
export interface WeightSummary {
  readonly tensor: string;
  readonly file: string;
  /** What `codes` counts: E2M1 nibbles, int4 nibbles (as stored), FP8 bytes or NF4 nibbles. */
  readonly codeKind: 'e2m1' | 'int4' | 'fp8' | 'nf4';
  readonly codes: readonly number[];
  /** int4: histogram of q - z (`counts[i]` holds level `min + i`), else null. */
  readonly levels: { readonly min: number; readonly counts: readonly number[] } | null;
  readonly elements: number;
  /** Zero block scales whose block holds a non-zero code: silently zeroed blocks. */
  readonly zeroScaleBlocks: number;
  /** Non-zero codes under zero block scales. */
  readonly zeroedCodes: number;
  /**
   * Mean |dequantized weight| over its finite values, streamed (implausible-magnitude); null when
   * none is finite. Absent in summaries made before it existed.
   */
  readonly absMean?: number | null;
  /** Largest finite |dequantized weight|, null when none is finite. */
  readonly absMax?: number | null;
}

/** int4 levels q - z span [-16, 15] for every packing (GPTQ v1 adds 1 to z). */
const INT4_LEVEL_MIN = -16;
const INT4_LEVELS = 32;

function codeKindOf(layout: QuantLayout): WeightSummary['codeKind'] {
  switch (layout.kind) {
    case 'fp4':
      return 'e2m1';
    case 'int4':
      return 'int4';
    case 'fp8':
      return 'fp8';
    case 'nf4':
      return 'nf4';
    default:
      return assertUnreachable(layout);
  }
}

/** Accumulates a WeightSummary from a decoder's elements: fixed bins and a sparse bit per fault. */
export class WeightTally implements ElementVisitor {
  private readonly kind: WeightSummary['codeKind'];
  /** Plain arrays of small integers: cheaper to make and to copy out than typed arrays (one per module). */
  private readonly codes: number[];
  private readonly levels: number[] | null;
  /** Made at the first zeroed block: most weight passes find none. */
  private zeroBlocks: SparseBitSet | null = null;
  private elements = 0;
  private zeroedCount = 0;
  private absSum = 0;
  private finite = 0;
  private absMax = 0;

  constructor(layout: QuantLayout) {
    this.kind = codeKindOf(layout);
    this.codes = new Array<number>(this.kind === 'fp8' ? 256 : 16).fill(0);
    this.levels = this.kind === 'int4' ? new Array<number>(INT4_LEVELS).fill(0) : null;
  }

  element(_index: number, code: number, level: number, value?: number): void {
    this.elements++;
    const a = value === undefined ? NaN : Math.abs(value);
    if (Number.isFinite(a)) {
      this.absSum += a;
      this.finite++;
      if (a > this.absMax) {
        this.absMax = a;
      }
    }
    this.codes[code]++;
    if (this.levels !== null) {
      this.levels[level - INT4_LEVEL_MIN]++;
    }
  }

  zeroed(scaleIndex: number): void {
    this.zeroedCount++;
    this.zeroBlocks ??= new SparseBitSet();
    this.zeroBlocks.add(scaleIndex);
  }

  finish(tensor: string, file: string): WeightSummary {
    return {
      tensor,
      file,
      codeKind: this.kind,
      codes: this.codes.slice(),
      levels: this.levels === null ? null : { min: INT4_LEVEL_MIN, counts: this.levels.slice() },
      elements: this.elements,
      zeroScaleBlocks: this.zeroBlocks?.size ?? 0,
      zeroedCodes: this.zeroedCount,
      absMean: this.finite === 0 ? null : this.absSum / this.finite,
      absMax: this.finite === 0 ? null : this.absMax,
    };
  }
}
