import { assertUnreachable } from '../../dtype/dtype';
import type { Dtype } from '../../dtype/dtype';
import { dtypeLimits } from '../../dtype/dtype-limits';
import type { ScaleEncoding } from '../quant-layout';

/** The range a scale is judged against, by role. */
export interface ScaleLimits {
  /** |v| equal to this counts as saturated (E4M3 448, E8M0 2^127, else the dtype's largest finite). */
  readonly largest: number;
  /** 0 < |v| <= this counts as subnormal-scale (E4M3 2^-9, E8M0 2^-127). */
  readonly tinyAtOrBelow: number;
  /** 0 < |v| < this also counts (a wide float dtype's subnormal range; 0 for 8-bit encodings). */
  readonly tinyBelow: number;
}

export function scaleLimits(encoding: ScaleEncoding, dtype: Dtype): ScaleLimits {
  switch (encoding) {
    case 'e4m3':
    case 'e8m0': {
      const limits = dtypeLimits(encoding === 'e4m3' ? 'F8_E4M3' : 'F8_E8M0');
      return {
        largest: limits.largestFinite,
        tinyAtOrBelow: limits.smallestSubnormal,
        tinyBelow: 0,
      };
    }
    case 'float': {
      const limits = dtypeLimits(dtype);
      if (limits.intMin !== null) {
        return { largest: Infinity, tinyAtOrBelow: 0, tinyBelow: 0 };
      }
      return { largest: limits.largestFinite, tinyAtOrBelow: 0, tinyBelow: limits.smallestNormal };
    }
    default:
      return assertUnreachable(encoding);
  }
}

/** `scaleLimits` made once per (encoding, dtype): a summary of every scale tensor asks for them. */
const limitsCache = new Map<ScaleEncoding, Map<Dtype, ScaleLimits>>();

/** `scaleLimits(encoding, dtype)`, the same (frozen) object for every call with those arguments. */
export function cachedScaleLimits(encoding: ScaleEncoding, dtype: Dtype): ScaleLimits {
  let byDtype = limitsCache.get(encoding);
  if (byDtype === undefined) {
    byDtype = new Map();
    limitsCache.set(encoding, byDtype);
  }
  let limits = byDtype.get(dtype);
  if (limits === undefined) {
    limits = Object.freeze(scaleLimits(encoding, dtype));
    byDtype.set(dtype, limits);
  }
  return limits;
}

/** Whether |v| is a positive value this small (see ScaleLimits). */
export function isTiny(v: number, limits: ScaleLimits): boolean {
  const a = Math.abs(v);
  return a > 0 && (a <= limits.tinyAtOrBelow || a < limits.tinyBelow);
}
