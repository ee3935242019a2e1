import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../format/tensor-info';
import { createKernel } from './create-kernel';
import {
  BlockSplitter,
  ChunkAligner,
  KERNEL_BLOCK_ELEMENTS,
  WARMUP_BLOCK_ELEMENTS,
} from './scan-kernel';

function info(dtype: TensorInfo['dtype'], shape: number[], nbytes: number): TensorInfo {
  const elements = shape.reduce((a, b) => a * b, 1);
  return { name: 't', dtype, shape, offset: 0, nbytes, elements };
}

describe('ScanKernel contract', () => {
  it('rejects chunks that split a group, skip ahead or run past the end', () => {
    expect(() => createKernel(info('F6_E2M3', [8], 6)).update(new Uint8Array(4), 0)).toThrow(
      /splits an element group/,
    );
    expect(() => createKernel(info('F32', [4], 16)).update(new Uint8Array(4), 1)).toThrow(
      /expected 0/,
    );
    expect(() => createKernel(info('U8', [2], 2)).update(new Uint8Array(3), 0)).toThrow(
      /past the tensor/,
    );
  });

  it('refuses to finish before every element arrived', () => {
    const k = createKernel(info('BF16', [4], 8));
    k.update(new Uint8Array(4), 0);
    expect(() => k.finish()).toThrow(/2 of 4/);
  });

  it('accepts chunks at any byte offset', () => {
    const backing = new Uint8Array(17);
    new DataView(backing.buffer).setFloat64(1, -2.5, true);
    const k = createKernel(info('F64', [2], 16));
    k.update(backing.subarray(1, 17), 0);
    expect(k.finish()).toMatchObject({ min: -2.5, max: 0, negative: 1, zero: 1 });
  });
});

describe('BlockSplitter', () => {
  it('gives one tiny warm-up block, then full blocks', () => {
    const s = new BlockSplitter();
    const n = 3 * KERNEL_BLOCK_ELEMENTS;
    const ends: number[] = [];
    for (let start = 0; start < n;) {
      start = s.end(start, n);
      ends.push(start);
    }
    expect(ends[0]).toBe(WARMUP_BLOCK_ELEMENTS);
    expect(ends[1]).toBe(WARMUP_BLOCK_ELEMENTS + KERNEL_BLOCK_ELEMENTS);
    expect(ends[ends.length - 1]).toBe(n);
  });
});

describe('ChunkAligner', () => {
  it('returns aligned chunks as is and copies misaligned ones', () => {
    const a = new ChunkAligner();
    const buf = new Uint8Array(12).map((_, i) => i);
    expect(a.align(buf.subarray(4, 12), 4)).toEqual(buf.subarray(4, 12));
    expect(a.align(buf.subarray(4, 12), 4).byteOffset).toBe(4);
    const copy = a.align(buf.subarray(1, 9), 4);
    expect(copy.byteOffset % 4).toBe(0);
    expect(Array.from(copy)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
