/**
 * Log colour scale shared by the cells and the legend. Values map through log1p so that 1 NaN and
 * 10^9 zeros are both visible; level 0 is kept for an exact 0 so any non-zero value shows.
 */

/** Colour steps, matching the `.hm-l0` ... `.hm-l9` classes of heatmap.css. */
export const HEAT_LEVELS = 10;

export interface ColourScale {
  /** Smallest and largest value over the scanned cells; both 0 when nothing is scanned. */
  readonly min: number;
  readonly max: number;
}

export function makeColourScale(values: Iterable<number | null>): ColourScale {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) {
      continue;
    }
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return min > max ? { min: 0, max: 0 } : { min, max };
}

/** 0 for values <= 0, else 1 .. HEAT_LEVELS - 1 by position between log1p(min) and log1p(max). */
export function colourLevel(value: number, scale: ColourScale): number {
  if (!(value > 0)) {
    return 0;
  }
  const low = Math.log1p(Math.max(scale.min, 0));
  const high = Math.log1p(scale.max);
  if (!(high > low)) {
    return HEAT_LEVELS - 1;
  }
  const t = Math.min(1, Math.max(0, (Math.log1p(value) - low) / (high - low)));
  return 1 + Math.round(t * (HEAT_LEVELS - 2));
}
