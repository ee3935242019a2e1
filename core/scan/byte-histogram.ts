import { BlockSplitter } from './scan-kernel';

/** Interleaved sub-tables break the store-to-load dependency between equal neighbouring bytes. */
export const BYTE_SUBTABLES = 4;

/** Blocks for `countWords` (see BlockSplitter). */
const BLOCKS = new BlockSplitter();

/**
 * Adds every byte of `chunk` to `bins` (BYTE_SUBTABLES x 256 Uint32 bins; fold them afterwards),
 * reading aligned 32-bit words so one load feeds four counters.
 */
export function countBytes(chunk: Uint8Array, bins: Uint32Array): void {
  const length = chunk.length;
  const head = Math.min(length, (4 - (chunk.byteOffset & 3)) & 3);
  for (let i = 0; i < head; i++) {
    bins[chunk[i]]++;
  }
  const words = (length - head) >>> 2;
  if (words > 0) {
    // Only now is byteOffset + head sure to be 4-aligned (head was not cut short by length).
    const u32 = new Uint32Array(chunk.buffer, chunk.byteOffset + head, words);
    for (let start = 0; start < words;) {
      const end = BLOCKS.end(start, words);
      countWords(u32, bins, start, end);
      start = end;
    }
  }
  for (let i = head + words * 4; i < length; i++) {
    bins[chunk[i]]++;
  }
}

/** The hot loop: words [start, end), each byte lane into its own sub-table. */
function countWords(u32: Uint32Array, bins: Uint32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const w = u32[i];
    bins[w & 0xff]++;
    bins[256 | ((w >>> 8) & 0xff)]++;
    bins[512 | ((w >>> 16) & 0xff)]++;
    bins[768 | (w >>> 24)]++;
  }
}

/** Sums the sub-tables of `countBytes` into 256 totals. */
export function foldByteBins(totals: Float64Array): Float64Array {
  const out = new Float64Array(256);
  for (let t = 0; t < BYTE_SUBTABLES; t++) {
    for (let c = 0; c < 256; c++) {
      out[c] += totals[t * 256 + c];
    }
  }
  return out;
}
