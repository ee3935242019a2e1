import { sharedByteHistogram } from '../../scan/shared-byte-histograms';

/**
 * Most elements of a 1-byte scale whose codes are counted from its bytes in memory, even when the
 * scan's 256-bin histogram is known: reading 2 KB of histogram per tensor cost more than sorting a
 * few bytes (100,000 expert block scales of 2 elements each).
 */
export const FEW_CODES_ELEMENTS = 16;

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

/** `few`'s counts by byte value, for `sharedByteHistogram`; zeroed again after each use. */
const BY_CODE = new Float64Array(256);

/**
 * A 256-bin histogram holding `few`'s counts (0 elsewhere): the scan's shared byte histogram of
 * those counts (`sharedByteHistogram`), so summaries and tensor stats with the same counts share
 * one frozen array instead of holding 256 counts each (then a fresh array past its bound).
 */
export function sharedHistogram(few: FewCodes): readonly number[] {
  const codes: number[] = [];
  for (let r = 0; r < few.runs; r++) {
    BY_CODE[few.codes[r]] = few.counts[r];
    codes.push(few.codes[r]);
  }
  try {
    return sharedByteHistogram(BY_CODE, codes).counts;
  } finally {
    for (const c of codes) {
      BY_CODE[c] = 0;
    }
  }
}
