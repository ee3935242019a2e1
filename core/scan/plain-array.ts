/**
 * The values of a typed array as a plain array of exactly its length. `Array.from` walks a typed
 * array through its iterator and grows the array as it goes (several times slower for a 256-bin
 * histogram); growing one by `push` kept ~800 more bytes per 256 counts (measured), and stats keep
 * their histograms.
 */
export function plainArray(values: Float64Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i];
  }
  return out;
}

/**
 * `plainArray(counts)` of counts that are 0 but at `bins` (any order), built from zeros: the
 * histogram of a tiny tensor sets a few of its 256 bins instead of copying all of them, and its
 * counts (below 2^30) stay small integers, so the array keeps its compact integer form (measured:
 * a quarter faster to build and collect than 256 copied doubles; copying a zero array, faster
 * than filling a new one).
 */
export function sparsePlainArray(counts: Float64Array, bins: readonly number[]): number[] {
  const out = zerosOf(counts.length);
  for (const b of bins) {
    const n = counts[b];
    out[b] = n < SMALL_INTEGER_LIMIT ? n | 0 : n;
  }
  return out;
}

/** Counts below this are stored as small integers (V8's 31-bit Smi range, with room to spare). */
const SMALL_INTEGER_LIMIT = 2 ** 30;

/** One array of zeros per length, copied by `zerosOf` (a copy of a small-integer array is a block copy). */
const zeroTemplates = new Map<number, readonly number[]>();

/** A new array of `length` zeros, in V8's compact small-integer form. */
function zerosOf(length: number): number[] {
  let template = zeroTemplates.get(length);
  if (template === undefined) {
    template = new Array<number>(length).fill(0);
    zeroTemplates.set(length, template);
  }
  return template.slice();
}
