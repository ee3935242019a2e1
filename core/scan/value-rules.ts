import type { Dtype } from '../dtype/dtype';
import { dtypeKind } from '../dtype/dtype';
import { dtypeLimits } from '../dtype/dtype-limits';

/**
 * What "saturated" means for a dtype.
 * - floats: a finite value whose magnitude is the dtype's largest finite one (either sign);
 * - signed integers: a value equal to the type's minimum or maximum (I8 -128 and 127);
 * - unsigned integers: the maximum only (U8 0xFF). 0 is an ordinary value, counted as zero: a
 *   range check `v === min || v === max` with min = max gives exactly that;
 * - BOOL: never; a two-valued type has nothing to clip.
 */
export type Saturation =
  | { readonly kind: 'magnitude'; readonly largest: number }
  | { readonly kind: 'range'; readonly min: number; readonly max: number }
  | { readonly kind: 'none' };

/** How a scan classifies the values of one dtype. */
export interface ValueRules {
  /** NaN, Inf and subnormal exist (floats and C64); false for integers and BOOL. */
  readonly floatLike: boolean;
  /** 0 < |v| < smallestNormal is subnormal (floats only). */
  readonly smallestNormal: number;
  readonly saturation: Saturation;
}

/** `valueRules` per dtype: immutable, and asked for once per tensor scanned. */
const rulesOf = new Map<Dtype, ValueRules>();

export function valueRules(dtype: Dtype): ValueRules {
  let rules = rulesOf.get(dtype);
  if (rules === undefined) {
    rules = rulesFor(dtype);
    rulesOf.set(dtype, rules);
  }
  return rules;
}

function rulesFor(dtype: Dtype): ValueRules {
  const limits = dtypeLimits(dtype);
  const kind = dtypeKind(dtype);
  if (kind === 'float' || kind === 'complex') {
    return {
      floatLike: true,
      smallestNormal: limits.smallestNormal,
      saturation: { kind: 'magnitude', largest: limits.largestFinite },
    };
  }
  if (kind === 'bool' || limits.intMin === null || limits.intMax === null) {
    return { floatLike: false, smallestNormal: 0, saturation: { kind: 'none' } };
  }
  const unsigned = limits.intMin === 0;
  return {
    floatLike: false,
    smallestNormal: 0,
    saturation: {
      kind: 'range',
      min: unsigned ? limits.intMax : limits.intMin,
      max: limits.intMax,
    },
  };
}

/** Whether a finite value saturates under `rules`. */
export function isSaturated(v: number, rules: ValueRules): boolean {
  const s = rules.saturation;
  switch (s.kind) {
    case 'magnitude':
      return Math.abs(v) === s.largest;
    case 'range':
      return v === s.min || v === s.max;
    case 'none':
      return false;
  }
}
