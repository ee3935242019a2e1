import { describe, expect, it } from 'vitest';
import { memorySource } from '../../io/byte-source';
import { info } from '../testing/tensor-info';
import { chunkBytesOf, forEachRowChunk } from './row-chunks';

describe('forEachRowChunk', () => {
  const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
  const tensor = { ...info('t', 'U8', [5, 2]), nbytes: 10 };

  it('streams whole rows, at least one per chunk', async () => {
    const seen: [number, number, number[]][] = [];
    await forEachRowChunk(
      memorySource('f', bytes),
      tensor,
      2,
      { chunkBytes: 5 },
      (b, first, rows) => {
        seen.push([first, rows, Array.from(b)]);
      },
    );
    expect(seen).toEqual([
      [0, 2, [0, 1, 2, 3]],
      [2, 2, [4, 5, 6, 7]],
      [4, 1, [8, 9]],
    ]);
    let calls = 0;
    await forEachRowChunk(memorySource('f', bytes), tensor, 2, { chunkBytes: 1 }, () => {
      calls++;
    });
    expect(calls).toBe(5);
  });

  it('refuses rows that do not tile the tensor, bad chunk sizes, and stops when cancelled', async () => {
    await expect(
      forEachRowChunk(memorySource('f', bytes), tensor, 3, {}, () => undefined),
    ).rejects.toThrow(/whole 3-byte rows/);
    expect(() => chunkBytesOf({ chunkBytes: 0 })).toThrow();
    expect(chunkBytesOf({})).toBe(8 * 1024 * 1024);
    await expect(
      forEachRowChunk(
        memorySource('f', bytes),
        tensor,
        2,
        { signal: { aborted: true } },
        () => undefined,
      ),
    ).rejects.toMatchObject({ code: 'Cancelled' });
  });
});
