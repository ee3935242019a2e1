import type { TensorRow } from './tensor-row';

/**
 * Which rows arrays hold the same tensors (header entries, in the same order): the store replaces
 * the rows array on every update while the tensors stay those of the checkpoint it built them for,
 * and the views keep what depends on the tensors only (the heatmap's grid, the dtype list). Telling
 * that by comparing two arrays entry by entry was ~100 ms per update at a million rows (memory
 * reads of a million row objects), so the store marks each array it publishes with the load it
 * belongs to.
 */
const tensorsOf = new WeakMap<readonly TensorRow[], object>();

/** Marks `rows` as holding the tensors of `load` (one object per set of built rows). */
export function markTensors(rows: readonly TensorRow[], load: object): void {
  tensorsOf.set(rows, load);
}

/** Marks `derived`, made from `rows` with the same tensors in the same order, as `rows` is. */
export function carryTensors(derived: readonly TensorRow[], rows: readonly TensorRow[]): void {
  const load = tensorsOf.get(rows);
  if (load !== undefined) {
    tensorsOf.set(derived, load);
  }
}

/** Whether `a` and `b` hold the same tensors, when both are marked; null when that is not known. */
export function knownSameTensors(a: readonly TensorRow[], b: readonly TensorRow[]): boolean | null {
  const x = tensorsOf.get(a);
  const y = tensorsOf.get(b);
  return x === undefined || y === undefined ? null : x === y;
}

/**
 * Whether `a` and `b` hold the same tensors in the same order: the mark when both have one, else
 * `same` on every pair of rows (the heatmap compares keys, the dtype list header entries).
 */
export function sameRowTensors(
  a: readonly TensorRow[],
  b: readonly TensorRow[],
  same: (x: TensorRow, y: TensorRow) => boolean,
): boolean {
  if (a === b) {
    return true;
  }
  if (a.length !== b.length) {
    return false;
  }
  const known = knownSameTensors(a, b);
  if (known !== null) {
    return known;
  }
  for (let i = 0; i < a.length; i += 1) {
    if (!same(a[i], b[i])) {
      return false;
    }
  }
  return true;
}
