import { describe, expect, it } from 'vitest';
import { plainArray } from './plain-array';
import { MAX_SHARED_BYTE_HISTOGRAMS, sharedByteHistogram } from './shared-byte-histograms';

/** 256 counts holding `entries` ([byte, count]) and their ascending byte list. */
function countsOf(entries: [number, number][]): { counts: Float64Array; bytes: number[] } {
  const counts = new Float64Array(256);
  for (const [b, n] of entries) {
    counts[b] = n;
  }
  return { counts, bytes: entries.map(([b]) => b).sort((a, b) => a - b) };
}

describe('sharedByteHistogram', () => {
  it('gives equal counts one frozen histogram, equal to the plain copy of the counts', () => {
    const a = countsOf([
      [0x38, 1],
      [0x7f, 3],
    ]);
    const first = sharedByteHistogram(a.counts, a.bytes);
    expect(first).toEqual({ kind: 'codes', bits: 8, counts: plainArray(a.counts) });
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.kind === 'codes' && Object.isFrozen(first.counts)).toBe(true);
    const again = countsOf([
      [0x7f, 3],
      [0x38, 1],
    ]);
    expect(sharedByteHistogram(again.counts, again.bytes)).toBe(first);
    const other = countsOf([
      [0x38, 3],
      [0x7f, 1],
    ]);
    const second = sharedByteHistogram(other.counts, other.bytes);
    expect(second).not.toBe(first);
    expect(second).toEqual({ kind: 'codes', bits: 8, counts: plainArray(other.counts) });
  });

  it('gives a fresh one past MAX_SHARED_BYTE_HISTOGRAMS, and for counts too large for the key', () => {
    const big = countsOf([[5, 0x10000]]);
    const large = sharedByteHistogram(big.counts, big.bytes);
    expect(large).toEqual({ kind: 'codes', bits: 8, counts: plainArray(big.counts) });
    expect(sharedByteHistogram(big.counts, big.bytes)).not.toBe(large);
    for (let k = 0; k < MAX_SHARED_BYTE_HISTOGRAMS; k++) {
      const c = countsOf([[k & 0xff, 1 + (k >>> 8)]]);
      sharedByteHistogram(c.counts, c.bytes);
    }
    const late = countsOf([
      [1, 1],
      [2, 1],
    ]);
    const h = sharedByteHistogram(late.counts, late.bytes);
    expect(h).toEqual({ kind: 'codes', bits: 8, counts: plainArray(late.counts) });
    expect(Object.isFrozen(h)).toBe(false);
    expect(sharedByteHistogram(late.counts, late.bytes)).not.toBe(h);
  });
});
