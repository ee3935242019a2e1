/**
 * Most elements of a 1-byte scale whose codes are counted from its bytes in memory, even when the
 * scan's 256-bin histogram is known: reading 2 KB of histogram per tensor cost more than sorting a
 * few bytes (100,000 expert block scales of 2 elements each).
 */
export const FEW_CODES_ELEMENTS = 16;

/**
 * Most distinct `codes` arrays kept to be shared. Tiny scales repeat the same few histograms (an
 * expert's 2 block scales), so 100,000 summaries share a handful of arrays instead of holding
 * 100,000 arrays of 256 counts; past this many, each summary gets its own.
 */
const MAX_SHARED_CODES = 4096;

const sharedCodes = new Map<string, readonly number[]>();

/** The sorted bytes of a tensor of at most FEW_CODES_ELEMENTS elements. */
const SORTED = new Uint8Array(FEW_CODES_ELEMENTS);

/** Byte values and their counts, ascending by value, of at most FEW_CODES_ELEMENTS bytes. */
export interface FewCodes {
  /** Distinct runs found (the entries of `codes` / `counts` in use). */
  readonly runs: number;
  readonly codes: Uint8Array;
  readonly counts: Uint32Array;
}

const CODES = new Uint8Array(FEW_CODES_ELEMENTS);
const COUNTS = new Uint32Array(FEW_CODES_ELEMENTS);

/**
 * The distinct values of `bytes` (length at most FEW_CODES_ELEMENTS) in ascending order with their
 * counts. The arrays are shared scratch, valid until the next call.
 */
export function fewCodes(bytes: Uint8Array): FewCodes {
  const n = bytes.length;
  if (n > FEW_CODES_ELEMENTS) {
    throw new RangeError(`${n} bytes are more than ${FEW_CODES_ELEMENTS}`);
  }
  for (let i = 0; i < n; i++) {
    // Insertion sort: a handful of bytes.
    const b = bytes[i];
    let j = i;
    while (j > 0 && SORTED[j - 1] > b) {
      SORTED[j] = SORTED[j - 1];
      j--;
    }
    SORTED[j] = b;
  }
  let runs = 0;
  for (let i = 0; i < n; i++) {
    if (runs > 0 && CODES[runs - 1] === SORTED[i]) {
      COUNTS[runs - 1]++;
    } else {
      CODES[runs] = SORTED[i];
      COUNTS[runs] = 1;
      runs++;
    }
  }
  return { runs, codes: CODES, counts: COUNTS };
}

/**
 * A 256-bin histogram holding `few`'s counts (0 elsewhere), frozen and shared by every summary
 * with the same counts (up to MAX_SHARED_CODES distinct ones; then a fresh array each).
 */
export function sharedHistogram(few: FewCodes): readonly number[] {
  let key = '';
  for (let r = 0; r < few.runs; r++) {
    key += `${few.codes[r]}:${few.counts[r]},`;
  }
  const known = sharedCodes.get(key);
  if (known !== undefined) {
    return known;
  }
  const histogram = new Array<number>(256).fill(0);
  for (let r = 0; r < few.runs; r++) {
    histogram[few.codes[r]] = few.counts[r];
  }
  if (sharedCodes.size >= MAX_SHARED_CODES) {
    return histogram;
  }
  Object.freeze(histogram);
  sharedCodes.set(key, histogram);
  return histogram;
}
