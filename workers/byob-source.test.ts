import { describe, expect, it } from 'vitest';
import { byobSource, byobStats } from './byob-source';

function pattern(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    bytes[i] = (i * 31 + (i >>> 8)) & 0xff;
  }
  return bytes;
}

/** A Blob whose streams never deliver a byte (the Chromium hang), while arrayBuffer works. */
class StallingBlob extends Blob {
  override slice(start?: number, end?: number, type?: string): Blob {
    const inner = super.slice(start, end, type);
    return new StallingBlob([inner]);
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new ReadableStream({ type: 'bytes', pull: () => new Promise<void>(() => undefined) });
  }
}

/** Byte equality without vitest's element-by-element deep diff (seconds per MiB). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

describe('byobSource', () => {
  const bytes = pattern(5 * 1024 * 1024 + 123);
  const blob = new Blob([bytes]);

  it.each([1, 2, 4, 7])('reads any range exactly, with %i streams per read', async (streams) => {
    const source = byobSource('f', blob, { streamsPerRead: streams });
    expect(source.size).toBe(bytes.length);
    for (const [offset, length] of [
      [0, 0],
      [0, 1],
      [3, 1000],
      [1, 3 * 1024 * 1024 + 5],
      [1024 * 1024 - 1, bytes.length - 1024 * 1024 + 1],
    ]) {
      expect(same(await source.read(offset, length), bytes.subarray(offset, offset + length))).toBe(
        true,
      );
    }
  });

  it('fills a reused buffer in place, at any offset within it', async () => {
    const source = byobSource('f', blob, { streamsPerRead: 3 });
    const buffer = new Uint8Array(4 * 1024 * 1024);
    const readInto = source.readInto;
    expect(readInto).toBeDefined();
    for (const offset of [0, 17, 1024 * 1024 + 3]) {
      const target = buffer.subarray(8, 8 + 3 * 1024 * 1024);
      expect(await readInto?.(offset, target)).toBe(target.length);
      expect(same(target, bytes.subarray(offset, offset + target.length))).toBe(true);
      expect(buffer.byteLength).toBe(4 * 1024 * 1024); // never transferred away
    }
  });

  it('rejects reads past the end', async () => {
    const source = byobSource('f', blob);
    await expect(source.read(bytes.length - 2, 3)).rejects.toThrow(/past end/);
  });

  it('falls back to slice().arrayBuffer() when a stream makes no progress', async () => {
    const stalls = byobStats.stalls;
    const source = byobSource('f', new StallingBlob([bytes]), { stallMs: 20, streamsPerRead: 2 });
    const got = await source.read(5, 2 * 1024 * 1024);
    expect(same(got, bytes.subarray(5, 5 + 2 * 1024 * 1024))).toBe(true);
    expect(byobStats.stalls).toBe(stalls + 2);
  });
});
