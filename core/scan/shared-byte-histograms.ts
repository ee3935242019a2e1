import { sparsePlainArray } from './plain-array';
import type { Histogram } from './tensor-stats';

/**
 * Most distinct byte histograms kept to be shared; past this many, each tensor (or scale summary)
 * gets its own.
 */
export const MAX_SHARED_BYTE_HISTOGRAMS = 4096;

/** Counts at least this large are not shared (they do not fit the key's one UTF-16 unit). */
const MAX_KEYED_COUNT = 0x10000;

/** An 8-bit code histogram (what `sharedByteHistogram` returns). */
export type ByteHistogram = Extract<Histogram, { kind: 'codes' }>;

const shared = new Map<string, ByteHistogram>();

/**
 * The 8-bit code histogram of a tiny tensor whose counts are 0 but at `bytes` (its byte values),
 * frozen and shared by every tensor with the same counts. A histogram is 256 numbers (~2 KB), and
 * tiny tensors repeat the same few (an expert's 2 block scales): 100,000 experts held 100,000
 * equal arrays. Stats are immutable, so sharing changes no value; up to
 * MAX_SHARED_BYTE_HISTOGRAMS distinct ones, then a fresh one each. The module analyses' scale
 * summaries take their `codes` from here too (few-codes.ts), so both share the same arrays.
 */
export function sharedByteHistogram(counts: Float64Array, bytes: readonly number[]): ByteHistogram {
  let key = '';
  for (const b of bytes) {
    const n = counts[b];
    if (n >= MAX_KEYED_COUNT) {
      return fresh(counts, bytes);
    }
    key += String.fromCharCode(b, n);
  }
  const known = shared.get(key);
  if (known !== undefined) {
    return known;
  }
  if (shared.size >= MAX_SHARED_BYTE_HISTOGRAMS) {
    return fresh(counts, bytes);
  }
  const histogram: ByteHistogram = Object.freeze({
    kind: 'codes',
    bits: 8,
    counts: Object.freeze(sparsePlainArray(counts, bytes)),
  });
  shared.set(key, histogram);
  return histogram;
}

function fresh(counts: Float64Array, bytes: readonly number[]): ByteHistogram {
  return { kind: 'codes', bits: 8, counts: sparsePlainArray(counts, bytes) };
}
