import type { Dtype } from '../../../core/dtype/dtype';
import { DTYPES } from '../../../core/dtype/dtype';
import type { TensorInfo } from '../../../core/format/tensor-info';
import type { TensorRow } from '../../model/tensor-row';
import { hasProblem } from '../../model/tensor-row';
import { compileNameQuery } from './name-query';

/** `'all'` in the dtype filter keeps every dtype. */
export type DtypeChoice = Dtype | 'all';

export interface TensorFilter {
  /** Words that must all match the name (substrings, or globs with `*`/`?`); empty keeps all. */
  readonly text: string;
  readonly dtype: DtypeChoice;
  /** Keep only tensors holding NaN or Inf (unscanned tensors are dropped). */
  readonly onlyProblems: boolean;
}

export const EMPTY_FILTER: TensorFilter = { text: '', dtype: 'all', onlyProblems: false };

/** Lower-cased names, cached per TensorInfo so each keystroke does not lower-case 100k names again. */
const lowerNames = new WeakMap<TensorInfo, string>();

function lowerName(info: TensorInfo): string {
  let lower = lowerNames.get(info);
  if (lower === undefined) {
    lower = info.name.toLowerCase();
    lowerNames.set(info, lower);
  }
  return lower;
}

/** A predicate for one filter, with the lower-casing of the query done once. */
export function makeRowPredicate(filter: TensorFilter): (row: TensorRow) => boolean {
  const matchName = compileNameQuery(filter.text);
  return (row) =>
    (filter.dtype === 'all' || row.info.dtype === filter.dtype) &&
    (!filter.onlyProblems || hasProblem(row.stats)) &&
    (matchName === null || matchName(lowerName(row.info)));
}

/**
 * The rows passing the filter, in their original order: `rows` itself when the filter keeps all (a
 * copy of a million rows per scan update was garbage the page did not need), else a new array.
 */
export function filterRows(rows: readonly TensorRow[], filter: TensorFilter): readonly TensorRow[] {
  if (filter.text.trim() === '' && filter.dtype === 'all' && !filter.onlyProblems) {
    return rows;
  }
  return rows.filter(makeRowPredicate(filter));
}

/** The dtypes occurring in the rows, in the canonical DTYPES order, for the dtype `<select>`. */
export function presentDtypes(rows: readonly TensorRow[]): readonly Dtype[] {
  const seen = new Set<Dtype>();
  // Rows come in runs of one dtype: a Set insertion per row of a million was ~80 ms.
  let last: Dtype | null = null;
  for (const row of rows) {
    const dtype = row.info.dtype;
    if (dtype !== last) {
      seen.add(dtype);
      last = dtype;
    }
  }
  return DTYPES.filter((dtype) => seen.has(dtype));
}

/** A dtype choice that no longer matches any row (a new checkpoint was loaded) falls back to all. */
export function effectiveDtype(choice: DtypeChoice, present: readonly Dtype[]): DtypeChoice {
  return choice === 'all' || present.includes(choice) ? choice : 'all';
}
