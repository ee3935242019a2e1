import { describe, expect, it } from 'vitest';
import { memorySource } from './byte-source';
import type { ByteSource } from './byte-source';
import { withKnownBytes } from './known-bytes-source';

describe('withKnownBytes', () => {
  const file = Uint8Array.from({ length: 100 }, (_, i) => i);
  /** A source over `file` that counts the reads reaching it. */
  function counting(): { source: ByteSource; reads: number[][] } {
    const inner = memorySource('f', file);
    const reads: number[][] = [];
    return {
      reads,
      source: {
        name: 'f',
        size: 100,
        read: (o, l) => {
          reads.push([o, l]);
          return inner.read(o, l);
        },
      },
    };
  }

  it('answers reads inside a known range from memory, and any other read from the source', async () => {
    const { source, reads } = counting();
    const s = withKnownBytes(source, [
      { offset: 40, bytes: file.slice(40, 48) },
      { offset: 10, bytes: file.slice(10, 14) },
    ]);
    expect(await s.read(10, 4)).toEqual(file.slice(10, 14));
    expect(await s.read(42, 3)).toEqual(file.slice(42, 45));
    expect(reads).toEqual([]);
    // Partly outside a known range, or between them: the source answers.
    expect(await s.read(12, 4)).toEqual(file.slice(12, 16));
    expect(await s.read(20, 5)).toEqual(file.slice(20, 25));
    expect(await s.read(0, 5)).toEqual(file.slice(0, 5));
    expect(reads).toEqual([
      [12, 4],
      [20, 5],
      [0, 5],
    ]);
    expect(s.name).toBe('f');
    expect(s.size).toBe(100);
  });

  it('returns copies: the caller may write into what it got', async () => {
    const known = file.slice(40, 48);
    const s = withKnownBytes(counting().source, [{ offset: 40, bytes: known }]);
    const got = await s.read(40, 8);
    got.fill(0);
    expect(await s.read(40, 8)).toEqual(file.slice(40, 48));
  });

  it('is the source itself when nothing is known', () => {
    const { source } = counting();
    expect(withKnownBytes(source, [])).toBe(source);
  });
});
