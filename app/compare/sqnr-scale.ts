/**
 * The compare heatmap's diverging colour scale over SQNR in dB: red below the pivot, neutral at
 * it, blue above. The pivot sits where NVFP4 exports of healthy weights land (~20 dB, the fixture
 * and the literature alike); FP8 is ~30 dB, so a normal FP8 export reads blue and a broken module
 * (a swapped layout, a bad scale: < 5 dB) deep red.
 */
export const SQNR_PIVOT_DB = 20;
/** Ends of the scale: at or below LOW full red, at or above HIGH full blue. */
export const SQNR_LOW_DB = 0;
export const SQNR_HIGH_DB = 40;

/** Legend stops, in dB. */
export const SQNR_LEGEND_STOPS: readonly number[] = [0, 10, 20, 30, 40];

const RED: readonly [number, number, number] = [200, 40, 40];
const NEUTRAL: readonly [number, number, number] = [236, 233, 226];
const BLUE: readonly [number, number, number] = [40, 90, 190];

function mix(
  x: readonly [number, number, number],
  y: readonly [number, number, number],
  t: number,
): string {
  const c = x.map((v, i) => Math.round(v + (y[i] - v) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** The colour of an SQNR in dB (null: no SQNR, shown by the caller as its own state). */
export function sqnrColour(db: number): string {
  const clamped = Math.max(SQNR_LOW_DB, Math.min(SQNR_HIGH_DB, db));
  if (clamped <= SQNR_PIVOT_DB) {
    return mix(RED, NEUTRAL, (clamped - SQNR_LOW_DB) / (SQNR_PIVOT_DB - SQNR_LOW_DB));
  }
  return mix(NEUTRAL, BLUE, (clamped - SQNR_PIVOT_DB) / (SQNR_HIGH_DB - SQNR_PIVOT_DB));
}
