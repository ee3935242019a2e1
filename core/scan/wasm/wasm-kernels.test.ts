/**
 * The WASM kernels against the JS kernels (the reference): deep-equal TensorStats on random data
 * rich in NaN/Inf/zeros/subnormals/extremes, for any chunking (uneven, misaligned, crossing WASM
 * stage blocks), through table drains, and whatever other kernels share the instance pool.
 * scan-reference.test.ts also checks both against an independent slow scan.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Dtype } from '../../dtype/dtype';
import { dtypeGroup } from '../../dtype/dtype';
import type { TensorInfo } from '../../format/tensor-info';
import type { ByteSource } from '../../io/byte-source';
import { memorySource } from '../../io/byte-source';
import { badByteKinds, byteCodeValues } from '../byte-code-kernel';
import { createJsKernel } from '../create-kernel';
import type { ScanKernel } from '../scan-kernel';
import { DEFAULT_CHUNK_BYTES, scanTensor } from '../scan-tensor';
import type { TensorStats } from '../tensor-stats';
import { createWasmKernel } from './create-wasm-kernel';
import {
  ARENA_READ_BYTES,
  giveBackArenaReadBuffer,
  ScanInstance,
  takeArenaReadBuffer,
  wasmKernelsAvailable,
} from './scan-instance';
import { badByteRange, WasmByteKernel } from './wasm-byte-kernel';
import { WasmByteMomentsKernel } from './wasm-byte-moments-kernel';
import { WasmWord16Kernel } from './wasm-word16-kernel';
import { feedInCuts } from '../../testing/feed-kernel';

const WORD16: readonly Dtype[] = ['F16', 'BF16', 'I16', 'U16'];
const BYTE: readonly Dtype[] = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'F4',
];
const FLOAT32: readonly Dtype[] = ['F32', 'C64'];
const ALL = [...WORD16, ...BYTE, ...FLOAT32];

/** Bit patterns worth mixing into random data: zeros, ±Inf, NaNs, extremes, subnormals, 1.0. */
const PATTERNS_16: Partial<Record<Dtype, number[]>> = {
  F16: [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfc01, 0x7fff, 0x7bff, 0xfbff, 0x0001, 0x83ff],
  BF16: [0x0000, 0x8000, 0x7f80, 0xff80, 0x7fc0, 0xff81, 0xffff, 0x7f7f, 0xff7f, 0x0001, 0x807f],
  I16: [0, 0x8000, 0x7fff, 0xffff, 1],
  U16: [0, 0xffff, 1],
};
const PATTERNS_8 = [0x00, 0x80, 0x7f, 0xff, 0x7c, 0xfc, 0x7e, 0xfe, 0x01, 0x81, 0x77, 0xf7];
const PATTERNS_32 = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xff800001, 0x7f7fffff, 0xff7fffff, 1,
  0x807fffff, 0x3f800000, 0x00400000,
];

function widthOf(dtype: Dtype): number {
  return WORD16.includes(dtype) ? 2 : FLOAT32.includes(dtype) ? 4 : 1;
}

/** Little-endian words of `width` bytes: patterns, random bits, and small floats (real weights). */
function wordArbitrary(dtype: Dtype): fc.Arbitrary<number> {
  const width = widthOf(dtype);
  const patterns =
    width === 2 ? (PATTERNS_16[dtype] ?? []) : width === 4 ? PATTERNS_32 : PATTERNS_8;
  const max = 2 ** (8 * width) - 1;
  const small = fc.float({ min: -4, max: 4, noNaN: true }).map((x) => {
    const bits = new Uint32Array(new Float32Array([x]).buffer)[0];
    return width === 4 ? bits : width === 2 ? bits >>> 16 : bits >>> 24;
  });
  return fc.oneof(fc.constantFrom(...patterns), fc.integer({ min: 0, max }), small);
}

function bytesOf(words: readonly number[], width: number): Uint8Array {
  const out = new Uint8Array(words.length * width);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => {
    if (width === 4) {
      view.setUint32(4 * i, w, true);
    } else if (width === 2) {
      view.setUint16(2 * i, w, true);
    } else {
      out[i] = w;
    }
  });
  return out;
}

/** Tensor data: whole element groups (C64: two parts per element). */
function dataArbitrary(dtype: Dtype, maxGroups: number): fc.Arbitrary<Uint8Array> {
  const width = widthOf(dtype);
  const wordsPerGroup = dtypeGroup(dtype).bytes / width;
  return fc
    .array(fc.array(wordArbitrary(dtype), { minLength: wordsPerGroup, maxLength: wordsPerGroup }), {
      maxLength: maxGroups,
    })
    .map((groups) => bytesOf(groups.flat(), width));
}

function tensorOf(dtype: Dtype, data: Uint8Array, rows = 1): TensorInfo {
  const { bytes, elements: perGroup } = dtypeGroup(dtype);
  const elements = (data.length / bytes) * perGroup;
  const shape = rows > 1 && elements % rows === 0 ? [rows, elements / rows] : [elements];
  return { name: 't', dtype, shape, offset: 0, nbytes: data.length, elements };
}

function wasmKernel(tensor: TensorInfo): ScanKernel {
  const kernel = createWasmKernel(tensor);
  if (kernel === null) {
    throw new Error(`no WASM kernel for ${tensor.dtype}`);
  }
  return kernel;
}

function jsStats(tensor: TensorInfo, data: Uint8Array): TensorStats {
  const kernel = createJsKernel(tensor);
  kernel.update(data, 0);
  return kernel.finish();
}

/** Deterministic data of `bytes` bytes (an LCG), with `pattern` words every `every` words. */
function lcgData(dtype: Dtype, bytes: number, every: number, seed = 12345): Uint8Array {
  const width = widthOf(dtype);
  const patterns =
    width === 2 ? (PATTERNS_16[dtype] ?? [0]) : width === 4 ? PATTERNS_32 : PATTERNS_8;
  const words: number[] = [];
  let x = seed;
  for (let i = 0; i < bytes / width; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    words.push(i % every === 0 ? patterns[(i / every) % patterns.length] : x >>> (32 - 8 * width));
  }
  return bytesOf(words, width);
}

/** A source with `readInto`, recording the buffers it filled. */
function readIntoSource(data: Uint8Array): { source: ByteSource; targets: Uint8Array[] } {
  const targets: Uint8Array[] = [];
  const base = memorySource('into', data);
  const source: ByteSource = {
    ...base,
    readInto(offset, target) {
      targets.push(target);
      target.set(data.subarray(offset, offset + target.length));
      return Promise.resolve(target.length);
    },
  };
  return { source, targets };
}

/** The memory of the arena's read buffers. */
function arenaBuffer(): ArrayBufferLike {
  const buffer = takeArenaReadBuffer(1);
  if (buffer === null) {
    throw new Error('no arena read buffer free');
  }
  giveBackArenaReadBuffer(buffer);
  return buffer.buffer;
}

describe('WASM kernels', () => {
  it('are available in Node (so the WASM tests below do not silently run JS)', () => {
    expect(wasmKernelsAvailable()).toBe(true);
    for (const dtype of ALL) {
      const data = new Uint8Array(dtypeGroup(dtype).bytes);
      const kernel = wasmKernel(tensorOf(dtype, data));
      expect(kernel.constructor.name).toMatch(/^Wasm/);
      kernel.update(data, 0);
      expect(kernel.finish().dtype).toBe(dtype);
    }
  });

  describe.each(ALL.map((d) => [d]))('%s', (dtype) => {
    it('equals the JS kernel on random data, for any chunking and alignment', () => {
      fc.assert(
        fc.property(
          dataArbitrary(dtype, 600),
          fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 8 }),
          fc.integer({ min: 0, max: 7 }),
          fc.integer({ min: 1, max: 8 }),
          (data, cuts, misalign, rows) => {
            const t = tensorOf(dtype, data, rows);
            const stats = feedInCuts(wasmKernel(t), dtype, data, cuts, misalign);
            expect(stats).toEqual(jsStats(t, data));
          },
        ),
        { numRuns: 80 },
      );
    });

    it('equals the JS kernel on data spanning several stage blocks, whole and chunked', async () => {
      // ~1.1 MB: four 256 KiB stage blocks and a partial one; patterns (NaN/Inf among them)
      // every 997 words land on both sides of block boundaries.
      const data = lcgData(dtype, 1_105_920, 997);
      const t = tensorOf(dtype, data, 360);
      const expected = jsStats(t, data);
      const source = memorySource('m', data);
      expect(await scanTensor(source, t, { wasm: true })).toEqual(expected);
      expect(await scanTensor(source, t, { wasm: true, chunkBytes: 100_008 })).toEqual(expected);
      expect(await scanTensor(source, t, { wasm: true, chunkBytes: 262_152 })).toEqual(expected);
      // readInto fills the arena's read buffers: the kernel scans them in place.
      const { source: into, targets } = readIntoSource(data);
      expect(await scanTensor(into, t, { wasm: true })).toEqual(expected);
      expect(await scanTensor(into, t, { wasm: true, chunkBytes: 100_008 })).toEqual(expected);
      expect(targets.every((b) => b.buffer === arenaBuffer())).toBe(true);
    });
  });

  it.each(['F16', 'BF16', 'F8_E4M3', 'F8_E5M2'] as const)(
    '%s: a block with more NaN/Inf than find16/find8 report is searched in JS, same result',
    (dtype) => {
      // Every 7th word a pattern: ~37000 NaN/Inf per 256 KiB block, far over 4096.
      const data = lcgData(dtype, 600_000, 7);
      const t = tensorOf(dtype, data, 100);
      expect(feedInCuts(wasmKernel(t), dtype, data, [])).toEqual(jsStats(t, data));
    },
  );

  it('finds the NaN/Inf bytes of every FP8 dtype as one masked range', () => {
    for (const dtype of BYTE) {
      const { kind, codes } = badByteKinds(byteCodeValues(tensorOf(dtype, new Uint8Array(1))));
      const range = badByteRange(kind);
      expect(range === null, dtype).toBe(codes.length === 0);
      for (let b = 0; b < 256 && range !== null; b++) {
        const inRange = (b & range.mask) >= range.lo && (b & range.mask) <= range.hi;
        expect(inRange, `${dtype} ${b}`).toBe(kind[b] !== 0);
      }
    }
    const scattered = new Uint8Array(256);
    scattered[3] = 1;
    scattered[200] = 2;
    expect(badByteRange(scattered)).toBeNull();
  });

  it.each([...WORD16, ...BYTE].map((d) => [d]))(
    '%s: draining the WASM tables between chunks changes nothing',
    (dtype) => {
      const data = lcgData(dtype, 300_000, 13);
      const t = tensorOf(dtype, data, 50);
      const kernel = WORD16.includes(dtype)
        ? new WasmWord16Kernel(t, 1000)
        : new WasmByteKernel(t, 1000);
      expect(feedInCuts(kernel, dtype, data, [10, 5000, 1, 20_000, 3])).toEqual(jsStats(t, data));
    },
  );

  it('kernels alive at once, and reused instances, do not disturb each other', () => {
    const dtypes: Dtype[] = ['BF16', 'F8_E4M3', 'F32', 'F16', 'U8', 'C64', 'F4'];
    const inputs = dtypes.map((d, i) => {
      const data = lcgData(d, 400_000, 31 + i, 7 + i);
      return { dtype: d, data, t: tensorOf(d, data, 40) };
    });
    for (let round = 0; round < 2; round++) {
      // More kernels than the pool keeps, updated in turn, a quarter of each tensor at a time.
      const kernels = inputs.map(({ t }) => wasmKernel(t));
      for (let q = 0; q < 4; q++) {
        inputs.forEach(({ dtype, data }, i) => {
          const group = dtypeGroup(dtype);
          const groups = data.length / group.bytes;
          const from = Math.floor((groups * q) / 4) * group.bytes;
          const to = Math.floor((groups * (q + 1)) / 4) * group.bytes;
          kernels[i].update(data.subarray(from, to), (from / group.bytes) * group.elements);
        });
      }
      inputs.forEach(({ data, t }, i) => {
        expect(kernels[i].finish()).toEqual(jsStats(t, data));
      });
    }
  });

  it('scans a list of tensors the same with 1 or 4 concurrent scans', async () => {
    const dtypes: Dtype[] = ['BF16', 'F8_E4M3', 'F32', 'F16', 'U8', 'F4', 'BF16', 'C64'];
    const datas = dtypes.map((d, i) => lcgData(d, 300_000, 101 + i, i));
    const file = new Uint8Array(datas.reduce((n, d) => n + d.length, 0));
    let offset = 0;
    const tensors = dtypes.map((dtype, i) => {
      file.set(datas[i], offset);
      const t = { ...tensorOf(dtype, datas[i], 30), name: `t${i}`, offset };
      offset += datas[i].length;
      return t;
    });
    const source = memorySource('m', file);
    const options = { wasm: true, chunkBytes: 65_536 };
    const serial: TensorStats[] = [];
    for (const t of tensors) {
      serial.push(await scanTensor(source, t, options));
    }
    const concurrent: TensorStats[] = new Array<TensorStats>(tensors.length);
    const lanes = 4;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = lane; i < tensors.length; i += lanes) {
          concurrent[i] = await scanTensor(source, tensors[i], options);
        }
      }),
    );
    expect(concurrent).toEqual(serial);
    expect(serial).toEqual(tensors.map((t, i) => ({ ...jsStats(t, datas[i]), name: t.name })));
  });

  it('scans in place only what lies in the arena read buffers, aligned; copies the rest', () => {
    const data = lcgData('BF16', 400_000, 11);
    const t = tensorOf('BF16', data, 100);
    const expected = jsStats(t, data);
    const arena = takeArenaReadBuffer(ARENA_READ_BYTES);
    if (arena === null) {
      throw new Error('no arena read buffer free');
    }
    /** Feeds the arena bytes [from, from + data.length) in chunks ending at `ends`. */
    const scanArena = (from: number, ends: number[]): TensorStats => {
      const kernel = wasmKernel(t);
      let at = 0;
      for (const end of [...ends, data.length]) {
        kernel.update(arena.subarray(from + at, from + end), at / 2);
        at = end;
      }
      return kernel.finish();
    };
    try {
      // Misaligned inside the arena: copied, same stats.
      arena.set(data, 2);
      expect(scanArena(2, [])).toEqual(expected);
      // Aligned: in place (nothing staged), in whole and uneven chunks (the later ones start
      // unaligned: copied).
      arena.set(data, 0);
      const staged = vi.spyOn(ScanInstance.prototype, 'stageBlock');
      expect(scanArena(0, [])).toEqual(expected);
      expect(staged).not.toHaveBeenCalled();
      expect(scanArena(0, [262_144, 262_146, 300_000])).toEqual(expected);
      expect(staged).toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
      giveBackArenaReadBuffer(arena);
    }
    expect(ARENA_READ_BYTES).toBe(DEFAULT_CHUNK_BYTES);
  });

  it('a cancelled scan gives its instance back: the next scan still reads in place', async () => {
    const data = lcgData('BF16', 200_000, 5);
    const t = tensorOf('BF16', data, 10);
    const { source } = readIntoSource(data);
    const signal = { aborted: false };
    const cancelled = scanTensor(source, t, {
      wasm: true,
      chunkBytes: 50_000,
      signal,
      onProgress: () => {
        signal.aborted = true;
      },
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'Cancelled' });
    const staged = vi.spyOn(ScanInstance.prototype, 'stageBlock');
    try {
      const { source: again } = readIntoSource(data);
      expect(await scanTensor(again, t, { wasm: true })).toEqual(jsStats(t, data));
      expect(staged).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses use after finish or release, and finish twice gives the same stats', () => {
    const data = lcgData('BF16', 64, 3);
    const t = tensorOf('BF16', data);
    const kernel = wasmKernel(t);
    kernel.update(data, 0);
    const stats = kernel.finish();
    expect(kernel.finish()).toEqual(stats);
    expect(() => kernel.update(new Uint8Array(0), 32)).toThrow(/after finish/);
    const released = wasmKernel(t);
    released.release?.();
    released.release?.();
    expect(() => released.update(data, 0)).toThrow(/after finish/);
  });

  it('checks chunks like the JS kernels do', () => {
    const t = tensorOf('F32', new Uint8Array(16));
    expect(() => wasmKernel(t).update(new Uint8Array(4), 1)).toThrow(/expected 0/);
    expect(() => wasmKernel(t).update(new Uint8Array(6), 0)).toThrow(/splits an element group/);
    const k = wasmKernel(tensorOf('BF16', new Uint8Array(8)));
    k.update(new Uint8Array(4), 0);
    expect(() => k.finish()).toThrow(/2 of 4/);
  });
});

describe('WASM kernels hold their instance until finish or release', () => {
  /** A 16-element tensor of `dtype` and its bytes (all 1s). */
  const sample = (dtype: Dtype, bytesPer: number): [TensorInfo, Uint8Array] => [
    { name: 't', dtype, shape: [16], offset: 0, nbytes: 16 * bytesPer, elements: 16 },
    new Uint8Array(16 * bytesPer).fill(1),
  ];
  const kernels: [string, Dtype, number, (t: TensorInfo) => ScanKernel | null][] = [
    ['byte', 'U8', 1, (t) => new WasmByteKernel(t)],
    ['word16', 'BF16', 2, (t) => new WasmWord16Kernel(t)],
    ['float32', 'F32', 4, (t) => createWasmKernel(t)],
    ['byte moments', 'U8', 1, (t) => new WasmByteMomentsKernel(t)],
  ];

  it.each(kernels)(
    '%s: finish twice is one result; using it after finish throws',
    (_, dtype, n, make) => {
      const [t, bytes] = sample(dtype, n);
      const k = make(t);
      expect(k).not.toBeNull();
      k?.update(bytes, 0);
      const first = k?.finish();
      expect(k?.finish()).toBe(first);
      expect(() => k?.update(bytes, 0)).toThrow(/after finish/);
      k?.release?.();
    },
  );

  it('a kernel released before finish hands its instance back, and refuses more work', () => {
    const [t, bytes] = sample('U8', 1);
    const k = new WasmByteMomentsKernel(t);
    k.update(bytes.subarray(0, 8), 0);
    k.release();
    k.release();
    expect(() => k.update(bytes.subarray(8), 8)).toThrow(/after finish/);
  });
});
