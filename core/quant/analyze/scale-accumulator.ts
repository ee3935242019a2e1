import type { ScaleLimits } from './scale-limits';
import { isTiny } from './scale-limits';

/**
 * A scale magnitude at or above this is a sentinel, not a calibrated value: F32 max (±3.4e38,
 * written for "no data" by some exporters, vLLM-omni #5263) and E8M0 0xFE (2^127) multiply any
 * weight to Inf in BF16/F16 (field-failures.md J: flag |scale| > 1e30).
 */
export const SENTINEL_SCALE = 1e30;

/** Whether a finite non-zero value has mantissa bits (is not ±2^k). */
export function hasMantissa(v: number): boolean {
  const a = Math.abs(v);
  return a !== 2 ** Math.round(Math.log2(a));
}

/** The counts of a scale summary, each value added with a multiplicity (a code's count). */
export class ScaleAccumulator {
  elements = 0;
  nan = 0;
  posInf = 0;
  negInf = 0;
  zero = 0;
  negative = 0;
  saturated = 0;
  subnormal = 0;
  /** Finite values with |v| >= SENTINEL_SCALE. */
  huge = 0;
  /** Finite non-zero values that are not a power of two (mantissa bits set). */
  nonPow2 = 0;
  private low = Infinity;
  private high = -Infinity;

  constructor(private readonly limits: ScaleLimits) {}

  add(v: number, times: number): void {
    this.elements += times;
    if (Number.isNaN(v)) {
      this.nan += times;
      return;
    }
    if (!Number.isFinite(v)) {
      if (v > 0) {
        this.posInf += times;
      } else {
        this.negInf += times;
      }
      return;
    }
    if (v === 0) {
      this.zero += times;
    } else {
      if (v < 0) {
        this.negative += times;
      }
      if (Math.abs(v) >= SENTINEL_SCALE) {
        this.huge += times;
      }
      if (hasMantissa(v)) {
        this.nonPow2 += times;
      }
    }
    if (Math.abs(v) === this.limits.largest) {
      this.saturated += times;
    }
    if (isTiny(v, this.limits)) {
      this.subnormal += times;
    }
    this.low = Math.min(this.low, v);
    this.high = Math.max(this.high, v);
  }

  /** Smallest finite value, null when there is none. */
  get min(): number | null {
    return this.finite() > 0 ? this.low : null;
  }

  get max(): number | null {
    return this.finite() > 0 ? this.high : null;
  }

  private finite(): number {
    return this.elements - this.nan - this.posInf - this.negInf;
  }
}
