import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import { parseHeaderBytes } from '../format/parse-header';
import type { ByteSource } from '../io/byte-source';
import { memorySource } from '../io/byte-source';
import { MAX_GROUP_BYTES, SMALL_TENSOR_BYTES, chunkReads } from './read-groups';
import { scanTensor, scanTensors } from './scan-tensor';

function checkpoint(sizes: number[]): {
  bytes: Uint8Array;
  source: () => ByteSource & { reads: number };
} {
  const bytes = buildSafetensors(
    sizes.map((n, i) => ({
      name: `t${i}`,
      dtype: 'F32' as const,
      shape: [n],
      data: new Uint8Array(
        Float32Array.from({ length: n }, (_, k) => (k % 7 === 3 ? Number.NaN : k - i)).buffer,
      ),
    })),
  );
  return {
    bytes,
    source: () => {
      const inner = memorySource('f', bytes);
      const counted = {
        ...inner,
        reads: 0,
        read: (offset: number, length: number) => {
          counted.reads++;
          return inner.read(offset, length);
        },
      };
      return counted;
    },
  };
}

function headerOf(bytes: Uint8Array) {
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const parsed = parseHeaderBytes('f', bytes.length, bytes.subarray(8, 8 + n));
  if (!parsed.ok) {
    throw new Error(parsed.error.message);
  }
  return parsed.value;
}

describe('read groups', () => {
  it('reads back-to-back small tensors together, and scans them as if one by one', async () => {
    const sizes = Array.from({ length: 3000 }, (_, i) => 1 + (i % 5));
    sizes.splice(1500, 0, SMALL_TENSOR_BYTES); // one tensor too large to gather (4x the bytes)
    const { bytes, source } = checkpoint(sizes);
    const header = headerOf(bytes);
    const s = source();
    const together = await scanTensors(s, header.tensors);
    expect(s.reads).toBeLessThan(20);
    const alone = [];
    for (const t of header.tensors) {
      alone.push(await scanTensor(memorySource('f', bytes), t));
    }
    expect(together).toEqual(alone);
  });

  it('keeps every chunk of a large tensor its own read, and groups under MAX_GROUP_BYTES', () => {
    const { bytes } = checkpoint([4, 4, 300_000, 4, ...Array.from({ length: 600 }, () => 1000)]);
    const header = headerOf(bytes);
    const chunk = header.tensors.map(() => 65_536);
    const reads = [...chunkReads(header.tensors, chunk)];
    const groups = [...new Set(reads.map((r) => r.group))];
    for (const g of groups) {
      expect(g.length).toBeLessThanOrEqual(MAX_GROUP_BYTES);
    }
    // Every byte of every tensor is read exactly once, in order.
    const covered = reads.map((r) => [r.group.offset + r.at, r.length]);
    let at = header.tensors[0].offset;
    for (const [offset, length] of covered) {
      expect(offset).toBe(at);
      at += length;
    }
    expect(at).toBe(bytes.length);
    const large = reads.filter((r) => r.index === 2);
    const full = Math.floor(1_200_000 / 65_536);
    expect(large.map((r) => r.length)).toEqual([
      ...Array.from({ length: full }, () => 65_536),
      1_200_000 - full * 65_536,
    ]);
    expect(new Set(large.map((r) => r.group)).size).toBe(full + 1);
  });
});
