import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';
import { parseHeaderBytes } from '../core/format/parse-header';
import type { TensorInfo } from '../core/format/tensor-info';
import type { ByteSource } from '../core/io/byte-source';
import { memorySource } from '../core/io/byte-source';
import { orderForScan } from '../core/scan/scan-order';
import { scanTensors } from '../core/scan/scan-tensor';
import { byobSource, byobStats } from './byob-source';
import type { PlannedRead } from './byob-source';
import { scanReads } from './scan-reads';
import { lcgBytes } from '../core/testing/lcg-bytes';

/**
 * A checkpoint like the real ones, small: block scales (some NaN bytes) beside their weights,
 * scalar global scales, tiny norms, BF16 with NaN and Inf, an F32 tensor, an empty one.
 */
function checkpoint(): { file: Uint8Array<ArrayBuffer>; tensors: TensorInfo[] } {
  const specs: TensorSpec[] = [];
  for (let l = 0; l < 3; l++) {
    const p = `model.layers.${l}`;
    specs.push({
      name: `${p}.input_layernorm.weight`,
      dtype: 'BF16',
      shape: [64],
      data: lcgBytes(128, l),
    });
    specs.push({
      name: `${p}.mlp.down_proj.weight`,
      dtype: 'U8',
      shape: [96, 1000],
      data: lcgBytes(96_000, 10 + l),
    });
    specs.push({
      name: `${p}.mlp.down_proj.weight_scale`,
      dtype: 'F8_E4M3',
      shape: [96, 125],
      data: lcgBytes(12_000, 20 + l),
    });
    specs.push({
      name: `${p}.mlp.down_proj.weight_scale_2`,
      dtype: 'F32',
      shape: [],
      data: new Uint8Array(Float32Array.of(0.5).buffer),
    });
    const w = lcgBytes(150_000, 30 + l);
    for (let i = 1; i < w.length; i += 2) {
      w[i] = i % 1001 === 1 ? 0x7f : w[i] & 0x3f; // NaN or Inf now and then
    }
    specs.push({ name: `${p}.mlp.up_proj.weight`, dtype: 'BF16', shape: [75_000], data: w });
  }
  specs.push({ name: 'empty', dtype: 'F32', shape: [0], data: new Uint8Array(0) });
  specs.push({ name: 'lm_head.weight', dtype: 'F32', shape: [9_000], data: lcgBytes(36_000, 99) });
  const file = buildSafetensors(specs) as Uint8Array<ArrayBuffer>;
  const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
  const header = parseHeaderBytes('f', file.length, file.subarray(8, 8 + headerLength));
  if (!header.ok) {
    throw new Error('bad fixture');
  }
  return { file, tensors: orderForScan(header.value.tensors) };
}

/** A source over `file` that records every readInto. */
function recording(file: Uint8Array): { source: ByteSource; reads: PlannedRead[] } {
  const reads: PlannedRead[] = [];
  const inner = memorySource('f', file);
  return {
    reads,
    source: {
      ...inner,
      readInto: (offset, target) => {
        reads.push({ offset, length: target.length });
        target.set(file.subarray(offset, offset + target.length));
        return Promise.resolve(target.length);
      },
    },
  };
}

const { file, tensors } = checkpoint();

describe('scanReads', () => {
  it.each([1000, 4096, 65_536, undefined])(
    'is exactly the reads scanTensors makes (chunk %s)',
    async (chunkBytes) => {
      const { source, reads } = recording(file);
      await scanTensors(source, tensors, { chunkBytes });
      expect([...scanReads(tensors, chunkBytes)]).toEqual(reads);
    },
  );
});

describe('scanning through byobSource', () => {
  it('gives stats deep-equal to an in-memory scan, for any chunk size, streams and read-ahead', async () => {
    const reference = await scanTensors(memorySource('f', file), tensors, { chunkBytes: 4096 });
    const blob = new Blob([file]);
    for (const [chunkBytes, streamsPerRead, readAheadReads, readAheadBytes] of [
      [undefined, 1, undefined, undefined],
      [1000, 1, 8, 16 * 1024 * 1024],
      [65_536, 3, 2, 10_000],
      [4096, 2, 0, 0],
    ] as const) {
      const source = byobSource('f', blob, { streamsPerRead, readAheadReads, readAheadBytes });
      source.plan(scanReads(tensors, chunkBytes));
      const stats = await scanTensors(source, tensors, { chunkBytes });
      expect(stats).toEqual(reference);
    }
  });

  it('serves planned reads from the read-ahead, adjacent ones from one read', async () => {
    const before = { ...byobStats };
    const blob = new Blob([file]);
    const source = byobSource('f', blob);
    const plan = [...scanReads(tensors, undefined)];
    source.plan(plan);
    await scanTensors(source, tensors);
    expect(byobStats.readAheadHits - before.readAheadHits).toBe(plan.length);
    expect(byobStats.directReads - before.directReads).toBe(0);
  });

  it('reads directly when the scan strays from the plan, and still gets every byte right', async () => {
    const blob = new Blob([file]);
    const source = byobSource('f', blob);
    source.plan([{ offset: 8, length: 5 }, ...scanReads(tensors.slice(2), 4096)]);
    const stats = await scanTensors(source, tensors, { chunkBytes: 4096 });
    expect(stats).toEqual(await scanTensors(memorySource('f', file), tensors));
  });
});
